import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { ErrorCode } from '../../protocol/errors';
import type { Page, Signal, SignalConsumed } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import { flushRedis, redisClient, type TestRedis } from '../helpers/redis-server';

describe('signals', () => {
  let redis: TestRedis;
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ redis, d, client } = env));
  beforeEach(() => flushRedis(redis.url));

  it('sends a signal that the target checks, then consumes once', async () => {
    const sent = await client.signals.send({ from: 'boss', to: 'worker-1', type: 'pause', payload: { reason: 'rate limit', n: [1, 2] } });
    assert.equal(sent.target, 'worker-1');
    assert.equal(sent.source, 'boss');
    assert.deepEqual(sent.payload, { reason: 'rate limit', n: [1, 2] });
    assert.equal(sent.expiresAt - sent.sentAt, 60_000, 'default ttl 60 s');
    assert.deepEqual(await client.signals.check({ agentId: 'worker-1' }), sent, 'check does not consume by default');
    assert.deepEqual(await client.signals.pending({ agentId: 'worker-1' }), [sent]);
    assert.deepEqual(await client.signals.check({ agentId: 'worker-1', consume: true }), sent);
    assert.equal(await client.signals.check({ agentId: 'worker-1', consume: true }), null);
    assert.deepEqual(await client.signals.pending({ agentId: 'worker-1' }), []);
  });

  it('returns the oldest match first and filters by type and source', async () => {
    const a = await client.signals.send({ from: 'x', to: 'w2', type: 'note', payload: 1 });
    const b = await client.signals.send({ from: 'y', to: 'w2', type: 'stop' });
    const c = await client.signals.send({ from: 'y', to: 'w2', type: 'note', payload: 3 });
    assert.equal((await client.signals.check({ agentId: 'w2', type: 'note', source: 'y' }))?.signalId, c.signalId);
    assert.equal((await client.signals.check({ agentId: 'w2', type: 'stop' }))?.signalId, b.signalId);
    assert.deepEqual(
      (await client.signals.pending({ agentId: 'w2', type: 'note' })).map((s) => s.signalId),
      [a.signalId, c.signalId],
    );
    assert.equal((await client.signals.wait({ agentId: 'w2', timeoutMs: 1000 }))?.signalId, a.signalId, 'wait takes the oldest');
    assert.equal((await client.signals.clear({ agentId: 'w2', type: 'note' })).cleared, 1);
    assert.deepEqual((await client.signals.pending({ agentId: 'w2' })).map((s) => s.signalId), [b.signalId]);
    assert.equal((await client.signals.clear({ agentId: 'w2' })).cleared, 1);
  });

  it('wakes a waiting agent when a signal is sent (push, not poll)', async () => {
    const waiter = await d.client();
    const waiting = waiter.signals.wait({ agentId: 'sleeper', type: 'go', timeoutMs: 30_000 });
    const events = await record(client, ['signals']);
    // A non-matching signal must not end the wait.
    await client.signals.send({ from: 'boss', to: 'sleeper', type: 'other' });
    const sent = await client.signals.send({ from: 'boss', to: 'sleeper', type: 'go', payload: 'now' });
    assert.deepEqual(await waiting, sent);
    const consumed = await events.next((e) => e.type === 'signal.consumed' && (e.data as SignalConsumed).signalId === sent.signalId);
    assert.equal((consumed.data as SignalConsumed).by, 'sleeper');
    assert.equal((await client.signals.pending({ agentId: 'sleeper' })).length, 1, 'only the matching one was consumed');
  });

  it('gives each signal to exactly one of several concurrent waiters', async () => {
    const waiters = await Promise.all(Array.from({ length: 4 }, () => d.client()));
    const waits = waiters.map((w) => w.signals.wait({ agentId: 'pool', timeoutMs: 1_500 }));
    const sent = await Promise.all([1, 2].map((n) => client.signals.send({ from: 'q', to: 'pool', type: 'job', payload: n })));
    const got = (await Promise.all(waits)).filter((s): s is Signal => s !== null);
    assert.deepEqual(got.map((s) => s.signalId).sort(), sent.map((s) => s.signalId).sort());
  });

  it('answers null when nothing arrives before the timeout', async () => {
    assert.equal(await client.signals.wait({ agentId: 'lonely', timeoutMs: 50 }), null);
  });

  it('wait with consume false leaves the signal in place', async () => {
    const sent = await client.signals.send({ from: 'a', to: 'peek', type: 't' });
    assert.deepEqual(await client.signals.wait({ agentId: 'peek', timeoutMs: 100, consume: false }), sent);
    assert.deepEqual(await client.signals.pending({ agentId: 'peek' }), [sent]);
  });

  it('lets every agent consume a broadcast once, for itself, but not its sender', async () => {
    const sent = await client.signals.broadcast({ from: 'ops', type: 'shutdown', payload: { at: 'noon' } });
    assert.equal(sent.target, '*');
    for (const agentId of ['b1', 'b2']) {
      assert.deepEqual(await client.signals.wait({ agentId, type: 'shutdown', timeoutMs: 1000 }), sent);
      assert.equal(await client.signals.check({ agentId, type: 'shutdown' }), null, `${agentId} saw it once`);
    }
    assert.equal(await client.signals.check({ agentId: 'ops', type: 'shutdown' }), null, 'the sender does not receive its own broadcast');
    assert.equal((await client.signals.clear({ agentId: 'b3' })).cleared, 1, 'clearing hides it for b3 only');
    assert.equal(await client.signals.check({ agentId: 'b3' }), null);
    assert.deepEqual(await client.signals.check({ agentId: 'b4', type: 'shutdown' }), sent);
  });

  it('wakes waiters of every agent on a broadcast', async () => {
    const [c1, c2] = await Promise.all([d.client(), d.client()]);
    const waits = [c1.signals.wait({ agentId: 'wb1', type: 'all-hands', timeoutMs: 30_000 }), c2.signals.wait({ agentId: 'wb2', type: 'all-hands', timeoutMs: 30_000 })];
    const sent = await client.signals.broadcast({ from: 'ops', type: 'all-hands' });
    assert.deepEqual(await Promise.all(waits), [sent, sent]);
  });

  it('drops a signal when its ttl runs out', async () => {
    await client.signals.send({ from: 'a', to: 'ephemeral', type: 't', ttlSeconds: 1 });
    assert.equal((await client.signals.pending({ agentId: 'ephemeral' })).length, 1);
    // Expiry is by time: let the ttl pass.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.deepEqual(await client.signals.pending({ agentId: 'ephemeral' }), []);
    assert.equal(await client.signals.check({ agentId: 'ephemeral', consume: true }), null);
  });

  it('rejects bad params and oversize payloads, sending nothing', async () => {
    let r = await d.rpc('signal.send', { from: 'a', to: 'bad target', type: 't' });
    assert.equal(r.error.code, ErrorCode.InvalidParams);
    assert.equal(r.error.data.field, 'to');
    r = await d.rpc('signal.send', { from: 'a', to: 'b', type: 't', ttlSeconds: 0 });
    assert.equal(r.error.data.field, 'ttlSeconds');
    r = await d.rpc('signal.wait', { agentId: 'b', timeoutMs: 0 });
    assert.equal(r.error.data.field, 'timeoutMs');
    r = await d.rpc('signal.wait', { agentId: 'b', timeoutMs: 3_600_001 });
    assert.equal(r.error.data.field, 'timeoutMs');
    r = await d.rpc('signal.wait', { agentId: 'b' });
    assert.equal(r.error.data.rule, 'required');
    r = await d.rpc('signal.send', { from: 'a', to: 'b', type: 't', payload: 'x'.repeat(66_000) });
    assert.equal(r.error.code, ErrorCode.TooLarge);
    assert.deepEqual(await client.signals.pending({ agentId: 'b' }), []);
  });

  it('pages signal.pending in send order across the inbox and broadcasts', async () => {
    const sent = [
      await client.signals.send({ from: 'a', to: 'pg', type: 't', payload: 1 }),
      await client.signals.broadcast({ from: 'ops', type: 'b', payload: 2 }),
      await client.signals.send({ from: 'a', to: 'pg', type: 't', payload: 3 }),
      await client.signals.send({ from: 'a', to: 'pg', type: 'u', payload: 4 }),
      await client.signals.broadcast({ from: 'ops', type: 't', payload: 5 }),
    ];
    const pages: Page<Signal>[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.signals.pending({ agentId: 'pg', limit: 2, cursor });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    assert.deepEqual(pages.map((page) => page.items.length), [2, 2, 1]);
    assert.deepEqual(pages.flatMap((page) => page.items), sent);
    const typed = await client.signals.pending({ agentId: 'pg', type: 't', limit: 2 });
    assert.deepEqual(typed.items, [sent[0], sent[2]]);
    const rest = await client.signals.pending({ agentId: 'pg', type: 't', limit: 2, cursor: typed.nextCursor! });
    assert.deepEqual(rest, { items: [sent[4]], nextCursor: null });
    assert.deepEqual(await client.signals.pending({ agentId: 'pg' }), sent, 'without limit, the whole list');

    for (const bad of ['nope', '-1', '1.5', '9'.repeat(16)]) {
      const paging = client.signals.pending({ agentId: 'pg', limit: 2, cursor: bad });
      await rejectsWith(paging, ErrorCode.InvalidParams, /\bcursor "[^"]*" is not a cursor/);
    }
    const r = await d.rpc('signal.pending', { agentId: 'pg', cursor: '3' });
    assert.equal(r.error.code, ErrorCode.InvalidParams);
    assert.equal(r.error.data.field, 'cursor', 'a cursor needs a limit');
  });

  it('drops an expired signal from its box and its type index', async () => {
    const keys = createKeys();
    const raw = redisClient(redis.url);
    try {
      const broadcast = await client.signals.broadcast({ from: 'ops', type: 'gone' });
      const direct = await client.signals.send({ from: 'a', to: 'x', type: 'gone' });
      // A signal expires when its hash does: remove the hashes rather than wait out a ttl.
      await raw.del(keys.signal(broadcast.signalId), keys.signal(direct.signalId));
      assert.equal(await client.signals.check({ agentId: 'y' }), null, 'found expired through the whole broadcast set');
      assert.equal(await client.signals.check({ agentId: 'x', type: 'gone' }), null, 'found expired through the type index');
      for (const box of [keys.broadcasts, keys.inbox('x')]) {
        assert.equal(await raw.zcard(box), 0, box);
        assert.equal(await raw.zcard(`${box}#gone`), 0, `${box}#gone`);
      }
    } finally {
      raw.disconnect();
    }
  });

  it('still delivers broadcasts sent after an agent cleared or took all before them', async () => {
    const first = await client.signals.broadcast({ from: 'ops', type: 'a' });
    await client.signals.broadcast({ from: 'ops', type: 'b' });
    assert.equal((await client.signals.clear({ agentId: 'fl' })).cleared, 2);
    assert.equal(await client.signals.check({ agentId: 'fl' }), null);
    const later = await client.signals.broadcast({ from: 'ops', type: 'a' });
    assert.deepEqual(await client.signals.check({ agentId: 'fl', type: 'a' }), later);
    assert.deepEqual(await client.signals.check({ agentId: 'fl', consume: true }), later);
    assert.equal(await client.signals.check({ agentId: 'fl' }), null);
    const last = await client.signals.broadcast({ from: 'fl', type: 'a' });
    assert.equal(await client.signals.check({ agentId: 'fl' }), null, 'not its own');
    assert.deepEqual(await client.signals.pending({ agentId: 'other', type: 'a' }), [first, later, last], 'only fl cleared them');
  });

  it('serves signal.wait over HTTP as a long poll', async () => {
    const polling = d.rpc('signal.wait', { agentId: 'http-agent', timeoutMs: 30_000 });
    const events = await record(client, ['signals']);
    const sent = await client.signals.send({ from: 'a', to: 'http-agent', type: 'hi' });
    assert.deepEqual((await polling).result, sent);
    await events.next((e) => e.type === 'signal.consumed');
  });
});
