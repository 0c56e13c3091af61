/**
 * Broadcasts at scale (issue 6, finding 4): with 20 000 live broadcasts a take reads a bounded
 * number of entries, and a broadcast wakes only the waiters of its type. Cost is counted in Redis
 * commands — INFO commandstats counts those run inside Lua too — and takes are watched with
 * MONITOR, so nothing here depends on timing.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { redisClient } from '../helpers/redis-server';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { defineScripts, scripts } from '../../daemon/store/scripts';
import type { Signal } from '../../protocol/types';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import type { TestRedis } from '../helpers/redis-server';

const keys = createKeys();
const BULK = 20_000;
const WAITER_CLIENTS = 20;

async function commandCalls(raw: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const [, command, n] of (await raw.info('commandstats')).matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) calls.set(command!, Number(n));
  return calls;
}

/** Runs `work` and tells how many times a command ran (in scripts too) meanwhile. */
async function countCommands<T>(raw: Redis, work: () => Promise<T>): Promise<{ result: T; calls: (command: string) => number }> {
  const before = await commandCalls(raw);
  const result = await work();
  const after = await commandCalls(raw);
  return { result, calls: (command) => (after.get(command) ?? 0) - (before.get(command) ?? 0) };
}

/** Broadcasts `count` signals of one type straight through the send script, in one pipeline. */
async function broadcastMany(raw: Redis, count: number, type: string): Promise<void> {
  type SendPipeline = { signalSend(...args: (string | number)[]): void; exec(): Promise<[Error | null, unknown][] | null> };
  const pipeline = raw.pipeline() as unknown as SendPipeline;
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    pipeline.signalSend(keys.broadcasts, keys.signalSeq, keys.signal(id), id, type, 'ops', '*', String(i), 600_000, keys.channels.signals);
  }
  const replies = await pipeline.exec();
  assert.ok(replies?.every(([error]) => error === null));
}

/** Counts events and lets a test await the n-th. */
class Tally {
  count = 0;
  private readonly wanted: { n: number; resolve: () => void }[] = [];
  add(): void {
    this.count += 1;
    for (const w of this.wanted.filter((w) => w.n <= this.count)) w.resolve();
  }
  reached(n: number): Promise<void> {
    return new Promise((resolve) => (n <= this.count ? resolve() : this.wanted.push({ n, resolve })));
  }
}

describe('signals at scale', () => {
  let redis: TestRedis;
  let d: TestDaemon;
  let client: SwitchboardClient;
  let raw: Redis;
  let rare: Signal;
  useDaemon((env) => ({ redis, d, client } = env));

  before(async () => {
    raw = redisClient(redis.url);
    defineScripts(raw);
    await broadcastMany(raw, BULK, 'bulk');
    rare = await client.signals.broadcast({ from: 'ops', type: 'rare', ttlSeconds: 600 });
  });
  after(() => raw.disconnect());

  it('takes the one broadcast of a type among 20 000 by reading that type only', async () => {
    const { result, calls } = await countCommands(raw, () => client.signals.check({ agentId: 'picky', type: 'rare' }));
    assert.deepEqual(result, rare);
    // Before the type index every take read the whole set: 20 001 HMGETs here.
    assert.ok(calls('hmget') < 200, `${calls('hmget')} HMGETs`);
  });

  it('passes over the broadcasts an agent has taken once, not on every take', async () => {
    assert.equal((await client.signals.clear({ agentId: 'eater', type: 'bulk' })).cleared, BULK);
    const first = await countCommands(raw, () => client.signals.check({ agentId: 'eater' }));
    assert.deepEqual(first.result, rare);
    // The seen set is asked before a broadcast is read (before: 20 001 HMGETs and 20 001 SISMEMBERs)...
    assert.ok(first.calls('hmget') < 200, `${first.calls('hmget')} HMGETs`);
    // ...and that pass raised the agent's floor over them, so the next take starts past them
    // (before: all 20 001 of each again, on every take).
    const second = await countCommands(raw, () => client.signals.check({ agentId: 'eater' }));
    assert.deepEqual(second.result, rare);
    assert.ok(second.calls('sismember') < 200, `${second.calls('sismember')} SISMEMBERs`);
    assert.ok(second.calls('hmget') < 200, `${second.calls('hmget')} HMGETs`);
    assert.ok(second.calls('zrange') < 20, `${second.calls('zrange')} ZRANGEs`);
  });

  it('wakes only the waiters of a broadcast’s type, and every one of those', async () => {
    // Every take is one EVALSHA of the take script (EVAL after a script flush); MONITOR shows them
    // in the order Redis ran them.
    const take = scripts.signalTake.lua;
    const takeSha = createHash('sha1').update(take).digest('hex');
    const beatsSha = createHash('sha1').update(scripts.agentBeats.lua).digest('hex');
    const beater = await d.client();
    await beater.agents.start({ agentId: 'beater' });
    await beater.agents.beat({ agentId: 'beater' }); // loads the script: every beat below is an EVALSHA
    const takes = new Tally();
    const beats = new Tally();
    const monitor = await raw.monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (!/^eval/i.test(args[0] ?? '')) return;
      if ((args[1] === takeSha || args[1] === take) && args[3]!.startsWith(keys.inbox('w-'))) takes.add();
      if (args[1] === beatsSha && args.includes('beater')) beats.add();
    });
    try {
      // 10 blocked calls per connection, well inside the daemon's per-connection in-flight limit
      const waiterClients = await Promise.all(Array.from({ length: WAITER_CLIENTS }, () => d.client()));
      const waits = Array.from({ length: 200 }, (_, i) =>
        waiterClients[i % WAITER_CLIENTS]!.signals.wait({ agentId: `w-${i}`, type: 'x', timeoutMs: 30_000 }),
      );
      await takes.reached(200); // each waiter armed, then looked once

      const log = await record(client, ['signals']);
      const y = [await client.signals.broadcast({ from: 'ops', type: 'y' }), await client.signals.send({ from: 'ops', to: 'w-0', type: 'y' })];
      // The hub wakes waiters before it pushes the frame, and a woken waiter's take goes out on the
      // daemon's one command connection ahead of the beat below: once the beat has run, any take
      // these signals caused has too. (Before: every waiter woke and took again, each take reading
      // all 20 000 broadcasts.)
      await log.count((e) => e.type === 'signal.sent' && y.some((s) => s.signalId === (e.data as Signal).signalId), 2);
      assert.equal((await beater.agents.beat({ agentId: 'beater' })).agentId, 'beater');
      await beats.reached(1);
      assert.equal(takes.count, 200, 'a signal of type y woke a waiter for type x');

      const x = await client.signals.broadcast({ from: 'ops', type: 'x' });
      assert.deepEqual(await Promise.all(waits), Array(200).fill(x));
      await beater.agents.beat({ agentId: 'beater' });
      await beats.reached(2);
      // Every wait has ended, so every take it made is counted: one more each, none for y.
      assert.equal(takes.count, 400, 'each waiter took once more, and only for x');
    } finally {
      monitor.disconnect();
    }
  });
});
