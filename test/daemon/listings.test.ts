/**
 * Listings that can grow (agent.stale, approval.pending, event.types): whole lists of any length,
 * pages that cover a list exactly once in its order, and event types that lapse after the retention.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { redisClient } from '../helpers/redis-server';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { GATHER_PAGE } from '../../daemon/store/pages';
import { scripts } from '../../daemon/store/scripts';
import { ErrorCode } from '../../protocol/errors';
import type { Page } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import type { TestRedis } from '../helpers/redis-server';

const keys = createKeys();

/** Sends calls as HTTP batches of 500, a few batches at once; answers the results in call order. */
async function batched(d: TestDaemon, calls: { method: string; params: object }[]): Promise<any[]> {
  const results: any[] = [];
  const send = async (from: number) => {
    const { body } = await d.http(calls.slice(from, from + 500).map((c, i) => ({ jsonrpc: '2.0', id: from + i, ...c })));
    for (const reply of body as { id: number; result?: unknown; error?: unknown }[]) {
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      results[reply.id] = reply.result;
    }
  };
  for (let from = 0; from < calls.length; from += 2_000) {
    await Promise.all([0, 500, 1_000, 1_500].filter((o) => from + o < calls.length).map((o) => send(from + o)));
  }
  return results;
}

/**
 * Walks a listing page by page: `limitAt(itemsSoFar)` gives each page's limit and `between(page)`
 * runs before the next page is asked for. Checks every page against its limit.
 */
async function walk<T>(
  pageAt: (limit: number, cursor?: string) => Promise<Page<T>>,
  limitAt: (itemsSoFar: number) => number = () => 1000,
  between: (page: Page<T>) => Promise<void> = async () => {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const limit = limitAt(items.length);
    const page = await pageAt(limit, cursor);
    assert.ok(page.items.length <= limit, `a page of ${page.items.length} for limit ${limit}`);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (cursor !== undefined) await between(page);
  } while (cursor !== undefined);
  return items;
}

/** Redis orders members bytewise; so does comparing ASCII strings by code unit. */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function assertSortedBy<T>(items: T[], score: (item: T) => number, member: (item: T) => string): void {
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1]!, items[i]!];
    assert.ok(score(a) < score(b) || (score(a) === score(b) && byCode(member(a), member(b)) < 0), `out of order at ${i}`);
  }
}

/** Index of the second entry of a run of equal scores: a page ending just before it splits a tie. */
function tieAt<T>(items: T[], score: (item: T) => number): number {
  const at = items.findIndex((item, i) => i > 0 && score(items[i - 1]!) === score(item));
  assert.ok(at > 0, 'no two entries share a score');
  return at;
}

async function redisMs(raw: Redis): Promise<number> {
  const [seconds, micros] = await raw.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe('listings', () => {
  describe('agent.stale with 10 000 stale agents', () => {
    let redis: TestRedis;
    let d: TestDaemon;
    let client: SwitchboardClient;
    useDaemon((env) => ({ redis, d, client } = env));

    const fleet = Array.from({ length: 10_000 }, (_, i) => `fleet/agent-${String(i).padStart(5, '0')}`);
    const lastBeat = (a: { lastBeatAt: number }) => a.lastBeatAt;
    const agentId = (a: { agentId: string }) => a.agentId;

    before(async function () {
      this.timeout(60_000);
      const started = await batched(
        d,
        fleet.map((id) => ({ method: 'agent.start', params: { agentId: id, ttlSeconds: 3600 } })),
      );
      // Stale at a 1 ms threshold once the Redis clock is 2 ms past the newest beat.
      const newest = Math.max(...started.map(lastBeat));
      const raw = redisClient(redis.url);
      for (const deadline = Date.now() + 2_000; (await redisMs(raw)) < newest + 2; ) {
        assert.ok(Date.now() < deadline, 'the Redis clock did not move');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      raw.disconnect();
    });

    it('answers the whole list, longest silent first (today: "too many results to unpack")', async () => {
      const stale = await client.agents.stale({ thresholdSeconds: 0.001 });
      assert.equal(stale.length, fleet.length);
      assert.deepEqual(new Set(stale.map(agentId)), new Set(fleet));
      assertSortedBy(stale, lastBeat, agentId);
    });

    it('pages of at most 1000 cover it exactly once, also when a page ends inside a tie or its last agent leaves', async function () {
      this.timeout(30_000);
      const whole = await client.agents.stale({ thresholdSeconds: 0.001 });
      // One page ends between two agents with the same lastBeatAt, and its last agent then stops.
      const split = tieAt(whole, lastBeat);
      const paged = await walk(
        (limit, cursor) => client.agents.stale({ thresholdSeconds: 0.001, limit, cursor }),
        (soFar) => (soFar < split ? Math.min(1000, split - soFar) : 1000),
        async (page) => {
          const last = page.items.at(-1)!;
          if (last.agentId === whole[split - 1]!.agentId) await client.agents.stop({ agentId: last.agentId, finalStatus: 'completed' });
        },
      );
      assert.deepEqual(paged.map(agentId), whole.map(agentId));
    });
  });

  describe('approval.pending with 3 000 pending', () => {
    let redis: TestRedis;
    let d: TestDaemon;
    let client: SwitchboardClient;
    useDaemon((env) => ({ redis, d, client } = env));

    const expiresAt = (a: { expiresAt: number }) => a.expiresAt;
    const requestId = (a: { requestId: string }) => a.requestId;
    let created: string[];

    before(async function () {
      this.timeout(60_000);
      // Timeouts a few ms apart, so that expiry order is not creation order, yet many expire in the same ms.
      const calls = Array.from({ length: 3_000 }, (_, i) => ({
        method: 'approval.create',
        params: { agentId: 'asker', type: 'deploy', context: { i }, timeoutMs: 600_000 - (i % 10) },
      }));
      created = (await batched(d, calls)).map(requestId);
    });

    it('lists all, soonest to expire first, reading Redis one bounded page per script call', async () => {
      const raw = redisClient(redis.url);
      const sha = createHash('sha1').update(scripts.approvalsPending.lua).digest('hex');
      await client.approvals.pending({ limit: 1 }); // loads the script, so that every call below is an EVALSHA
      await raw.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '10000');
      await raw.slowlog('RESET');
      const pending = await client.approvals.pending();
      const log = (await raw.slowlog('GET', 10_000)) as [number, number, number, string[]][];
      await raw.config('SET', 'slowlog-log-slower-than', '10000');
      raw.disconnect();

      assert.equal(pending.length, created.length);
      assert.deepEqual(new Set(pending.map(requestId)), new Set(created));
      assertSortedBy(pending, expiresAt, requestId);
      // Each call's ARGV ends with its cursor and page size: no call read more than a page.
      const calls = log.map((entry) => entry[3]).filter((args) => args[0]?.toLowerCase() === 'evalsha' && args[1] === sha);
      assert.equal(calls.length, created.length / GATHER_PAGE);
      assert.ok(calls.every((args) => Number(args.at(-1)) === GATHER_PAGE), JSON.stringify(calls.map((args) => args.slice(-2))));
    });

    it('pages of at most 1000 cover the list exactly once, also when a page ends inside a tie', async () => {
      const whole = await client.approvals.pending();
      const split = tieAt(whole, expiresAt);
      const paged = await walk(
        (limit, cursor) => client.approvals.pending({ limit, cursor }),
        (soFar) => (soFar < split ? Math.min(1000, split - soFar) : 1000),
      );
      assert.deepEqual(paged.map(requestId), whole.map(requestId));
    });
  });

  describe('event.types', () => {
    let client: SwitchboardClient;
    useDaemon((env) => ({ client } = env));

    // Colons and slashes inside names; upper case sorts before lower case, as Redis orders bytes.
    const types = ['ns:deploy', 'ns:build', 'team/a', 'Zeta', 'alpha', 'a.b', 'a-b', 'x@y', ...Array.from({ length: 17 }, (_, i) => `t${i}`)];
    const sorted = [...types].sort(byCode);

    before(async () => {
      for (const type of types) await client.events.publish({ type, data: null });
    });

    it('lists every type by name, whole or in pages', async () => {
      assert.deepEqual(await client.events.types(), sorted);
      for (const limit of [1, 10, 1000]) {
        const paged = await walk((l, cursor) => client.events.types({ limit: l, cursor }), () => limit);
        assert.deepEqual(paged, sorted, `pages of ${limit}`);
      }
      const last = await client.events.types({ limit: types.length });
      assert.equal(last.nextCursor, null, 'a page that reaches the end says so');
    });

    it('refuses a cursor no page gave (-32602)', async () => {
      for (const cursor of ['nope', '12:', ':x', 'x:y', '1:bad cursor', `1:${'m'.repeat(129)}`]) {
        const error = await rejectsWith(client.events.types({ limit: 10, cursor }), ErrorCode.InvalidParams, /^invalid params: cursor ".*" is not a cursor this listing gave$/);
        assert.equal(error.data?.field, 'cursor');
      }
      await rejectsWith(client.agents.stale({ thresholdSeconds: 1, limit: 10, cursor: 'nope' }), ErrorCode.InvalidParams, /cursor/);
      await rejectsWith(client.approvals.pending({ limit: 10, cursor: 'nope' }), ErrorCode.InvalidParams, /cursor/);
    });
  });

  describe('event retention', () => {
    let redis: TestRedis;
    let client: SwitchboardClient;
    useDaemon((env) => ({ redis, client } = env), { limits: { eventRetentionMs: 300 } });

    it('drops a type not published for eventRetentionMs, with its stream; a type published again stays', async () => {
      await client.events.publish({ type: 'short-lived', data: 1 });
      await client.events.publish({ type: 'kept', data: 1 });
      const raw = redisClient(redis.url);
      assert.equal(await raw.exists(keys.eventStream('short-lived')), 1);
      assert.ok((await client.events.types()).includes('short-lived'));

      let types: string[];
      const deadline = Date.now() + 5_000;
      do {
        assert.ok(Date.now() < deadline, 'short-lived is still listed 5 s after its last publish');
        await client.events.publish({ type: 'kept', data: 2 });
        await new Promise((resolve) => setTimeout(resolve, 50));
        types = await client.events.types();
      } while (types.includes('short-lived'));

      assert.deepEqual(types, ['kept']);
      assert.equal(await raw.exists(keys.eventStream('short-lived')), 0);
      assert.deepEqual(await client.events.recent({ type: 'short-lived' }), []);
      assert.ok((await client.events.recent({ type: 'kept' })).length > 0);
      assert.deepEqual(await raw.zrange(keys.eventTypesExpiry, 0, -1), ['kept'], 'the sweep index forgets it too');
      raw.disconnect();
    });
  });
});
