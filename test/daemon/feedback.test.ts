/** Feedback (SPEC "Feedback") against a real redis-server: stats against brute force, 7-day retention, the tier rules at their edges, bad params. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { ErrorCode } from '../../protocol/errors';
import { DAY_MS, TIERS, type Tier } from '../../protocol/tier';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon } from '../helpers/daemon';
import { flushRedis, redisClient } from '../helpers/redis-server';

describe('feedback', () => {
  let client: SwitchboardClient;
  let redis: Redis;
  let redisUrl: string;
  const keys = createKeys();
  useDaemon((env) => {
    client = env.client;
    redisUrl = env.redis.url;
  });
  before(() => (redis = redisClient(redisUrl)));
  after(() => redis.disconnect());
  beforeEach(() => flushRedis(redisUrl));

  const wf = { workflow: 'wf:a', stage: 'draft' };
  const recordAll = async (tier: Tier, qualities: number[], stage = wf) => {
    for (const quality of qualities) await client.feedback.record({ ...stage, tier, quality });
  };
  /** Today's day number by the Redis clock, as the scripts count days. */
  const today = async () => Math.floor(Number((await redis.time())[0]) * 1000 / DAY_MS);
  /** A bucket as feedbackRecord writes it, for a day in the past. */
  const storeDay = (tier: Tier, day: number, qualities: number[]) =>
    redis.hset(
      keys.feedbackStage(wf.workflow, wf.stage),
      `${tier}:${day}`,
      `${qualities.length} ${qualities.reduce((a, b) => a + b, 0)} ${Math.min(...qualities)} ${Math.max(...qualities)}`,
    );
  const brute = (qualities: number[]) => ({
    count: qualities.length,
    avg: qualities.reduce((a, b) => a + b, 0) / qualities.length,
    min: Math.min(...qualities),
    max: Math.max(...qualities),
  });

  it('records a score and answers it with the Redis time and its metadata', async () => {
    const before = Date.now();
    const rec = await client.feedback.record({ ...wf, tier: 'capable', quality: 0.5, metadata: { model: 'm1' } });
    assert.equal(rec.quality, 0.5);
    assert.deepEqual(rec.metadata, { model: 'm1' });
    assert.ok(rec.recordedAt >= before - 1000 && rec.recordedAt <= Date.now() + 1000);
    const ttl = await redis.pttl(keys.feedbackStage(wf.workflow, wf.stage));
    assert.ok(ttl > 6 * DAY_MS && ttl <= 7 * DAY_MS, `ttl ${ttl}`);
  });

  it('stats: no data gives nulls and count 0', async () => {
    assert.deepEqual(await client.feedback.stats({ ...wf, tier: 'cheap' }), {
      ...wf, tier: 'cheap', avg: null, min: null, max: null, count: 0, trend: 'stable', trendDelta: null,
    });
  });

  it('stats match brute force on random scores, per tier and stage', async () => {
    const samples = new Map<Tier, number[]>(TIERS.map((t) => [t, []]));
    for (let i = 0; i < 150; i++) {
      const tier = TIERS[Math.floor(Math.random() * 3)]!;
      const quality = Math.random() < 0.1 ? Math.round(Math.random()) : Math.random();
      samples.get(tier)!.push(quality);
      await client.feedback.record({ ...wf, tier, quality });
    }
    await client.feedback.record({ workflow: 'wf:a', stage: 'other', tier: 'cheap', quality: 0 });
    for (const tier of TIERS) {
      const stats = await client.feedback.stats({ ...wf, tier });
      const want = brute(samples.get(tier)!);
      assert.equal(stats.count, want.count);
      assert.equal(stats.min, want.min);
      assert.equal(stats.max, want.max);
      assert.ok(Math.abs(stats.avg! - want.avg) < 1e-9, `${stats.avg} vs ${want.avg}`);
      assert.equal(stats.trend, 'stable', 'one day of samples has no trend');
    }
  });

  it('the trend compares the newest day with the days before, pooled, against brute force', async () => {
    const day = await today();
    const days = [6, 4, 1].map((ago) => ({ day: day - ago, q: Array.from({ length: 5 }, () => Math.random() * 0.5) }));
    for (const d of days) await storeDay('cheap', d.day, d.q);
    const lastDay = [0.9, 0.95, 1];
    await recordAll('cheap', lastDay);
    const before = days.flatMap((d) => d.q);
    const stats = await client.feedback.stats({ ...wf, tier: 'cheap' });
    assert.equal(stats.trend, 'improving');
    assert.ok(Math.abs(stats.trendDelta! - (brute(lastDay).avg - brute(before).avg)) < 1e-9);
    assert.ok(Math.abs(stats.avg! - brute([...before, ...lastDay]).avg) < 1e-9);
    assert.equal(stats.count, 18);

    await storeDay('premium', day - 2, [0.9, 0.9]);
    await recordAll('premium', [0.5]);
    assert.equal((await client.feedback.stats({ ...wf, tier: 'premium' })).trend, 'declining');
    await storeDay('capable', day - 2, [0.8]);
    await recordAll('capable', [0.82]);
    const stable = await client.feedback.stats({ ...wf, tier: 'capable' });
    assert.equal(stable.trend, 'stable');
    assert.ok(Math.abs(stable.trendDelta! - 0.02) < 1e-9);
  });

  it('retention: a score 6 days old counts; 7 or 8 days old does not, and the next record drops it', async () => {
    const day = await today();
    await storeDay('capable', day - 8, [0.1]);
    await storeDay('capable', day - 7, [0.2]);
    await storeDay('capable', day - 6, [0.6]);
    const stats = await client.feedback.stats({ ...wf, tier: 'capable' });
    assert.equal(stats.count, 1);
    assert.equal(stats.avg, 0.6);
    await recordAll('capable', [1]);
    const fields = await redis.hkeys(keys.feedbackStage(wf.workflow, wf.stage));
    assert.deepEqual(fields.sort(), [`capable:${day - 6}`, `capable:${day}`].sort());
    assert.equal((await client.feedback.stats({ ...wf, tier: 'capable' })).count, 2);
  });

  describe('recommend', () => {
    const rec = (currentTier: Tier) => client.feedback.recommend({ ...wf, currentTier });

    it('no data: keep, confidence 0', async () => {
      const r = await rec('capable');
      assert.equal(r.recommendedTier, 'capable');
      assert.equal(r.change, 'keep');
      assert.equal(r.confidence, 0);
      assert.match(r.reason, /no feedback/);
    });

    it('upgrades below 0.7, keeps at exactly 0.7; premium cannot upgrade', async () => {
      await recordAll('cheap', [0.69]);
      assert.deepEqual([(await rec('cheap')).recommendedTier, (await rec('cheap')).change], ['capable', 'upgrade']);
      await recordAll('capable', [0.7, 0.7, 0.7]);
      assert.equal((await rec('capable')).change, 'keep');
      await recordAll('premium', [0.2]);
      const r = await rec('premium');
      assert.equal(r.recommendedTier, 'premium');
      assert.match(r.reason, /highest tier/);
    });

    it('downgrades above 0.9 only when the lower tier averages above 0.85, at their edges', async () => {
      await recordAll('premium', [0.9, 0.9, 0.9]);
      await recordAll('capable', [0.95]);
      assert.equal((await rec('premium')).change, 'keep', 'exactly 0.9 is not above 0.9');

      await recordAll('premium', [0.93]);
      assert.equal((await rec('premium')).recommendedTier, 'capable');
      assert.equal((await rec('premium')).change, 'downgrade');

      await flushRedis(redisUrl);
      await recordAll('premium', [0.95, 0.95]);
      assert.match((await rec('premium')).reason, /capable has no feedback/);
      await recordAll('capable', [0.85, 0.85, 0.85]);
      const atEdge = await rec('premium');
      assert.equal(atEdge.change, 'keep', 'lower tier exactly 0.85 is not above 0.85');
      assert.match(atEdge.reason, /not above 0\.85/);
      await recordAll('capable', [0.86]);
      assert.equal((await rec('premium')).change, 'downgrade');
    });

    it('cheap cannot downgrade', async () => {
      await recordAll('cheap', [1, 1]);
      const r = await rec('cheap');
      assert.equal(r.recommendedTier, 'cheap');
      assert.match(r.reason, /lowest tier/);
    });

    it('confidence is min(1, count / 20); a downgrade takes the thinner tier', async () => {
      await recordAll('capable', Array(10).fill(0.5));
      assert.equal((await rec('capable')).confidence, 0.5);
      await recordAll('capable', Array(15).fill(0.5));
      assert.equal((await rec('capable')).confidence, 1);
      await flushRedis(redisUrl);
      await recordAll('capable', Array(30).fill(1));
      await recordAll('cheap', Array(4).fill(0.9));
      const down = await rec('capable');
      assert.equal(down.change, 'downgrade');
      assert.equal(down.confidence, 0.2);
    });
  });

  it('refuses bad params naming the field, and records nothing', async () => {
    for (const [params, field] of [
      [{ ...wf, tier: 'cheap', quality: 1.5 }, 'quality'],
      [{ ...wf, tier: 'cheap', quality: -0.1 }, 'quality'],
      [{ ...wf, tier: 'gold', quality: 0.5 }, 'tier'],
      [{ ...wf, stage: 'a#b', tier: 'cheap', quality: 0.5 }, 'stage'],
      [{ stage: 'x', tier: 'cheap', quality: 0.5 }, 'workflow'],
    ] as const) {
      const error = await rejectsWith(client.call('feedback.record', params as never), ErrorCode.InvalidParams);
      assert.equal(error.data?.field, field, JSON.stringify(error.data));
    }
    await rejectsWith(client.call('feedback.recommend', { ...wf, currentTier: 'best' } as never), ErrorCode.InvalidParams);
    assert.deepEqual(await redis.keys('*fb*'), []);
  });
});
