/** The SDK's withLock / withPermit against a real daemon and redis-server: renewal, fencing token, release, a lost lease. */
import assert from 'node:assert/strict';
import { LeaseLostError, NotAcquiredError, withLock, withPermit } from '../../client/coordination';
import type { Lock } from '../../protocol/types';
import { useDaemon, type DaemonEnv } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('SDK withLock / withPermit', () => {
  let env: DaemonEnv;
  useDaemon((e) => (env = e));
  let n = 0;
  const fresh = () => `sdk-lock${++n}-${Date.now()}`;

  it('passes the fencing token, renews while fn runs and releases after', async () => {
    const name = fresh();
    const { client } = env;
    const log = await record(client, ['coordination']);
    const result = await withLock(
      client,
      name,
      async ({ fencingToken, lock, signal }) => {
        assert.equal(lock.fencingToken, fencingToken);
        assert.deepEqual((await client.locks.list()).find((l) => l.name === name)?.fencingToken, fencingToken);
        // outlive two leases: only renewals keep it
        await log.count((e) => e.type === 'lock.renewed' && (e.data as Lock).name === name, 2);
        assert.equal(signal.aborted, false);
        return fencingToken;
      },
      { ttlMs: 300, owner: 'sdk' },
    );
    await log.next((e) => e.type === 'lock.released' && (e.data as Lock).name === name && (e.data as Lock).fencingToken === result);
    assert.equal((await client.locks.list()).find((l) => l.name === name), undefined);
  });

  it('aborts the signal and rejects with LeaseLostError when the lease runs out unrenewed', async () => {
    const name = fresh();
    const { client } = env;
    const run = withLock(
      client,
      name,
      ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true })),
      // renewing later than the ttl: the lease is lost before the first renewal
      { ttlMs: 100, renewEveryMs: 150 },
    );
    await assert.rejects(run, LeaseLostError);
  });

  it('throws NotAcquiredError when the lock stays held past waitMs', async () => {
    const name = fresh();
    await env.client.locks.acquire({ name, owner: 'other', ttlMs: 60_000 });
    await assert.rejects(withLock(env.client, name, async () => 1, { waitMs: 50 }), NotAcquiredError);
  });

  it('runs callers of a one-permit semaphore one after another', async () => {
    const name = fresh();
    const second = await env.d.client();
    let inside = 0;
    let most = 0;
    const body = async () => {
      most = Math.max(most, ++inside);
      await new Promise((resolve) => setImmediate(resolve));
      inside--;
    };
    await Promise.all([withPermit(env.client, name, 1, body), withPermit(second, name, 1, body), withPermit(env.client, name, 1, body)]);
    assert.equal(most, 1);
    assert.deepEqual((await env.client.semaphores.list()).find((s) => s.name === name), undefined, 'every permit returned');
  });
});
