import assert from 'node:assert/strict';
import type { BarrierEvent, BarrierInfo, Lock, RateLimitResult, SemaphoreInfo } from '../../protocol/types';
import { cliSuite } from '../helpers/cli-suite';
import { record } from '../helpers/events';

describe('switchboard CLI: locks, barriers, ratelimit', function () {
  this.timeout(20_000);
  const suite = cliSuite();
  const { cli } = suite;

  it('lists held locks and semaphore permits with holders, tokens and expiry', async () => {
    assert.match((await cli('locks')).stdout, /no locks or permits held/);
    const { result: lock } = await suite.daemon.rpc('lock.acquire', { name: 'deploy', owner: 'agent-1', ttlMs: 60_000 });
    const { result: permit } = await suite.daemon.rpc('semaphore.acquire', { name: 'gpu', owner: 'agent-2', limit: 3, ttlMs: 60_000 });
    const text = await cli('locks');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^KIND\s+NAME\s+HOLDER\s+TOKEN \/ PERMIT\s+EXPIRES/m);
    assert.match(text.stdout, new RegExp(`lock\\s+deploy\\s+agent-1\\s+${lock.fencingToken}\\s+in (59s|60s|1m)`));
    assert.match(text.stdout, new RegExp(`semaphore 1/3\\s+gpu\\s+agent-2\\s+${permit.permitId}\\s+in`));
    const json = JSON.parse((await cli('locks', '--json')).stdout) as { locks: Lock[]; semaphores: SemaphoreInfo[] };
    assert.deepEqual(json.locks, [lock]);
    assert.deepEqual(json.semaphores[0]!.holders, [{ permitId: permit.permitId, owner: 'agent-2', expiresAt: permit.expiresAt }]);
  });

  it('lists barriers with parties waiting, with their arrivals and generation, until released', async () => {
    assert.match((await cli('barriers')).stdout, /no barriers with parties waiting/);
    const client = await suite.daemon.client();
    const log = await record(client, ['coordination']);
    // one generation released already (one party), so the waiting one is the second
    assert.equal((await client.barriers.wait({ name: 'phase', parties: 1, timeoutMs: 1000 })).released, true);
    const waiting = client.barriers.wait({ name: 'phase', parties: 3, timeoutMs: 15_000 });
    await log.next((e) => e.type === 'barrier.arrived' && (e.data as BarrierEvent).name === 'phase');
    const text = await cli('barriers');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^NAME\s+ARRIVED\s+GENERATION\nphase\s+1\/3\s+1\n$/);
    const json = JSON.parse((await cli('barriers', '--json')).stdout) as BarrierInfo[];
    assert.deepEqual(json, [{ name: 'phase', parties: 3, arrived: 1, generation: 1 }]);
    await Promise.all([client.barriers.wait({ name: 'phase', parties: 3, timeoutMs: 1000 }), client.barriers.wait({ name: 'phase', parties: 3, timeoutMs: 1000 })]);
    assert.equal((await waiting).released, true);
    assert.match((await cli('barriers')).stdout, /no barriers with parties waiting/, 'released: nobody waits');
  });

  it('takes from a shared token bucket, and refuses bad flags with exit 2', async () => {
    const taken = JSON.parse((await cli('ratelimit', 'take', 'api', '--rate', '0.5', '--burst', '2', '--json')).stdout) as RateLimitResult;
    assert.deepEqual(taken, { allowed: true, remaining: 1, retryAfterMs: 0 });
    assert.match((await cli('ratelimit', 'take', 'api', '--rate', '0.5', '--burst', '2')).stdout, /^allowed, 0 left/);
    assert.match((await cli('ratelimit', 'take', 'api', '--rate', '0.5', '--burst', '2')).stdout, /^refused, 0 left, retry in \d+ ms/);
    const bad = await cli('ratelimit', 'take', 'api', '--rate', '0', '--burst', '2');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /must be a number above 0/);
  });
});
