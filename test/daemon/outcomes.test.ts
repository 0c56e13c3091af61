/** Outcomes (SPEC "Outcomes") against a real redis-server: record, recent filters, rolling stats against brute force, windows, failure-rate alerts. */
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { BIN_COUNT, binValue, HISTOGRAM_RELATIVE_ERROR } from '../../daemon/store/outcome-buckets';
import { ErrorCode } from '../../protocol/errors';
import type { ParamsOf } from '../../protocol/methods';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../../protocol/outcome';
import type { OutcomeAlert, OutcomeEvent, PushedEvent } from '../../protocol/types';
import { useEmptiedDaemon, useTwoDaemons, type DaemonEnv } from '../helpers/daemon';
import { record } from '../helpers/events';

type RecordParams = ParamsOf<'outcome.record'>;

describe('outcomes', () => {
  let env: DaemonEnv;
  let client: SwitchboardClient;
  let redis: Redis;
  const keys = createKeys();
  useEmptiedDaemon((e) => ({ client, raw: redis } = env = e));

  const outcome = (agentName: string, status: OutcomeStatus, extra: Partial<RecordParams> = {}): RecordParams => ({
    agentName,
    actionType: 'llm.call',
    status,
    durationMs: 100,
    ...extra,
  });

  it('records an outcome as sent, with an eventId, the Redis time and a severity, and pushes it', async () => {
    const log = await record(client, ['outcomes']);
    const before = Date.now();
    const event = await client.outcomes.record({
      ...outcome('writer', 'success'),
      latencyMs: 12.5,
      tokensUsed: 420,
      costUsd: 0.0123,
      output: { text: 'hello', n: [1, 2] },
      metadata: { model: 'small' },
      runId: 'run-1',
      correlationId: 'c-1',
      workflowId: 'wf-1',
      tags: ['draft', 'fast'],
    });
    assert.match(event.eventId, /^[0-9a-f-]{36}$/);
    assert.ok(event.timestamp >= before - 1000 && event.timestamp <= Date.now() + 1000);
    assert.equal(event.severity, 'info');
    assert.deepEqual(event.output, { text: 'hello', n: [1, 2] });
    assert.deepEqual(event.metadata, { model: 'small' });
    assert.deepEqual(event.tags, ['draft', 'fast']);
    assert.equal(event.costUsd, 0.0123);
    const pushed = await log.next((e) => e.type === 'outcome.recorded');
    assert.deepEqual(pushed.data, [event]);
    assert.deepEqual(await client.outcomes.recent(), [event]);
  });

  it('derives the severity from the status', async () => {
    const expected = { success: 'info', partial: 'warning', pending: 'warning', cancelled: 'warning', failure: 'error', timeout: 'error' };
    for (const status of OUTCOME_STATUSES) {
      const event = await client.outcomes.record(outcome(`sev-${status}`, status));
      assert.equal(event.severity, expected[status], status);
    }
  });

  it('answers recent outcomes newest last, with each filter and with all of them at once', async () => {
    const sent: OutcomeEvent[] = [];
    for (let i = 0; i < 30; i++) {
      sent.push(
        await client.outcomes.record(
          outcome(i % 3 === 0 ? 'alpha' : 'beta', i % 4 === 0 ? 'failure' : 'success', {
            workflowId: i % 2 === 0 ? 'even' : 'odd',
            tags: i % 5 === 0 ? ['five', `n${i}`] : [`n${i}`],
          }),
        ),
      );
    }
    const ids = (events: OutcomeEvent[]) => events.map((e) => e.eventId);
    const last = (events: OutcomeEvent[], n: number) => ids(events.slice(-n));
    assert.deepEqual(ids(await client.outcomes.recent()), last(sent, 10), 'default count 10');
    assert.deepEqual(ids(await client.outcomes.recent({ count: 100 })), ids(sent));
    assert.deepEqual(ids(await client.outcomes.recent({ agentName: 'alpha', count: 3 })), last(sent.filter((e) => e.agentName === 'alpha'), 3));
    assert.deepEqual(ids(await client.outcomes.recent({ status: 'failure', count: 100 })), ids(sent.filter((e) => e.status === 'failure')));
    assert.deepEqual(ids(await client.outcomes.recent({ workflowId: 'odd', count: 100 })), ids(sent.filter((e) => e.workflowId === 'odd')));
    assert.deepEqual(ids(await client.outcomes.recent({ tag: 'five', count: 100 })), ids(sent.filter((e) => e.tags!.includes('five'))));
    assert.deepEqual(ids(await client.outcomes.recent({ tag: 'n1', count: 100 })), [sent[1]!.eventId], 'a tag matches whole, not as a prefix');
    const all = (e: OutcomeEvent) => e.agentName === 'alpha' && e.status === 'failure' && e.workflowId === 'even' && e.tags!.includes('five');
    assert.deepEqual(ids(await client.outcomes.recent({ agentName: 'alpha', status: 'failure', workflowId: 'even', tag: 'five', count: 100 })), ids(sent.filter(all)));
    assert.deepEqual(await client.outcomes.recent({ agentName: 'nobody' }), []);
  });

  it('finds a rare match past more entries than one scan reads', async () => {
    const rare = await client.outcomes.record(outcome('rare', 'success'));
    await Promise.all(Array.from({ length: 1500 }, () => client.outcomes.record(outcome('busy', 'success'))));
    assert.deepEqual(await client.outcomes.recent({ agentName: 'rare' }), [rare]);
  });

  it('records the same eventId once', async () => {
    const first = await client.outcomes.record({ ...outcome('idem', 'success'), eventId: 'evt-1' });
    const again = await client.outcomes.record({ ...outcome('idem', 'failure'), eventId: 'evt-1' });
    assert.deepEqual(again, first);
    // twice in one coalesced script call, too
    const [a, b] = await Promise.all([
      client.outcomes.record({ ...outcome('idem', 'success'), eventId: 'evt-2' }),
      client.outcomes.record({ ...outcome('idem', 'success'), eventId: 'evt-2' }),
    ]);
    assert.deepEqual(b, a);
    assert.equal((await client.outcomes.recent({ agentName: 'idem', count: 100 })).length, 2);
    assert.equal((await client.outcomes.stats({ agentName: 'idem' })).agents[0]!.count, 2);
  });

  it('refuses an eventId sent again after its first record left the stream (CONFLICT), recording nothing', async () => {
    const first = await client.outcomes.record({ ...outcome('trimmed', 'success'), eventId: 'evt-trimmed' });
    const [entry] = (await redis.xrange(keys.outcomeStream, '-', '+')).filter(([, fields]) => fields.join('\n').includes(first.eventId));
    await redis.xdel(keys.outcomeStream, entry![0]);
    await assert.rejects(client.outcomes.record({ ...outcome('trimmed', 'success'), eventId: 'evt-trimmed' }), (error: { code?: number; message?: string }) => {
      assert.equal(error.code, ErrorCode.Conflict);
      assert.match(error.message!, /"evt-trimmed" was recorded already and has left the stream/);
      return true;
    });
    assert.equal((await client.outcomes.stats({ agentName: 'trimmed' })).agents[0]!.count, 1);
  });

  it('refuses bad params naming the field and the rule, recording nothing', async () => {
    const good = outcome('strict', 'success');
    const bad: [Record<string, unknown>, string, string][] = [
      [{ ...good, agentName: undefined }, 'agentName', 'required'],
      [{ ...good, agentName: 'has space' }, 'agentName', 'pattern'],
      [{ ...good, status: 'great' }, 'status', 'enum'],
      [{ ...good, durationMs: -1 }, 'durationMs', 'minimum'],
      [{ ...good, durationMs: 86_400_001 }, 'durationMs', 'maximum'],
      [{ ...good, tokensUsed: 1.5 }, 'tokensUsed', 'type'],
      [{ ...good, costUsd: -0.01 }, 'costUsd', 'minimum'],
      [{ ...good, errorMessage: 'x'.repeat(8193) }, 'errorMessage', 'maxLength'],
      [{ ...good, tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, 'tags', 'maxItems'],
      [{ ...good, tags: ['ok', 'not ok'] }, 'tags.1', 'pattern'],
      [{ ...good, metadata: [1] }, 'metadata', 'type'],
      [{ ...good, colour: 'red' }, 'colour', 'unknown field'],
    ];
    for (const [params, field, rule] of bad) {
      const { error } = await env.d.rpc('outcome.record', params);
      assert.equal(error?.code, ErrorCode.InvalidParams, JSON.stringify(params).slice(0, 200));
      assert.deepEqual(error.data, { field, rule }, error.message);
      assert.match(error.message, new RegExp(field.replace('.', '\\.')));
    }
    const { error } = await env.d.rpc('outcome.record', { ...good, output: 'x'.repeat(70_000) });
    assert.equal(error.code, ErrorCode.TooLarge);
    assert.equal(error.data.field, 'output');
    for (const [params, field] of [
      [{ count: 0 }, 'count'],
      [{ status: 'meh' }, 'status'],
      [{ tag: '' }, 'tag'],
    ] as const) {
      const { error: recentError } = await env.d.rpc('outcome.recent', params);
      assert.equal(recentError.data.field, field);
    }
    const { error: statsError } = await env.d.rpc('outcome.stats', { windowSeconds: 3601 });
    assert.deepEqual(statsError.data, { field: 'windowSeconds', rule: 'maximum' });
    assert.deepEqual(await client.outcomes.recent({ count: 100 }), []);
    assert.deepEqual((await client.outcomes.stats()).agents, []);
  });

  it('gives stats equal to a brute-force computation on random outcomes (percentiles within the histogram error)', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const sent: RecordParams[] = [];
    for (const agentName of ['r-a', 'r-b', 'r-c']) {
      const failureShare = random() * 0.3;
      for (let i = 0; i < 400; i++) {
        const r = random();
        const status: OutcomeStatus = r < failureShare ? 'failure' : OUTCOME_STATUSES[Math.floor(random() * OUTCOME_STATUSES.length)]!;
        // log-uniform from 0.2 ms to 2 minutes, at float precision
        const durationMs = 0.2 * Math.exp(random() * Math.log(600_000));
        sent.push({ agentName, actionType: 'x', status, durationMs, tokensUsed: Math.floor(random() * 5000), costUsd: Math.round(random() * 1e6) / 1e7 });
      }
    }
    // all at once: coalesced into script calls of up to 128, like a busy fleet
    await Promise.all(sent.map((o) => client.outcomes.record(o)));
    const stats = await client.outcomes.stats();
    assert.equal(stats.windowSeconds, 300);
    assert.deepEqual(
      stats.agents.map((a) => a.agentName),
      ['r-a', 'r-b', 'r-c'],
    );
    for (const [name, got] of [...stats.agents.map((a) => [a.agentName, a] as const), ['fleet', stats.fleet] as const]) {
      const mine = name === 'fleet' ? sent : sent.filter((o) => o.agentName === name);
      const n = mine.length;
      const countOf = (status: OutcomeStatus) => mine.filter((o) => o.status === status).length;
      assert.equal(got.count, n, name);
      assert.deepEqual(got.byStatus, Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, countOf(s)])));
      assert.equal(got.successRate, countOf('success') / n);
      assert.equal(got.errorRate, (countOf('failure') + countOf('timeout')) / n);
      assert.equal(got.tokensUsed, mine.reduce((sum, o) => sum + o.tokensUsed!, 0));
      assert.equal(got.costUsd, mine.reduce((sum, o) => sum + Math.round(o.costUsd! * 1e9), 0) / 1e9);
      assert.ok(Math.abs(got.avgMs! - mine.reduce((sum, o) => sum + o.durationMs, 0) / n) < 0.001, 'mean to 1 µs');
      const sorted = mine.map((o) => o.durationMs).sort((a, b) => a - b);
      for (const [p, value] of [[50, got.p50Ms], [95, got.p95Ms], [99, got.p99Ms]] as const) {
        const exact = sorted[Math.ceil((p / 100) * n) - 1]!;
        const error = exact <= 1 ? Math.abs(value! - exact) : Math.abs(value! - exact) / exact;
        assert.ok(error <= (exact <= 1 ? 0.5 : HISTOGRAM_RELATIVE_ERROR + 1e-9), `${name} p${p}: ${value} vs exact ${exact}`);
      }
    }
    const one = await client.outcomes.stats({ agentName: 'r-b' });
    assert.deepEqual(one.agents, [stats.agents[1]]);
    assert.deepEqual(one.fleet, statsWithout(stats.agents[1]!));
  });

  it('states the histogram error it keeps: every bin middle within it of both bin edges', () => {
    assert.ok(HISTOGRAM_RELATIVE_ERROR < 0.045);
    for (let bin = 2; bin < BIN_COUNT; bin++) {
      const [low, high] = [2 ** ((bin - 1) / 8), 2 ** (bin / 8)];
      assert.ok((binValue(bin) - low) / low <= HISTOGRAM_RELATIVE_ERROR + 1e-12 && (high - binValue(bin)) / high <= HISTOGRAM_RELATIVE_ERROR + 1e-12);
    }
  });

  it('counts only the buckets inside the window', async () => {
    await client.outcomes.record(outcome('aged', 'failure', { durationMs: 50 }));
    // Move the outcome's bucket 20 buckets (200 s) into the past, as time would.
    const [bucketKey] = await redis.keys(`${keys.outcomeBucketPrefix}aged:*`);
    const bucket = Number(bucketKey!.split(':').pop());
    await redis.rename(bucketKey!, `${keys.outcomeBucketPrefix}aged:${bucket - 20}`);
    await redis.zadd(keys.outcomeAgents, (bucket - 20) * 10_000, 'aged');
    await client.outcomes.record(outcome('fresh', 'success'));
    for (const windowSeconds of [10, 100, 200, 210, 300, 3600]) {
      const stats = await client.outcomes.stats({ windowSeconds });
      const newest = Math.floor(stats.at / 10_000);
      const inside = bucket - 20 >= newest - Math.ceil(windowSeconds / 10) + 1;
      assert.equal(stats.windowSeconds, Math.ceil(windowSeconds / 10) * 10);
      assert.deepEqual(stats.agents.map((a) => a.agentName), inside ? ['aged', 'fresh'] : ['fresh'], `window ${windowSeconds}`);
      assert.equal(stats.fleet.count, inside ? 2 : 1);
    }
  });

  it('takes the buckets that left the running window out of the default window’s stats', async () => {
    // A failure, then a success: both in the agent's running window (the sum over 300 s).
    await client.outcomes.record(outcome('rolling', 'failure', { tokensUsed: 5 }));
    const [first] = await redis.keys(`${keys.outcomeBucketPrefix}rolling:*`);
    const bucket = Number(first!.split(':').pop());
    // As if the failure came 32 buckets ago and the success 5 buckets ago (its latest outcome):
    // the failure has left the window since, the success has not.
    await redis.rename(first!, `${keys.outcomeBucketPrefix}rolling:${bucket - 32}`);
    await client.outcomes.record(outcome('rolling', 'success', { tokensUsed: 7 }));
    const [second] = (await redis.keys(`${keys.outcomeBucketPrefix}rolling:*`)).filter((k) => k !== `${keys.outcomeBucketPrefix}rolling:${bucket - 32}`);
    const now = Number(second!.split(':').pop());
    await redis.rename(second!, `${keys.outcomeBucketPrefix}rolling:${now - 5}`);
    await redis.hset(`${keys.outcomeAgentPrefix}rolling`, 'head', now - 5);
    await redis.zadd(keys.outcomeAgents, (now - 5) * 10_000, 'rolling');
    const stats = await client.outcomes.stats({ agentName: 'rolling' });
    if (Math.floor(stats.at / 10_000) !== now) return; // a bucket boundary passed meanwhile: the arithmetic above no longer holds
    assert.deepEqual([stats.agents[0]!.count, stats.agents[0]!.byStatus.success, stats.agents[0]!.tokensUsed], [1, 1, 7]);
    assert.equal((await client.outcomes.stats({ agentName: 'rolling', windowSeconds: 290 })).agents[0]!.count, 1, 'the buckets say the same');
    assert.equal((await client.outcomes.stats({ agentName: 'rolling', windowSeconds: 3600 })).agents[0]!.count, 2);
  });

  describe('failure-rate alert', () => {
    const isAlert = (agentName: string, type: string) => (e: PushedEvent) => e.type === type && (e.data as OutcomeAlert).agentName === agentName;

    it('fires once when the error rate passes 10 % with at least 10 outcomes, and recovers once at half of it', async () => {
      const log = await record(client, ['outcomes']);
      const agent = 'flaky';
      for (let i = 0; i < 9; i++) await client.outcomes.record(outcome(agent, 'failure'));
      assert.equal((await client.outcomes.stats({ agentName: agent })).agents[0]!.alerting, false, '9 outcomes are too few');
      const tenth = await client.outcomes.record(outcome(agent, 'timeout'));
      assert.equal(tenth.severity, 'critical', 'an error while the alert is on');
      const fired = await log.next(isAlert(agent, 'alert.failure_rate'));
      assert.deepEqual({ ...(fired.data as OutcomeAlert), at: 0 }, { agentName: agent, errorRate: 1, count: 10, errors: 10, threshold: 0.1, windowSeconds: 300, at: 0 });
      assert.equal((await client.outcomes.stats({ agentName: agent })).agents[0]!.alerting, true);
      await client.outcomes.record(outcome(agent, 'failure'));
      // 11 errors: the rate falls to 5 % (recovery) at 220 outcomes, i.e. after 209 successes
      for (let i = 0; i < 208; i++) await client.outcomes.record(outcome(agent, 'success'));
      assert.equal(log.events.filter(isAlert(agent, 'alert.recovered')).length, 0, 'not yet at 5 %');
      await client.outcomes.record(outcome(agent, 'success'));
      const recovered = await log.next(isAlert(agent, 'alert.recovered'));
      assert.equal((recovered.data as OutcomeAlert).errorRate, 11 / 220);
      // between 5 % and 10 %: neither fires again
      await client.outcomes.record(outcome(agent, 'failure'));
      const last = await client.outcomes.record(outcome(agent, 'failure'));
      assert.equal(last.severity, 'error');
      await log.next((e) => e.type === 'outcome.recorded' && (e.data as OutcomeEvent[]).some((o) => o.eventId === last.eventId));
      assert.equal(log.events.filter(isAlert(agent, 'alert.failure_rate')).length, 1);
      assert.equal(log.events.filter(isAlert(agent, 'alert.recovered')).length, 1);
    });

    it('recovers by itself when the failures leave the window, though the agent records nothing more', async () => {
      const log = await record(client, ['outcomes']);
      await Promise.all(Array.from({ length: 12 }, () => client.outcomes.record(outcome('gone', 'failure'))));
      await log.next(isAlert('gone', 'alert.failure_rate'));
      // As if 40 buckets (400 s) had passed since: the sweep finds the window empty.
      const head = Number(await redis.hget(`${keys.outcomeAgentPrefix}gone`, 'head'));
      await redis.hset(`${keys.outcomeAgentPrefix}gone`, 'head', head - 40);
      const recovered = await log.next(isAlert('gone', 'alert.recovered'), 5000);
      assert.deepEqual([(recovered.data as OutcomeAlert).count, (recovered.data as OutcomeAlert).errorRate], [0, 0]);
      assert.equal(await redis.zcard(keys.outcomeAlerting), 0);
    });
  });

  it('pushes sampled per-agent stats to subscribers', async () => {
    const log = await record(client, ['outcomes']);
    await client.outcomes.record(outcome('sampled', 'success', { tokensUsed: 7 }));
    const pushed = await log.next((e) => e.type === 'outcome.stats' && (e.data as { agentName: string }).agentName === 'sampled', 5000);
    assert.deepEqual(pushed.data, (await client.outcomes.stats({ agentName: 'sampled' })).agents[0]);
  });
});

function statsWithout<T extends { agentName: string; alerting: boolean; lastAt: number }>(stats: T): Omit<T, 'agentName' | 'alerting' | 'lastAt'> {
  const { agentName: _a, alerting: _b, lastAt: _c, ...rest } = stats;
  return rest;
}

describe('outcomes across two daemons sharing one Redis', () => {
  let onA: SwitchboardClient;
  let onB: SwitchboardClient;

  useTwoDaemons((env) => ({ onA, onB } = env));

  it('raises the alert once and recovers once, whichever daemon the outcomes go through', async () => {
    const [logA, logB] = await Promise.all([record(onA, ['outcomes']), record(onB, ['outcomes'])]);
    const send = (i: number, status: OutcomeStatus) => (i % 2 ? onA : onB).outcomes.record({ agentName: 'shared', actionType: 'x', status, durationMs: 5 });
    // both daemons at once: 10 failures, then 190 successes (10/200 = 5 %: recovered)
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(i, 'failure')));
    await Promise.all(Array.from({ length: 190 }, (_, i) => send(i, 'success')));
    const last = await send(1, 'success');
    for (const log of [logA, logB]) {
      await log.next((e) => e.type === 'outcome.recorded' && (e.data as OutcomeEvent[]).some((o) => o.eventId === last.eventId));
      assert.equal(log.events.filter((e) => e.type === 'alert.failure_rate').length, 1);
      assert.equal(log.events.filter((e) => e.type === 'alert.recovered').length, 1);
    }
    const stats = await onB.outcomes.stats({ agentName: 'shared' });
    assert.equal(stats.agents[0]!.count, 201);
    assert.equal(stats.agents[0]!.alerting, false);
  });
});
