/** outcome.timeline (an extension to SPEC "Outcomes"): the 10 s buckets of a window merged into steps, against a real redis-server. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { ErrorCode } from '../../protocol/errors';
import type { ParamsOf } from '../../protocol/methods';
import { useEmptiedDaemon, type DaemonEnv } from '../helpers/daemon';

describe('outcome timeline', () => {
  let env: DaemonEnv;
  let client: SwitchboardClient;
  let redis: Redis;
  const keys = createKeys();
  useEmptiedDaemon((e) => ({ client, raw: redis } = env = e));

  const record = (agentName: string, status: 'success' | 'failure', durationMs: number) =>
    client.outcomes.record({ agentName, actionType: 'llm.call', status, durationMs, tokensUsed: 10, costUsd: 0.001 });

  /** Moves an agent's only bucket `back` buckets into the past, as time would. */
  async function age(agentName: string, back: number): Promise<number> {
    const [bucketKey] = await redis.keys(`${keys.outcomeBucketPrefix}${agentName}:*`);
    const bucket = Number(bucketKey!.split(':').pop());
    await redis.rename(bucketKey!, `${keys.outcomeBucketPrefix}${agentName}:${bucket - back}`);
    return bucket - back;
  }

  it('puts each bucket in its step, oldest first, with counts, errors, p95, tokens and cost', async () => {
    for (let i = 0; i < 3; i++) await record('old', 'failure', 200);
    await record('old', 'success', 200);
    const oldBucket = await age('old', 7);
    await record('new', 'success', 50);
    const timeline = await client.outcomes.timeline({ windowSeconds: 120, stepSeconds: 30 });
    assert.deepEqual([timeline.windowSeconds, timeline.stepSeconds], [120, 30]);
    const newest = Math.floor(timeline.at / 10_000);
    assert.equal(timeline.start, (newest - 11) * 10_000, 'four steps of three buckets, the last one ending now');
    assert.deepEqual(timeline.agents.map((a) => a.agentName), ['new', 'old']);
    const [fresh, old] = timeline.agents;
    const stepOf = (bucket: number) => Math.floor((bucket - (newest - 11)) / 3);
    const expected = [0, 0, 0, 0];
    expected[stepOf(oldBucket)] = 4;
    assert.deepEqual(old!.count, expected);
    assert.equal(old!.errors[stepOf(oldBucket)], 3);
    assert.equal(old!.tokensUsed[stepOf(oldBucket)], 40);
    assert.ok(Math.abs(old!.costUsd[stepOf(oldBucket)]! - 0.004) < 1e-12);
    const p95 = old!.p95Ms[stepOf(oldBucket)]!;
    assert.ok(Math.abs(p95 - 200) / 200 < 0.045, `p95 ${p95} within the histogram error of 200 ms`);
    assert.equal(old!.p95Ms.filter((v) => v === null).length, 3, 'no p95 where a step has no outcomes');
    assert.deepEqual(fresh!.count, [0, 0, 0, 1]);
  });

  it('gives one agent when asked, and none whose outcomes are all older than the window', async () => {
    await record('old', 'success', 10);
    await age('old', 20);
    await redis.zadd(keys.outcomeAgents, (Math.floor(Date.now() / 10_000) - 20) * 10_000, 'old');
    await record('new', 'success', 10);
    assert.deepEqual((await client.outcomes.timeline({ windowSeconds: 60 })).agents.map((a) => a.agentName), ['new']);
    const one = await client.outcomes.timeline({ agentName: 'old' });
    assert.deepEqual([one.windowSeconds, one.stepSeconds, one.agents.length, one.agents[0]!.count.length], [3600, 10, 1, 360]);
    assert.equal(one.agents[0]!.count.reduce((a, b) => a + b), 1);
  });

  it('refuses a step that is not whole 10 s buckets, naming the param', async () => {
    const { error } = await env.d.rpc('outcome.timeline', { stepSeconds: 15 } as ParamsOf<'outcome.timeline'>);
    assert.equal(error?.code, ErrorCode.InvalidParams);
    assert.match(error?.message ?? '', /stepSeconds/);
  });
});
