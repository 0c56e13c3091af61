/**
 * Issue "Harden the coordination core", findings 5 and 9: a stalled Redis fails calls fast and
 * shows in /healthz; a blocked approval.request resumes after the daemon is killed.
 */
import assert from 'node:assert/strict';
import { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import type { Approval } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { startTestDaemon } from '../helpers/daemon';
import { spawnDaemon } from '../helpers/daemon-process';
import { record } from '../helpers/events';
import { redisClient, startRedis, type TestRedis } from '../helpers/redis-server';
import { tempDirPerTest } from '../helpers/temp-dir';

describe('hardening: Redis stalls and resumable calls', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  beforeEach(async () => (redis = await startRedis()));
  afterEach(async () => redis.stop());
  let stateDir: string;
  tempDirPerTest('sb-stall-', (dir) => (stateDir = dir));

  it('answers -32005 within the command timeout while Redis is stopped (SIGSTOP), reports degraded health, and recovers', async () => {
    const d = await startTestDaemon(redis.url, { limits: { redisCommandTimeoutMs: 300 } });
    const pid = await redisPid(redis.url);
    const client = await d.client();
    await client.agents.start({ agentId: 'frozen' });
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await rejectsWith(client.agents.get({ agentId: 'frozen' }), ErrorCode.RedisUnavailable, /Redis unavailable/);
      // Without a command timeout the call waits for as long as Redis is stopped.
      assert.ok(Date.now() - started < 2_500, `answered after ${Date.now() - started} ms`);
      await until(async () => (await health(d.httpUrl)).status === 503);
      assert.deepEqual((await health(d.httpUrl)).body, { status: 'degraded', redis: 'down', version: d.daemon.info.version });
      const metrics = await fetch(`${d.httpUrl}/metrics`, { headers: { Authorization: `Bearer ${d.token}` } });
      assert.equal(metrics.status, 200, '/metrics answers while Redis is stalled');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await until(async () => (await health(d.httpUrl)).status === 200);
    assert.equal((await client.agents.get({ agentId: 'frozen' }))?.agentId, 'frozen');
    await d.stop();
  });

  it('resumes a blocked approval.request after the daemon is killed with -9: the retry waits on the same request', async () => {
    const first = await spawnDaemon(stateDir, ['--redis', redis.url]);
    const observer = await startTestDaemon(redis.url);
    const watcher = await observer.client();
    const approvals = await record(watcher, ['approvals']);
    // Found through daemon.json, so the client reconnects to the daemon that replaces this one.
    const agent = await SwitchboardClient.connect({ stateDir, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    const answer = agent.approvals.request({ agentId: 'deployer', type: 'deploy', context: { env: 'prod' }, timeoutMs: 20_000 });
    const requested = (await approvals.next((e) => e.type === 'approval.requested')).data as Approval;

    const reconnected = new Promise<void>((resolve) => agent.once('reconnected', resolve));
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await spawnDaemon(stateDir, ['--redis', redis.url]);
    await reconnected;
    await watcher.approvals.respond({ requestId: requested.requestId, approved: true, responder: 'jane' });

    const decided = await answer;
    assert.equal(decided.requestId, requested.requestId);
    assert.equal(decided.status, 'approved');
    assert.equal(approvals.events.filter((e) => e.type === 'approval.requested').length, 1, 'no duplicate request');
    agent.close();
    second.child.kill('SIGTERM');
    await second.exited;
    await observer.stop();
  });
});

async function redisPid(url: string): Promise<number> {
  const probe = redisClient(url);
  try {
    return Number(/process_id:(\d+)/.exec(await probe.info('server'))![1]);
  } finally {
    probe.disconnect();
  }
}

async function health(httpUrl: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${httpUrl}/healthz`);
  return { status: res.status, body: await res.json() };
}

/** Polls what only shows from outside (/healthz) until it holds, at most 10 s. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
