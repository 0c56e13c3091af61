import assert from 'node:assert/strict';
import { SwitchboardClient } from '../../client/client';
import type { AgentStatus } from '../../protocol/types';
import { tempDirPerTest } from '../helpers/temp-dir';
import { spawnDaemon } from '../helpers/daemon-process';
import { record } from '../helpers/events';
import { startRedis, type TestRedis } from '../helpers/redis-server';

describe('daemon and Redis restarts', function () {
  this.timeout(30_000);
  let stateDir: string;
  tempDirPerTest('sb-restart-', (dir) => (stateDir = dir));

  it('keeps approvals and answers across kill -9 of a daemon (shared Redis)', async () => {
    const redis: TestRedis = await startRedis();
    try {
      const first = await spawnDaemon(stateDir, ['--redis', redis.url]);
      let client = await SwitchboardClient.connect({ url: first.url, token: first.token, reconnect: false });
      const pending = await client.approvals.create({ agentId: 'survivor', type: 'deploy', context: { v: 1 } });
      const answered = await client.approvals.create({ agentId: 'survivor', type: 'merge', context: {} });
      await client.approvals.respond({ requestId: answered.requestId, approved: true, responder: 'jane' });
      await client.agents.start({ agentId: 'survivor', ttlSeconds: 60 });
      client.close();
      first.child.kill('SIGKILL');
      assert.equal(await first.exited, 'SIGKILL');

      const second = await spawnDaemon(stateDir, ['--redis', redis.url]);
      client = await SwitchboardClient.connect({ url: second.url, token: second.token, reconnect: false });
      assert.deepEqual(await client.approvals.get({ requestId: pending.requestId }), pending);
      assert.equal((await client.approvals.get({ requestId: answered.requestId }))?.responder, 'jane');
      assert.equal((await client.agents.get({ agentId: 'survivor' }))?.alive, true);
      const decided = await client.approvals.respond({ requestId: pending.requestId, approved: false, responder: 'bob' });
      assert.equal(decided.status, 'rejected');
      client.close();
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    } finally {
      await redis.stop();
    }
  });

  it('embedded mode: a daemon killed with -9 leaves Redis running; the next one adopts it with all state', async () => {
    const first = await spawnDaemon(stateDir);
    let client = await SwitchboardClient.connect({ url: first.url, token: first.token, reconnect: false });
    const request = await client.approvals.create({ agentId: 'emb', type: 'x', context: [1, 2, 3] });
    client.close();
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnDaemon(stateDir);
    client = await SwitchboardClient.connect({ url: second.url, token: second.token, reconnect: false });
    assert.deepEqual(await client.approvals.get({ requestId: request.requestId }), request);
    client.close();
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);

    // Stopped cleanly, Redis went with it; its AOF brings everything back on the next start.
    const third = await spawnDaemon(stateDir);
    client = await SwitchboardClient.connect({ url: third.url, token: third.token, reconnect: false });
    assert.deepEqual(await client.approvals.get({ requestId: request.requestId }), request);
    client.close();
    third.child.kill('SIGINT');
    assert.equal(await third.exited, 0);
  });

  it('SDK clients reconnect, resubscribe and resync after the daemon restarts', async () => {
    const redis = await startRedis();
    try {
      const first = await spawnDaemon(stateDir, ['--redis', redis.url, '--port', '0']);
      const port = new URL(first.url).port;
      const client = await SwitchboardClient.connect({ url: first.url, token: first.token, reconnect: { initialDelayMs: 20, maxDelayMs: 200 } });
      let resyncs = 0;
      const log = await record(client, ['agents']);
      await client.subscribe(['agents'], () => {}, { onResync: () => resyncs++ });
      const reconnected = new Promise<void>((resolve) => client.once('reconnected', resolve));
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await spawnDaemon(stateDir, ['--redis', redis.url, '--port', port]);
      await reconnected;
      assert.equal(client.state, 'open');
      assert.equal(resyncs, 1, 'told to resync once');
      const other = await SwitchboardClient.connect({ url: second.url, token: second.token, reconnect: false });
      await other.agents.start({ agentId: 'after-restart' });
      const event = await log.next((e) => (e.data as AgentStatus).agentId === 'after-restart');
      assert.equal(event.type, 'agent.started');
      other.close();
      client.close();
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      await redis.stop();
    }
  });

  it('answers -32005 while Redis is down, reports degraded health, and recovers', async () => {
    const redis = await startRedis();
    const daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
    const httpUrl = daemon.url.replace('ws', 'http').replace('/v1', '');
    try {
      const client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
      await client.agents.start({ agentId: 'before-outage' });
      await redis.pause();
      await assert.rejects(client.agents.list(), (error: { code?: number }) => error.code === -32005);
      const health = await fetch(`${httpUrl}/healthz`);
      assert.equal(health.status, 503);
      assert.deepEqual(await health.json(), { status: 'degraded', redis: 'down', version: client.daemon!.daemonVersion });
      await redis.restart();
      // Recovery is ioredis's reconnect; wait for the health endpoint to say so.
      for (let i = 0; i < 100 && (await fetch(`${httpUrl}/healthz`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(Array.isArray(await client.agents.list()));
      client.close();
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
      await redis.stop();
    }
  });
});
