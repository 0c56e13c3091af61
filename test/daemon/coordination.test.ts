/** Coordination primitives (SPEC "Coordination primitives") against a real redis-server and two daemons on it. */
import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import { isBlockingCall } from '../../protocol/methods';
import type { BarrierEvent, Lock, PermitEvent } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useTwoDaemons, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('coordination primitives', () => {
  let a: TestDaemon;
  let b: TestDaemon;
  let onA: SwitchboardClient;
  let onB: SwitchboardClient;
  let n = 0;
  /** A fresh name per test, so tests share the daemons without sharing state. */
  const fresh = (kind: string) => `${kind}${++n}-${Date.now()}`;

  useTwoDaemons((env) => ({ a, b, onA, onB } = env));

  /**
   * Awaits `waiting` (an acquire on daemon B that must wait) once `release` (on daemon A) is
   * answered, and fails unless B answers within a second of the release: the push woke it, not
   * its 30 s wait or a poll.
   */
  async function wokenWithinASecond<T>(waiting: Promise<T>, release: () => Promise<unknown>): Promise<T> {
    // parked on B: a later call on the same connection is answered after the acquire's first try
    await onB.locks.list();
    const releasedAt = performance.now();
    await release();
    const granted = await waiting;
    const wokenAfterMs = performance.now() - releasedAt;
    assert.ok(wokenAfterMs < 1000, `woken ${wokenAfterMs.toFixed(1)} ms after the release (the wait was 30 s)`);
    return granted;
  }

  describe('locks', () => {
    it('grants one holder at a time, with fencing tokens that strictly increase across grants, expiries and daemons', async () => {
      const name = fresh('lock');
      const log = await record(onA, ['coordination']);
      const tokens: number[] = [];
      const first = await onA.locks.acquire({ name, owner: 'w1', ttlMs: 5000 });
      assert.ok(first);
      assert.equal(first.owner, 'w1');
      assert.ok(first.expiresAt - Date.now() > 4000);
      tokens.push(first.fencingToken);
      assert.equal(await onB.locks.acquire({ name, owner: 'w2', ttlMs: 5000 }), null, 'held: the other daemon gets null at once');
      await onA.locks.release({ name, owner: 'w1', fencingToken: first.fencingToken });
      const second = await onB.locks.acquire({ name, owner: 'w2', ttlMs: 100 });
      tokens.push(second!.fencingToken);
      // its lease runs out: the sweep publishes the expiry, and the fence counter does not reset
      await log.next((e) => e.type === 'lock.expired' && (e.data as Lock).name === name && (e.data as Lock).fencingToken === second!.fencingToken);
      const third = await onA.locks.acquire({ name, owner: 'w3', ttlMs: 5000 });
      tokens.push(third!.fencingToken);
      await onA.locks.release({ name, owner: 'w3', fencingToken: third!.fencingToken });
      for (let i = 0; i < 10; i++) {
        const on = i % 2 ? onA : onB;
        const lock = await on.locks.acquire({ name, owner: `r${i}`, ttlMs: 5000 });
        tokens.push(lock!.fencingToken);
        await on.locks.release({ name, owner: `r${i}`, fencingToken: lock!.fencingToken });
      }
      for (let i = 1; i < tokens.length; i++) assert.ok(tokens[i]! > tokens[i - 1]!, `tokens ${tokens.join(',')}`);
      assert.ok(log.events.some((e) => e.type === 'lock.acquired' && (e.data as Lock).fencingToken === first.fencingToken));
      assert.ok(log.events.some((e) => e.type === 'lock.released' && (e.data as Lock).fencingToken === first.fencingToken));
    });

    it('refuses a stale token for renew and release with -32003 and changes nothing', async () => {
      const name = fresh('lock');
      const old = (await onA.locks.acquire({ name, owner: 'w', ttlMs: 50 }))!;
      // expired, then granted again to someone else (same owner name even: the token decides)
      const current = (await onB.locks.acquire({ name, owner: 'w', ttlMs: 5000, waitMs: 5000 }))!;
      assert.ok(current.fencingToken > old.fencingToken);
      await rejectsWith(onA.locks.renew({ name, owner: 'w', fencingToken: old.fencingToken, ttlMs: 5000 }), ErrorCode.Conflict, /stale fencing token/);
      await rejectsWith(onB.locks.release({ name, owner: 'w', fencingToken: old.fencingToken }), ErrorCode.Conflict, /stale fencing token/);
      await rejectsWith(onB.locks.release({ name, owner: 'other', fencingToken: current.fencingToken }), ErrorCode.Conflict, /not held by "other"/);
      const listed = (await onA.locks.list()).find((l) => l.name === name);
      assert.deepEqual(listed, current, 'the current holder is untouched');
      const renewed = await onA.locks.renew({ name, owner: 'w', fencingToken: current.fencingToken, ttlMs: 10_000 });
      assert.equal(renewed.fencingToken, current.fencingToken);
      assert.ok(renewed.expiresAt > current.expiresAt);
      await onA.locks.release({ name, owner: 'w', fencingToken: current.fencingToken });
      await rejectsWith(onA.locks.release({ name, owner: 'w', fencingToken: current.fencingToken }), ErrorCode.Conflict, /not held/);
      assert.equal((await onA.locks.list()).find((l) => l.name === name), undefined, 'released: not listed');
    });

    it('wakes a waiting acquire on one daemon as soon as the lock is released on the other', async () => {
      const name = fresh('lock');
      const held = (await onA.locks.acquire({ name, owner: 'holder', ttlMs: 60_000 }))!;
      const granted = await wokenWithinASecond(onB.locks.acquire({ name, owner: 'waiter', ttlMs: 5000, waitMs: 30_000 }), () =>
        onA.locks.release({ name, owner: 'holder', fencingToken: held.fencingToken }),
      );
      assert.equal(granted?.owner, 'waiter');
      assert.ok(granted!.fencingToken > held.fencingToken);
    });

    it('answers null after waitMs when the lock stays held', async () => {
      const name = fresh('lock');
      await onA.locks.acquire({ name, owner: 'holder', ttlMs: 60_000 });
      const started = performance.now();
      assert.equal(await onB.locks.acquire({ name, owner: 'waiter', ttlMs: 5000, waitMs: 200 }), null);
      assert.ok(performance.now() - started >= 190);
    });
  });

  describe('semaphores', () => {
    it('never lets more than limit hold permits at once, under 50 racing clients on two daemons', async function () {
      this.timeout(60_000);
      const name = fresh('sem');
      const limit = 5;
      const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).client()));
      let holding = 0;
      let most = 0;
      let grants = 0;
      await Promise.all(
        clients.map(async (c, i) => {
          for (let round = 0; round < 4; round++) {
            const permit = await c.semaphores.acquire({ name, owner: `c${i}`, limit, ttlMs: 30_000, waitMs: 30_000 });
            assert.ok(permit, 'granted within the wait');
            holding++;
            grants++;
            most = Math.max(most, holding);
            // hold it across a Redis round trip, so that holders overlap
            const listed = (await c.semaphores.list()).find((s) => s.name === name);
            assert.ok(listed && listed.holders.length <= limit, `listed ${listed?.holders.length}`);
            holding--;
            await c.semaphores.release({ name, permitId: permit.permitId });
          }
        }),
      );
      assert.equal(grants, 200);
      assert.ok(most <= limit, `at most ${most} held at once`);
      assert.equal(most, limit, 'and the limit was reached');
      for (const c of clients) c.close();
    });

    it("returns a dead holder's permit by itself when its ttl runs out, and publishes the expiry", async () => {
      const name = fresh('sem');
      const log = await record(onA, ['coordination']);
      const dead = (await onA.semaphores.acquire({ name, owner: 'dead', limit: 1, ttlMs: 300 }))!;
      assert.equal(await onB.semaphores.acquire({ name, owner: 'next', limit: 1, ttlMs: 5000 }), null, 'the one permit is held');
      const started = performance.now();
      const next = await onB.semaphores.acquire({ name, owner: 'next', limit: 1, ttlMs: 5000, waitMs: 10_000 });
      assert.ok(next, 'granted once the dead one expired');
      const waited = performance.now() - started;
      assert.ok(waited < 2000, `granted ${waited.toFixed(0)} ms into the wait`);
      const expired = await log.next((e) => e.type === 'semaphore.expired' && (e.data as { permitId: string }).permitId === dead.permitId);
      assert.equal((expired.data as { owner: string }).owner, 'dead');
      await rejectsWith(onA.semaphores.release({ name, permitId: dead.permitId }), ErrorCode.Conflict, /not held/);
      const listed = (await onA.semaphores.list()).find((s) => s.name === name);
      assert.deepEqual(listed?.holders.map((h) => h.owner), ['next']);
      assert.equal(listed?.limit, 1);
      const renewed = await onA.semaphores.renew({ name, permitId: next.permitId, ttlMs: 20_000 });
      assert.ok(renewed.expiresAt > next.expiresAt);
    });

    it('wakes a waiting acquire on one daemon as soon as a permit is released on the other', async () => {
      const name = fresh('sem');
      const held = (await onA.semaphores.acquire({ name, owner: 'holder', limit: 1, ttlMs: 60_000 }))!;
      const granted = await wokenWithinASecond(onB.semaphores.acquire({ name, owner: 'waiter', limit: 1, ttlMs: 5000, waitMs: 30_000 }), () =>
        onA.semaphores.release({ name, permitId: held.permitId }),
      );
      assert.ok(granted, 'granted the permit the holder gave back');
      assert.notEqual(granted.permitId, held.permitId);
      assert.deepEqual((await onA.semaphores.list()).find((s) => s.name === name)?.holders.map((h) => h.owner), ['waiter']);
    });

    it('publishes semaphore.renewed and semaphore.released with the permit, its limit and the permits held after', async () => {
      const name = fresh('sem');
      const log = await record(onA, ['coordination']);
      const first = (await onB.semaphores.acquire({ name, owner: 'w1', limit: 2, ttlMs: 5000 }))!;
      await onB.semaphores.acquire({ name, owner: 'w2', limit: 2, ttlMs: 5000 });
      const renewed = await onB.semaphores.renew({ name, permitId: first.permitId, ttlMs: 20_000 });
      await onB.semaphores.release({ name, permitId: first.permitId });
      const published = async (type: string) => (await log.next((e) => e.type === type && (e.data as PermitEvent).permitId === first.permitId)).data;
      const permit = { name, permitId: first.permitId, owner: 'w1', expiresAt: renewed.expiresAt, limit: 2 };
      assert.deepEqual(await published('semaphore.renewed'), { ...permit, held: 2 });
      assert.deepEqual(await published('semaphore.released'), { ...permit, held: 1 }, 'the renewed expiry, and w2 still holding');
    });
  });

  describe('barriers', () => {
    it('releases every party once all arrived, across daemons, and is reusable', async () => {
      const name = fresh('bar');
      const clients = [onA, onB, await a.client()];
      for (const generation of [0, 1]) {
        const results = await Promise.all(clients.map((c) => c.barriers.wait({ name, parties: 3, timeoutMs: 10_000 })));
        for (const result of results) assert.deepEqual(result, { released: true, arrived: 3, generation });
      }
    });

    it('answers released false at its timeout and withdraws that arrival', async () => {
      const name = fresh('bar');
      const lonely = await onA.barriers.wait({ name, parties: 2, timeoutMs: 150 });
      assert.deepEqual(lonely, { released: false, arrived: 1, generation: 0 });
      // the withdrawn arrival does not count: one more alone still times out
      assert.equal((await onB.barriers.wait({ name, parties: 2, timeoutMs: 150 })).released, false);
      const both = await Promise.all([onA.barriers.wait({ name, parties: 2, timeoutMs: 10_000 }), onB.barriers.wait({ name, parties: 2, timeoutMs: 10_000 })]);
      assert.deepEqual(both.map((r) => r.released), [true, true]);
      const waiting = onA.barriers.wait({ name, parties: 2, timeoutMs: 10_000 });
      await onA.locks.list();
      await rejectsWith(onB.barriers.wait({ name, parties: 3, timeoutMs: 1000 }), ErrorCode.Conflict, /waiting for 2 parties/);
      await onB.barriers.wait({ name, parties: 2, timeoutMs: 1000 });
      assert.equal((await waiting).released, true);
    });

    it('lists the barriers with parties waiting, on every daemon, until released or given up', async () => {
      const name = fresh('bar');
      const log = await record(onA, ['coordination']);
      const listed = async (on: SwitchboardClient) => (await on.barriers.list()).filter((barrier) => barrier.name === name);
      const arrived = (n: number) => log.next((e) => e.type === 'barrier.arrived' && (e.data as BarrierEvent).name === name && (e.data as BarrierEvent).arrived === n);
      const first = onA.barriers.wait({ name, parties: 3, timeoutMs: 10_000 });
      await arrived(1);
      assert.deepEqual(await listed(onB), [{ name, parties: 3, arrived: 1, generation: 0 }]);
      const second = onB.barriers.wait({ name, parties: 3, timeoutMs: 10_000 });
      await arrived(2);
      assert.deepEqual(await listed(onA), [{ name, parties: 3, arrived: 2, generation: 0 }]);
      await onA.barriers.wait({ name, parties: 3, timeoutMs: 10_000 });
      await Promise.all([first, second]);
      assert.deepEqual(await listed(onB), [], 'released: nobody waits');
      const lonely = fresh('bar');
      assert.equal((await onB.barriers.wait({ name: lonely, parties: 2, timeoutMs: 100 })).released, false);
      assert.deepEqual((await onA.barriers.list()).filter((barrier) => barrier.name === lonely), [], 'its only waiter gave up');
    });

    it('publishes barrier.timedout with the arrivals left and barrier.released with the generation it released', async () => {
      const name = fresh('bar');
      const log = await record(onA, ['coordination']);
      const published = async (type: string, generation: number) =>
        (await log.next((e) => e.type === type && (e.data as BarrierEvent).name === name && (e.data as BarrierEvent).generation === generation)).data;
      const staying = onA.barriers.wait({ name, parties: 3, timeoutMs: 10_000 });
      await published('barrier.arrived', 0);
      assert.equal((await onB.barriers.wait({ name, parties: 3, timeoutMs: 150 })).released, false);
      assert.deepEqual(await published('barrier.timedout', 0), { name, parties: 3, arrived: 1, generation: 0 }, 'the one staying is left');
      await Promise.all([onB.barriers.wait({ name, parties: 3, timeoutMs: 10_000 }), onA.barriers.wait({ name, parties: 3, timeoutMs: 10_000 })]);
      assert.equal((await staying).released, true);
      assert.deepEqual(await published('barrier.released', 0), { name, parties: 3, arrived: 3, generation: 0 });
      // the next generation, alone: its withdrawal leaves nobody
      assert.equal((await onB.barriers.wait({ name, parties: 2, timeoutMs: 100 })).released, false);
      assert.deepEqual(await published('barrier.timedout', 1), { name, parties: 2, arrived: 0, generation: 1 });
    });
  });

  describe('rate limits and quotas', () => {
    it('lets a token bucket shared by two daemons through at its rate, within 5 % over 10 s', async function () {
      this.timeout(30_000);
      const key = fresh('bucket');
      const rate = 200;
      const burst = 20;
      const durationMs = 10_000;
      let allowed = 0;
      const started = performance.now();
      // two drivers (one per daemon), each taking as fast as it is allowed
      await Promise.all(
        [onA, onB].map(async (c) => {
          while (performance.now() - started < durationMs) {
            const take = await c.ratelimits.take({ key, rate, burst });
            if (take.allowed) allowed++;
            else await new Promise((resolve) => setTimeout(resolve, take.retryAfterMs));
          }
        }),
      );
      const elapsedS = (performance.now() - started) / 1000;
      const expected = burst + rate * elapsedS;
      assert.ok(Math.abs(allowed - expected) / expected <= 0.05, `${allowed} allowed in ${elapsedS.toFixed(2)} s, expected ${expected.toFixed(0)}`);
    });

    it('answers remaining and retryAfterMs, and takes a cost', async () => {
      const key = fresh('bucket');
      assert.deepEqual(await onA.ratelimits.take({ key, rate: 1, burst: 5, cost: 3 }), { allowed: true, remaining: 2, retryAfterMs: 0 });
      const refused = await onB.ratelimits.take({ key, rate: 1, burst: 5, cost: 3 });
      assert.equal(refused.allowed, false);
      assert.equal(refused.remaining, 2);
      assert.ok(refused.retryAfterMs > 900 && refused.retryAfterMs <= 1000, `retryAfterMs ${refused.retryAfterMs}`);
    });

    it('counts a fixed quota per period and a sliding one over the last period', async () => {
      const fixed = fresh('quota');
      const takes = [];
      for (let i = 0; i < 4; i++) takes.push(await onA.quotas.take({ key: fixed, limit: 3, periodMs: 60_000 }));
      assert.deepEqual(takes.map((t) => [t.allowed, t.remaining]), [[true, 2], [true, 1], [true, 0], [false, 0]]);
      assert.ok(takes[3]!.retryAfterMs > 0 && takes[3]!.retryAfterMs <= 60_000);
      assert.equal(takes[3]!.resetAt % 60_000, 0, 'periods aligned to epoch multiples');
      const sliding = fresh('quota');
      const first = await onB.quotas.take({ key: sliding, limit: 2, periodMs: 60_000, window: 'sliding', cost: 2 });
      assert.equal(first.allowed, true);
      const second = await onA.quotas.take({ key: sliding, limit: 2, periodMs: 60_000, window: 'sliding' });
      assert.equal(second.allowed, false);
      assert.ok(second.retryAfterMs > 0);
    });

    it("slides a sliding quota: the last period's takes weigh on this one by the share of it the window still covers", async function () {
      this.timeout(20_000);
      // Periods follow the Redis clock, which a test cannot move: a short period, crossed for real.
      // Every margin below is half a period (1.5 s) of scheduling delay.
      const periodMs = 3000;
      const quota = { key: fresh('quota'), limit: 4, periodMs, window: 'sliding' } as const;
      /** Takes 2 and works out when its retryAfterMs points at: somewhere in [earliest, latest]. */
      const takeTwo = async (on: SwitchboardClient) => {
        const sentAt = Date.now();
        const take = await on.quotas.take({ ...quota, cost: 2 });
        return { ...take, earliest: sentAt + take.retryAfterMs, latest: Date.now() + take.retryAfterMs };
      };
      // Redis TIME and Date.now read the same host clock, to the ms (hence ±1)
      const pointsAt = (take: { earliest: number; latest: number }, at: number, what: string) =>
        assert.ok(take.earliest - 1 <= at && at <= take.latest + 1, `${what}: retry at ${take.earliest}..${take.latest}, expected ${at}`);
      const until = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, epochMs - Date.now() + 5));

      const full = await onA.quotas.take({ ...quota, cost: 4 });
      assert.deepEqual([full.allowed, full.remaining], [true, 0]);
      const boundary = full.resetAt;
      // used = last period's 4 × (1 − elapsed / period) + this one's: 2 more fit once half of it slid out
      const halfSlid = boundary + periodMs / 2;
      pointsAt(await takeTwo(onB), halfSlid, 'refused in the full period');
      await until(boundary);
      const justAfter = await takeTwo(onB);
      assert.equal(justAfter.allowed, false, 'a fixed window would allow this: the last period still weighs');
      assert.equal(justAfter.resetAt, boundary + periodMs, 'taken in the next period');
      pointsAt(justAfter, halfSlid, 'refused just after the boundary');
      await until(halfSlid);
      const later = await takeTwo(onA);
      // (not its `remaining`: that grows as the last period slides out, within less than half a period)
      assert.deepEqual([later.allowed, later.resetAt], [true, boundary + periodMs], 'allowed later in the same period');
      // 2 taken now and a share of the last 4 still weighing: 2 more fit only once that has all slid out
      const more = await takeTwo(onB);
      assert.equal(more.allowed, false);
      pointsAt(more, boundary + periodMs, 'refused after the slide');
    });
  });

  it('counts acquires as blocking calls only with waitMs > 0, barrier.wait always', () => {
    for (const method of ['lock.acquire', 'semaphore.acquire']) {
      assert.equal(isBlockingCall(method, { waitMs: 0 }), false);
      assert.equal(isBlockingCall(method, {}), false);
      assert.equal(isBlockingCall(method, { waitMs: 10 }), true);
    }
    assert.equal(isBlockingCall('barrier.wait', { timeoutMs: 10 }), true);
    assert.equal(isBlockingCall('ratelimit.take', {}), false);
  });

  it('gives nothing to a waiter whose connection closed while it waited', async () => {
    const name = fresh('lock');
    const held = (await onA.locks.acquire({ name, owner: 'holder', ttlMs: 60_000 }))!;
    const log = await record(onA, ['coordination']);
    const ws = await b.socket();
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'lock.acquire', params: { name, owner: 'leaver', ttlMs: 60_000, waitMs: 30_000 } }));
    await onB.locks.list(); // parked once a later call on another connection of that daemon is answered
    ws.terminate();
    // the daemon has ended the wait once it counts the call as aborted
    const deadline = Date.now() + 5_000;
    let metrics = '';
    while (Date.now() < deadline && !/method="lock\.acquire",outcome="aborted"\} 1/.test(metrics)) {
      metrics = await (await fetch(`${b.httpUrl}/metrics`, { headers: { Authorization: `Bearer ${b.token}` } })).text();
    }
    assert.match(metrics, /method="lock\.acquire",outcome="aborted"\} 1/);
    await onA.locks.release({ name, owner: 'holder', fencingToken: held.fencingToken });
    const next = await onA.locks.acquire({ name, owner: 'next', ttlMs: 1000 });
    assert.ok(next, "free at once: the leaver's wait took nothing");
    assert.equal(log.events.filter((e) => e.type === 'lock.acquired' && (e.data as Lock).owner === 'leaver').length, 0);
  });

  it('refuses bad params naming the field, changing nothing', async () => {
    const name = fresh('bad');
    const bad = [
      ['lock.acquire', { name, owner: 'w' }, 'ttlMs'],
      ['lock.acquire', { name, owner: 'w', ttlMs: 1 }, 'ttlMs'],
      ['lock.acquire', { name: 'has space', owner: 'w', ttlMs: 1000 }, 'name'],
      ['lock.acquire', { name, owner: 'w', ttlMs: 1000, waitMs: -1 }, 'waitMs'],
      ['lock.renew', { name, owner: 'w', fencingToken: 0, ttlMs: 1000 }, 'fencingToken'],
      ['semaphore.acquire', { name, owner: 'w', limit: 0, ttlMs: 1000 }, 'limit'],
      ['barrier.wait', { name, parties: 0, timeoutMs: 1000 }, 'parties'],
      ['ratelimit.take', { key: name, rate: 0, burst: 1 }, 'rate'],
      ['ratelimit.take', { key: name, rate: 1, burst: 2, cost: 3 }, 'cost'],
      ['quota.take', { key: name, limit: 1, periodMs: 60_000, window: 'rolling' }, 'window'],
      ['quota.take', { key: name, limit: 1, periodMs: 60_000, cost: 2 }, 'cost'],
    ] as const;
    for (const [method, params, field] of bad) {
      const { error } = await a.rpc(method, params);
      assert.equal(error?.code, ErrorCode.InvalidParams, `${method} ${JSON.stringify(params)}`);
      assert.equal(error.data?.field?.replace(/^\//, ''), field, JSON.stringify(error));
    }
    assert.equal((await onA.locks.list()).find((l) => l.name === name), undefined);
    assert.deepEqual(await onA.ratelimits.take({ key: name, rate: 1, burst: 2, cost: 2 }), { allowed: true, remaining: 0, retryAfterMs: 0 }, 'the bucket is untouched');
  });
});
