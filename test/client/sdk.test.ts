import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { backoffDelay } from '../../client/backoff';
import { Heartbeat } from '../../client/heartbeat';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode, type RpcError } from '../../protocol/errors';
import type { AgentStatus } from '../../protocol/types';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import { redisClient, type TestRedis } from '../helpers/redis-server';

describe('SDK', () => {
  describe('backoff', () => {
    it('doubles from the initial delay up to the cap, jittered within the upper half', () => {
      const bounds = { initialDelayMs: 100, maxDelayMs: 1000 };
      assert.equal(backoffDelay(0, bounds, () => 0), 50);
      assert.equal(backoffDelay(0, bounds, () => 1), 100);
      assert.equal(backoffDelay(3, bounds, () => 1), 800);
      assert.equal(backoffDelay(10, bounds, () => 1), 1000);
      assert.equal(backoffDelay(10, bounds, () => 0), 500);
    });
  });

  describe('client against a daemon', () => {
    let redis: TestRedis;
    let d: TestDaemon;
    let client: SwitchboardClient;
    useDaemon((env) => ({ redis, d, client } = env));

    it('exposes one camelCase method per RPC method', () => {
      assert.deepEqual(Object.keys(client.agents).sort(), ['beat', 'get', 'list', 'stale', 'start', 'stop']);
      assert.deepEqual(Object.keys(client.signals).sort(), ['broadcast', 'check', 'clear', 'pending', 'send', 'wait']);
      assert.deepEqual(Object.keys(client.approvals).sort(), ['create', 'get', 'pending', 'request', 'respond', 'wait']);
      assert.deepEqual(Object.keys(client.events).sort(), ['publish', 'recent', 'types']);
      assert.equal(client.daemon?.daemonId, d.daemon.daemonId, 'said hello on connect');
    });

    it('Heartbeat starts the agent, beats with its latest report, and stops it', async () => {
      const log = await record(client, ['agents']);
      const mine = (type: string) => (e: { type: string; data: unknown }) => e.type === type && (e.data as AgentStatus).agentId === 'hb-agent';
      const heartbeat = new Heartbeat(client, 'hb-agent', { ttlSeconds: 5, intervalMs: 50, metadata: { workflow: 'demo' } });
      await heartbeat.start();
      await heartbeat.update({ progress: 0.4, currentTask: 'Reading' });
      // the interval keeps beating with that report
      const beats = await log.count(mine('agent.beat'), 3);
      assert.ok(beats.slice(1).every((e) => (e.data as AgentStatus).currentTask === 'Reading'));
      const stopped = await heartbeat.stop('completed');
      assert.equal(stopped.status, 'completed');
      assert.deepEqual(stopped.metadata, { workflow: 'demo' });
    });

    it('Heartbeat sends routine beats as notifications and confirms with a request two thirds of a ttl after the last one', async () => {
      const log = await record(client, ['agents']);
      const mine = (type: string) => (e: { type: string; data: unknown }) => e.type === type && (e.data as AgentStatus).agentId === 'hb-quiet';
      const heartbeat = new Heartbeat(client, 'hb-quiet', { ttlSeconds: 3, intervalMs: 100 });
      const acknowledged: number[] = [];
      heartbeat.on('beat', () => acknowledged.push(performance.now()));
      const startedAt = performance.now(); // the start request is sent now
      await heartbeat.start();
      try {
        await log.count(mine('agent.beat'), 5);
        assert.deepEqual(acknowledged, [], 'the first beats went out without a reply');
        await new Promise((resolve) => heartbeat.once('beat', resolve));
        const after = acknowledged[0]! - startedAt;
        // Two thirds of the 3 s ttl: not sooner, and well before the ttl (a refusal is then seen in time).
        assert.ok(after >= 2000 && after < 3000, `the confirming request was answered ${after.toFixed(0)} ms after the start request`);
      } finally {
        await heartbeat.stop();
      }
    });

    it('Heartbeat sees its beats refused before the agent would expire', async () => {
      const heartbeat = new Heartbeat(client, 'hb-refused', { ttlSeconds: 3, intervalMs: 100 });
      const startedAt = performance.now();
      await heartbeat.start();
      try {
        const refused = new Promise<Error>((resolve) => heartbeat.once('error', resolve));
        // Stopped behind its back: every notification beat is now refused (-32003), without a word.
        await client.agents.stop({ agentId: 'hb-refused', finalStatus: 'cancelled' });
        const error = await refused;
        const after = performance.now() - startedAt;
        assert.equal((error as RpcError).code, ErrorCode.Conflict);
        assert.ok(after < 3000, `the refusal was seen ${after.toFixed(0)} ms after the start request, not within the 3 s ttl`);
      } finally {
        await heartbeat.stop().catch(() => {}); // already stopped: -32003
      }
    });

    it('Heartbeat registers again by itself within a ttl when its record is gone', async () => {
      const log = await record(client, ['agents']);
      const heartbeat = new Heartbeat(client, 'hb-gone', { ttlSeconds: 1, intervalMs: 40 });
      await heartbeat.start();
      const raw = redisClient(redis.url);
      await raw.del('{sb:agents}:agent:hb-gone');
      raw.disconnect();
      const again = await log.count((e) => e.type === 'agent.started' && (e.data as AgentStatus).agentId === 'hb-gone', 2);
      assert.equal((again[1]!.data as AgentStatus).alive, true);
      await heartbeat.stop();
    });

    it('Heartbeat registers again when its record is gone', async () => {
      const heartbeat = new Heartbeat(client, 'hb-lapsed', { intervalMs: 60_000 });
      await heartbeat.start();
      const raw = redisClient(redis.url);
      await raw.del('{sb:agents}:agent:hb-lapsed');
      raw.disconnect();
      const status = await heartbeat.beat();
      assert.equal(status.status, 'starting');
      assert.equal(status.alive, true);
      await heartbeat.stop();
    });
  });
});
