import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { redisClient } from '../helpers/redis-server';
import { scripts } from '../../daemon/store/scripts';
import type { TestRedis } from '../helpers/redis-server';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode, type RpcError } from '../../protocol/errors';
import type { AgentStatus } from '../../protocol/types';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import { rejectsWith as rejects } from '../helpers/assert-rpc';

describe('agents', () => {
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));

  it('starts, beats and stops an agent, keeping every field', async () => {
    const started = await client.agents.start({ agentId: 'team/alpha-1', metadata: { workflow: 'review', n: 0.1 }, ttlSeconds: 45 });
    assert.equal(started.agentId, 'team/alpha-1');
    assert.equal(started.status, 'starting');
    assert.equal(started.progress, 0);
    assert.equal(started.currentTask, null);
    assert.deepEqual(started.metadata, { workflow: 'review', n: 0.1 });
    assert.equal(started.ttlSeconds, 45);
    assert.equal(started.alive, true);
    assert.equal(started.startedAt, started.lastBeatAt);

    const beat = await client.agents.beat({ agentId: 'team/alpha-1', progress: 0.65, currentTask: 'Analyzing "diff" — ü/…' });
    assert.equal(beat.status, 'running');
    assert.equal(beat.progress, 0.65);
    assert.equal(beat.currentTask, 'Analyzing "diff" — ü/…');
    assert.deepEqual(beat.metadata, { workflow: 'review', n: 0.1 }, 'a beat without metadata keeps it');
    assert.ok(beat.lastBeatAt >= started.lastBeatAt);

    const cleared = await client.agents.beat({ agentId: 'team/alpha-1', currentTask: null, metadata: { workflow: 'other' } });
    assert.equal(cleared.currentTask, null);
    assert.equal(cleared.progress, 0.65, 'a beat without progress keeps it');
    assert.deepEqual(cleared.metadata, { workflow: 'other' }, 'metadata on a beat replaces it');

    const stopped = await client.agents.stop({ agentId: 'team/alpha-1', finalStatus: 'failed' });
    assert.equal(stopped.status, 'failed');
    assert.equal(stopped.alive, false);
    assert.deepEqual(await client.agents.get({ agentId: 'team/alpha-1' }), stopped);
  });

  it('answers get for an unknown agent with null', async () => {
    assert.equal(await client.agents.get({ agentId: 'never-started' }), null);
  });

  it('refuses a beat for an unknown agent (-32002) and for a stopped one (-32003), changing nothing', async () => {
    await rejects(client.agents.beat({ agentId: 'ghost' }), ErrorCode.NotFound, /ghost.*agent\.start/);
    assert.equal(await client.agents.get({ agentId: 'ghost' }), null);
    await client.agents.start({ agentId: 'done' });
    const stopped = await client.agents.stop({ agentId: 'done', finalStatus: 'completed' });
    await rejects(client.agents.beat({ agentId: 'done', progress: 1 }), ErrorCode.Conflict, /completed/);
    await rejects(client.agents.stop({ agentId: 'done', finalStatus: 'failed' }), ErrorCode.Conflict);
    assert.deepEqual(await client.agents.get({ agentId: 'done' }), stopped);
    await rejects(client.agents.stop({ agentId: 'ghost', finalStatus: 'failed' }), ErrorCode.NotFound);
  });

  it('starting again re-registers a stopped agent from scratch', async () => {
    await client.agents.start({ agentId: 'phoenix', metadata: { a: 1 } });
    await client.agents.beat({ agentId: 'phoenix', progress: 0.9, currentTask: 'x' });
    await client.agents.stop({ agentId: 'phoenix', finalStatus: 'completed' });
    const again = await client.agents.start({ agentId: 'phoenix' });
    assert.equal(again.status, 'starting');
    assert.equal(again.progress, 0);
    assert.equal(again.currentTask, null);
    assert.deepEqual(again.metadata, {});
    assert.equal(again.alive, true);
  });

  it('validates params, naming the field and the rule', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ agentId: 'has space' }, 'agentId', 'pattern'],
      [{ agentId: 'x'.repeat(129) }, 'agentId', 'pattern'],
      [{}, 'agentId', 'required'],
      [{ agentId: 'a', ttlSeconds: 0 }, 'ttlSeconds', 'minimum'],
      [{ agentId: 'a', ttlSeconds: 1.5 }, 'ttlSeconds', 'type'],
      [{ agentId: 'a', metadata: [1, 2] }, 'metadata', 'type'],
      [{ agentId: 'a', colour: 'red' }, 'colour', 'unknown field'],
    ];
    for (const [params, field, rule] of cases) {
      const { error } = await d.rpc('agent.start', params);
      assert.equal(error?.code, ErrorCode.InvalidParams, JSON.stringify(params));
      assert.equal(error.data.field, field, JSON.stringify(params));
      assert.equal(error.data.rule, rule, JSON.stringify(params));
      assert.match(error.message, new RegExp(field));
    }
    const { error } = await d.rpc('agent.beat', { agentId: 'a', progress: 1.5 });
    assert.equal(error.data.field, 'progress');
    assert.match(error.message, /progress must be <= 1/);
    assert.equal(await client.agents.get({ agentId: 'a' }), null, 'nothing was written');
  });

  it('refuses metadata over 64 KiB with -32004', async () => {
    const { error } = await d.rpc('agent.start', { agentId: 'big', metadata: { blob: 'x'.repeat(70_000) } });
    assert.equal(error.code, ErrorCode.TooLarge);
    assert.equal(error.data.field, 'metadata');
    assert.equal(await client.agents.get({ agentId: 'big' }), null);
  });

  it('lists alive agents and those ended in the last 10 minutes', async () => {
    await client.agents.start({ agentId: 'list-alive' });
    await client.agents.start({ agentId: 'list-ended' });
    await client.agents.stop({ agentId: 'list-ended', finalStatus: 'cancelled' });
    const byId = new Map((await client.agents.list()).map((a) => [a.agentId, a]));
    assert.equal(byId.get('list-alive')?.alive, true);
    assert.equal(byId.get('list-ended')?.status, 'cancelled');
  });

  it('reports alive agents whose last beat is older than the threshold as stale', async () => {
    await client.agents.start({ agentId: 'stale-check' });
    const fresh = await client.agents.stale({ thresholdSeconds: 3600 });
    assert.ok(!fresh.some((a) => a.agentId === 'stale-check'), 'just started: not stale at 1 h');
    const events = await record(client, ['agents']);
    await client.agents.beat({ agentId: 'stale-check' });
    const beat = await events.next((e) => e.type === 'agent.beat' && (e.data as AgentStatus).agentId === 'stale-check');
    // Staleness is age: let 30 ms pass, then ask with a 10 ms threshold.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const stale = await client.agents.stale({ thresholdSeconds: 0.01 });
    const found = stale.find((a) => a.agentId === 'stale-check');
    assert.ok(found, 'silent for 30 ms > 10 ms threshold');
    assert.equal(found.lastBeatAt, (beat.data as AgentStatus).lastBeatAt);
  });

  it('publishes every change on the agents topic, in order', async () => {
    const events = await record(client, ['agents']);
    await client.agents.start({ agentId: 'evented' });
    await client.agents.beat({ agentId: 'evented', progress: 0.5 });
    await client.agents.stop({ agentId: 'evented', finalStatus: 'completed' });
    const mine = await events.count((e) => (e.data as AgentStatus).agentId === 'evented', 3);
    assert.deepEqual(
      mine.map((e) => e.type),
      ['agent.started', 'agent.beat', 'agent.stopped'],
    );
    assert.equal((mine[1]!.data as AgentStatus).progress, 0.5);
    const seqs = events.events.map((e) => e.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'seq rises by one per subscription');
  });

  it('expires an unbeaten agent within ttl + 1 s, once, and a beat revives it', async () => {
    const events = await record(client, ['agents']);
    const started = await client.agents.start({ agentId: 'silent', ttlSeconds: 1 });
    const expired = await events.next((e) => e.type === 'agent.expired' && (e.data as AgentStatus).agentId === 'silent', 5_000);
    const status = expired.data as AgentStatus;
    assert.equal(status.status, 'expired');
    assert.equal(status.alive, false);
    const lateness = expired.ts - (started.lastBeatAt + 1000);
    assert.ok(lateness >= 0 && lateness <= 1000, `expired ${lateness} ms after its deadline`);
    assert.equal((await client.agents.get({ agentId: 'silent' }))?.status, 'expired');
    assert.equal((await client.agents.list()).find((x) => x.agentId === 'silent')?.status, 'expired', 'listed as expired');

    const revived = await client.agents.beat({ agentId: 'silent' });
    assert.equal(revived.alive, true);
    assert.equal(revived.status, 'running');
    await client.agents.stop({ agentId: 'silent', finalStatus: 'completed' });
    assert.equal(events.events.filter((e) => e.type === 'agent.expired' && (e.data as AgentStatus).agentId === 'silent').length, 1);
  });

  it('loses no update under 100 concurrent beats from 10 connections', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => d.client()));
    await client.agents.start({ agentId: 'busy' });
    const events = await record(client, ['agents']);
    const beats = await Promise.all(
      Array.from({ length: 100 }, (_, i) => clients[i % 10]!.agents.beat({ agentId: 'busy', progress: i / 100, currentTask: `task ${i}` })),
    );
    const pushed = await events.count((e) => e.type === 'agent.beat' && (e.data as AgentStatus).agentId === 'busy', 100);
    assert.equal(new Set(beats.map((b) => b.currentTask)).size, 100, 'every beat answered with its own state');
    // Each beat is one atomic step: its reply equals the state it published, and the stored
    // state is the last one published.
    const byTask = new Map(pushed.map((e) => [(e.data as AgentStatus).currentTask, e.data as AgentStatus]));
    for (const beat of beats) assert.deepEqual(byTask.get(beat.currentTask), beat);
    assert.deepEqual(await client.agents.get({ agentId: 'busy' }), pushed.at(-1)!.data);
  });

  it('ends an agent exactly once when stops race', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => d.client()));
    await client.agents.start({ agentId: 'racer' });
    const results = await Promise.allSettled(
      clients.map((c, i) => c.agents.stop({ agentId: 'racer', finalStatus: i % 2 ? 'failed' : 'completed' })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results.filter((r) => r.status === 'rejected')) assert.equal(((r as PromiseRejectedResult).reason as RpcError).code, ErrorCode.Conflict);
  });
});

describe('agents: beats arriving together', () => {
  let d: TestDaemon;
  let redis: TestRedis;
  useDaemon((env) => ({ d, redis } = env));

  it('records them in one script call, and one beat’s error fails only that beat', async () => {
    await Promise.all(['b-1', 'b-2', 'b-3'].map((agentId) => d.rpc('agent.start', { agentId })));
    await d.rpc('agent.stop', { agentId: 'b-3', finalStatus: 'completed' });
    await d.rpc('agent.beat', { agentId: 'b-1' }); // loads the script, so that every call below is an EVALSHA
    const sha = createHash('sha1').update(scripts.agentBeats.lua).digest('hex');
    const raw = redisClient(redis.url);
    await raw.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '10000');
    await raw.slowlog('RESET');
    // One JSON-RPC batch: its calls start in the same turn of the daemon's event loop.
    const { body } = await d.http(
      ['b-1', 'b-2', 'b-3', 'nobody', 'b-1'].map((agentId, id) => ({ jsonrpc: '2.0', id, method: 'agent.beat', params: { agentId, currentTask: `t${id}` } })),
    );
    const log = (await raw.slowlog('GET', 10_000)) as [number, number, number, string[]][];
    await raw.config('SET', 'slowlog-log-slower-than', '10000');
    raw.disconnect();

    const byId = new Map((body as { id: number; result?: AgentStatus; error?: { code: number } }[]).map((r) => [r.id, r]));
    assert.equal(byId.get(0)!.result!.currentTask, 't0');
    assert.equal(byId.get(1)!.result!.currentTask, 't1');
    assert.equal(byId.get(2)!.error!.code, ErrorCode.Conflict, 'a stopped agent');
    assert.equal(byId.get(3)!.error!.code, ErrorCode.NotFound, 'an agent never started');
    assert.equal(byId.get(4)!.result!.currentTask, 't4', 'the same agent twice: applied in order');
    const calls = log.map((entry) => entry[3]).filter((args) => args[0]?.toLowerCase() === 'evalsha' && args[1] === sha);
    assert.equal(calls.length, 1, `${calls.length} script calls`);
    assert.equal((await d.rpc('agent.get', { agentId: 'b-1' })).result.currentTask, 't4');
  });

  it('answers a beat whose stored record is damaged with its own error, changing nothing, and records the other beats of its batch', async () => {
    await Promise.all(['d-1', 'd-2', 'd-ttl', 'd-type'].map((agentId) => d.rpc('agent.start', { agentId })));
    // Records changed outside Switchboard: a ttl that is not a number, a key of another type.
    const raw = redisClient(redis.url);
    await raw.hset('{sb:agents}:agent:d-ttl', 'ttlSeconds', 'soon');
    await raw.del('{sb:agents}:agent:d-type');
    await raw.set('{sb:agents}:agent:d-type', 'not a hash');
    const damagedBefore = await raw.hgetall('{sb:agents}:agent:d-ttl');
    // One JSON-RPC batch: one script call, the damaged records between the good ones.
    const { body } = await d.http(
      ['d-1', 'd-ttl', 'd-2', 'd-type'].map((agentId, id) => ({ jsonrpc: '2.0', id, method: 'agent.beat', params: { agentId, currentTask: `t${id}` } })),
    );
    const damagedAfter = await raw.hgetall('{sb:agents}:agent:d-ttl');
    raw.disconnect();
    const byId = new Map((body as { id: number; result?: AgentStatus; error?: { code: number; message: string } }[]).map((r) => [r.id, r]));
    assert.equal(byId.get(0)!.result?.currentTask, 't0', JSON.stringify(byId.get(0)));
    assert.equal(byId.get(2)!.result?.currentTask, 't2', JSON.stringify(byId.get(2)));
    assert.deepEqual(byId.get(1)!.error, {
      code: ErrorCode.InternalError,
      message: 'agent "d-ttl" has a damaged record (ttlSeconds is "soon", not a number); call agent.start to register it again',
    });
    assert.equal(byId.get(3)!.error?.code, ErrorCode.InternalError);
    assert.match(byId.get(3)!.error!.message, /^agent "d-type" cannot be read \(WRONGTYPE .*\); call agent\.start to register it again$/);
    assert.deepEqual(damagedAfter, damagedBefore, 'the damaged record is left as it was');
    assert.equal((await d.rpc('agent.get', { agentId: 'd-2' })).result.currentTask, 't2');
    // Registering again repairs it.
    await d.rpc('agent.start', { agentId: 'd-ttl' });
    assert.equal((await d.rpc('agent.beat', { agentId: 'd-ttl', currentTask: 'again' })).result.currentTask, 'again');
  });

  it('keeps a connection’s calls in order: a beat then a get or a stop sees the beat', async () => {
    await d.rpc('agent.start', { agentId: 'b-order' });
    const call = (id: number, method: string, params: object) => ({ jsonrpc: '2.0', id, method, params });
    const read = (await d.http([call(0, 'agent.beat', { agentId: 'b-order', progress: 0.7 }), call(1, 'agent.get', { agentId: 'b-order' })])).body as { id: number; result: AgentStatus }[];
    assert.equal(read.find((r) => r.id === 1)!.result.progress, 0.7);
    const stop = (await d.http([call(0, 'agent.beat', { agentId: 'b-order', progress: 1 }), call(1, 'agent.stop', { agentId: 'b-order', finalStatus: 'completed' })])).body as {
      id: number;
      result?: AgentStatus;
      error?: unknown;
    }[];
    assert.equal(stop.find((r) => r.id === 0)!.error, undefined, 'the beat ran before the stop');
    assert.equal(stop.find((r) => r.id === 1)!.result!.progress, 1);
  });
});
