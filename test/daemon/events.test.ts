import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import type { StreamEvent } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import { redisClient, type TestRedis } from '../helpers/redis-server';

describe('events and subscriptions', () => {
  let redis: TestRedis;
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ redis, d, client } = env));

  it('publishes to a stream per type and reads the recent ones, newest last', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.events.publish({ type: 'build', data: { i } })).id);
    await client.events.publish({ type: 'deploy', data: 'other type' });
    const recent = await client.events.recent({ type: 'build', count: 3 });
    assert.deepEqual(recent.map((e) => e.id), ids.slice(2));
    assert.deepEqual(recent.map((e) => e.data), [{ i: 2 }, { i: 3 }, { i: 4 }]);
    assert.ok(recent.every((e) => e.type === 'build' && e.ts === Number.parseInt(e.id, 10)));
    assert.deepEqual(await client.events.recent({ type: 'never' }), []);
    assert.deepEqual(await client.events.types(), ['build', 'deploy']);
  });

  it('pushes events:<type> to subscribers with the Event as data', async () => {
    const log = await record(client, ['events:build']);
    const { id } = await client.events.publish({ type: 'build', data: { ok: true } });
    await client.events.publish({ type: 'unrelated', data: 1 });
    const pushed = await log.next((e) => (e.data as StreamEvent).id === id);
    assert.equal(pushed.topic, 'events:build');
    assert.equal(pushed.type, 'build');
    assert.deepEqual((pushed.data as StreamEvent).data, { ok: true });
    assert.equal(pushed.seq, 1);
    assert.ok(log.events.every((e) => e.topic === 'events:build'));
  });

  it('pushes every type to events:* subscribers', async () => {
    const log = await record(client, ['events:*']);
    await client.events.publish({ type: 'wild.one', data: 1 });
    await client.events.publish({ type: 'wild.two', data: 2 });
    // (Only this test's types: an event the previous test published may still be on its way.)
    const pushed = await log.count((e) => e.type.startsWith('wild.'), 2);
    assert.deepEqual(pushed.map((e) => [e.topic, e.type, (e.data as StreamEvent).data]), [['events:*', 'wild.one', 1], ['events:*', 'wild.two', 2]]);
  });

  it('keeps each stream capped near 10 000 entries', async function () {
    this.timeout(60_000);
    const batch = Array.from({ length: 10_500 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'event.publish', params: { type: 'flood', data: i } }));
    for (let i = 0; i < batch.length; i += 1500) {
      const { body } = await d.http(batch.slice(i, i + 1500));
      assert.equal(body.length, Math.min(1500, batch.length - i));
    }
    const raw = redisClient(redis.url);
    const length = await raw.xlen('{sb:events}:stream:flood');
    raw.disconnect();
    assert.ok(length >= 10_000 && length < 10_500, `stream holds ${length} entries`);
    const newest = await client.events.recent({ type: 'flood', count: 1 });
    assert.equal(newest[0]!.data, 10_499);
  });

  it('stops pushing after unsubscribe, and refuses someone else’s subscription', async () => {
    const received: unknown[] = [];
    const sub = await client.subscribe(['events:quiet'], (e) => received.push(e));
    await sub.unsubscribe();
    const other = await d.client();
    const log = await record(other, ['events:quiet']);
    await client.events.publish({ type: 'quiet', data: 1 });
    await log.next(() => true);
    assert.deepEqual(received, []);
    await rejectsWith(client.call('unsubscribe', { subscriptionId: 'sub-999999' }), ErrorCode.NotFound);
  });

  it('refuses subscribe over HTTP and unknown topics', async () => {
    let r = await d.rpc('subscribe', { topics: ['agents'] });
    assert.equal(r.error.code, ErrorCode.InvalidRequest);
    assert.match(r.error.message, /WebSocket/);
    r = await d.rpc('subscribe', { topics: ['weather'] });
    assert.equal(r.error.code, ErrorCode.InvalidParams);
    assert.equal(r.error.data.field, 'topics.0');
    r = await d.rpc('event.recent', { type: 'build', count: 1001 });
    assert.equal(r.error.data.field, 'count');
  });
});
