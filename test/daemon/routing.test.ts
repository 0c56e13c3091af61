/** Capability routing (dispatch.route) against a real redis-server and daemon: each factor, weights, degraded agents, versions, bad params. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { ErrorCode } from '../../protocol/errors';
import { useEmptiedDaemon } from '../helpers/daemon';

describe('capability routing (dispatch.route)', () => {
  let client: SwitchboardClient;
  let redis: Redis;
  const keys = createKeys();
  useEmptiedDaemon((e) => ({ client, raw: redis } = e));

  const start = (agentId: string, capabilities: { name: string; version: string }[] = [{ name: 'summarize', version: '1' }], ttlSeconds = 60) =>
    client.agents.start({ agentId, ttlSeconds, metadata: { workflow: 'w', capabilities } });
  /** Moves an agent's last beat back by ms (the beats index is what routing reads). */
  const ageBeat = async (agentId: string, ms: number) => {
    const [s] = await redis.time();
    await redis.zadd(keys.agentIndexes.beats, Number(s) * 1000 - ms, agentId);
  };
  const order = (routes: { agentId: string }[]) => routes.map((r) => r.agentId);

  it('ranks by heartbeat age: fresher first', async () => {
    await start('a');
    await start('b');
    await ageBeat('a', 20_000);
    const routes = await client.routing.route({ capability: 'summarize' });
    assert.deepEqual(order(routes), ['b', 'a']);
    assert.deepEqual(routes.map((r) => r.rank), [1, 2]);
    assert.ok(routes[0]!.components.heartbeat > routes[1]!.components.heartbeat);
    assert.match(routes[1]!.explanation, /heartbeat \d+ ms old/);
  });

  it('ranks by queue depth: fewer pending signals first', async () => {
    await start('a');
    await start('b');
    for (let i = 0; i < 3; i++) await client.signals.send({ from: 'x', to: 'a', type: 'work' });
    const routes = await client.routing.route({ capability: 'summarize' });
    assert.deepEqual(order(routes), ['b', 'a']);
    assert.equal(routes[1]!.pendingSignals, 3);
    assert.equal(routes[1]!.components.queueDepth, 0.25);
  });

  it('ranks by recent success rate from the outcome stats', async () => {
    await start('a');
    await start('b');
    for (const status of ['success', 'failure', 'failure'] as const) await client.outcomes.record({ agentName: 'a', actionType: 'x', status, durationMs: 5 });
    for (let i = 0; i < 3; i++) await client.outcomes.record({ agentName: 'b', actionType: 'x', status: 'success', durationMs: 5 });
    const routes = await client.routing.route({ capability: 'summarize' });
    assert.deepEqual(order(routes), ['b', 'a']);
    assert.equal(routes[0]!.components.successRate, 1);
    assert.equal(routes[1]!.components.successRate, 0.333);
    assert.equal(routes[1]!.outcomeCount, 3);
  });

  it('scores by the default weights: 30 % queue depth, 40 % heartbeat, 30 % success rate', async () => {
    // a: one pending signal, a 12 s old beat, 3 of 4 successes; b: idle, 25 s old, no outcomes; c: 3 pending, fresh, 1 of 2
    for (const agentId of ['a', 'b', 'c']) await start(agentId);
    await client.signals.send({ from: 'x', to: 'a', type: 'work' });
    for (let i = 0; i < 3; i++) await client.signals.send({ from: 'x', to: 'c', type: 'work' });
    for (const status of ['success', 'success', 'success', 'failure'] as const) await client.outcomes.record({ agentName: 'a', actionType: 'x', status, durationMs: 5 });
    for (const status of ['success', 'failure'] as const) await client.outcomes.record({ agentName: 'c', actionType: 'x', status, durationMs: 5 });
    await ageBeat('a', 12_000);
    await ageBeat('b', 25_000);
    const routes = await client.routing.route({ capability: 'summarize' });
    // about 0.695, 0.683 and 0.625: every beat ages alike during the call, so the order holds
    assert.deepEqual(order(routes), ['a', 'b', 'c']);
    const given = { a: { pending: 1, agedMs: 12_000, success: 0.75 }, b: { pending: 0, agedMs: 25_000, success: 0.5 }, c: { pending: 3, agedMs: 0, success: 0.5 } };
    for (const route of routes) {
      const { pending, agedMs, success } = given[route.agentId as keyof typeof given];
      assert.equal(route.pendingSignals, pending);
      assert.ok(route.beatAgeMs >= agedMs && route.beatAgeMs < agedMs + 5000, `${route.agentId}: beat ${route.beatAgeMs} ms old`);
      // the documented normalisation: 1 / (1 + pending), 1 − age / ttl (60 s here), the success share (0.5 without outcomes)
      const expected = 0.3 * (1 / (1 + pending)) + 0.4 * (1 - route.beatAgeMs / 60_000) + 0.3 * success;
      assert.ok(Math.abs(route.score - expected) <= 0.0005 + 1e-9, `${route.agentId}: score ${route.score}, expected ${expected.toFixed(4)}`);
      assert.match(route.explanation, /× 30 %; heartbeat .* × 40 %; success rate .* × 30 %$/);
    }
  });

  it('weights per call change the order', async () => {
    await start('a');
    await start('b');
    await ageBeat('a', 35_000); // a: staler
    for (let i = 0; i < 2; i++) await client.signals.send({ from: 'x', to: 'b', type: 'work' }); // b: busier
    assert.deepEqual(order(await client.routing.route({ capability: 'summarize' })), ['b', 'a']);
    const routes = await client.routing.route({ capability: 'summarize', weights: { queueDepth: 1, heartbeat: 0, successRate: 0 } });
    assert.deepEqual(order(routes), ['a', 'b']);
    assert.equal(routes[0]!.score, 1);
  });

  it('flags degraded agents (stale beat, failure-rate alert, open breaker) and excludeDegraded leaves them out', async () => {
    await start('ok');
    await start('stale');
    await start('alerting');
    await start('broken');
    await ageBeat('stale', 40_000); // over half of the 60 s ttl
    for (let i = 0; i < 12; i++) await client.outcomes.record({ agentName: 'alerting', actionType: 'x', status: 'failure', durationMs: 5 });
    await redis.zadd(keys.breakersOpen, Date.now() + 60_000, 'agent:broken');
    const all = await client.routing.route({ capability: 'summarize' });
    const reasons = Object.fromEntries(all.map((r) => [r.agentId, r.degradedReasons]));
    assert.deepEqual(reasons.ok, []);
    assert.deepEqual(reasons.stale, ['stale heartbeat']);
    assert.deepEqual(reasons.broken, ['open breaker']);
    // Twelve failures also open the agent's breaker (the safety domain's outcome hook).
    assert.ok(reasons.alerting!.includes('failure-rate alert'));
    assert.equal(all.find((r) => r.agentId === 'stale')!.degraded, true);
    assert.deepEqual(order(await client.routing.route({ capability: 'summarize', excludeDegraded: true })), ['ok']);
    // A breaker past its half-open time (the sweeper not yet run) no longer counts as open.
    await redis.zadd(keys.breakersOpen, Date.now() - 1000, 'agent:broken');
    assert.deepEqual((await client.routing.route({ capability: 'summarize' })).find((r) => r.agentId === 'broken')!.degradedReasons, []);
  });

  it('filters by capability and version; ended agents and agents without it are not listed', async () => {
    await start('v1', [{ name: 'summarize', version: '1' }]);
    await start('v2', [{ name: 'summarize', version: '2' }, { name: 'translate', version: '1' }]);
    await start('other', [{ name: 'translate', version: '1' }]);
    await client.agents.start({ agentId: 'plain' });
    await start('gone');
    await client.agents.stop({ agentId: 'gone', finalStatus: 'completed' });
    assert.deepEqual(order(await client.routing.route({ capability: 'summarize' })).sort(), ['v1', 'v2']);
    const v2 = await client.routing.route({ capability: 'summarize', version: '2' });
    assert.deepEqual(order(v2), ['v2']);
    assert.equal(v2[0]!.version, '2');
    assert.deepEqual(order(await client.routing.route({ capability: 'translate' })).sort(), ['other', 'v2']);
  });

  it('answers [] when no live agent advertises the capability', async () => {
    assert.deepEqual(await client.routing.route({ capability: 'summarize' }), []);
    await start('a', [{ name: 'translate', version: '1' }]);
    assert.deepEqual(await client.routing.route({ capability: 'summarize' }), []);
  });

  it('refuses bad params naming the field, and malformed capabilities at agent.start', async () => {
    const refused = async (call: Promise<unknown>, field: RegExp) =>
      assert.rejects(call, (e: { code?: number; message?: string }) => e.code === ErrorCode.InvalidParams && field.test(e.message ?? ''));
    const route = (p: unknown) => client.call('dispatch.route', p as never);
    await refused(route({}), /capability/);
    await refused(route({ capability: 'a b' }), /capability/);
    await refused(route({ capability: 's', version: '' }), /version/);
    await refused(route({ capability: 's', excludeDegraded: 'yes' }), /excludeDegraded/);
    await refused(route({ capability: 's', weights: { heartbeat: 2 } }), /heartbeat/);
    await refused(route({ capability: 's', weights: { speed: 1 } }), /weights|speed/);
    await refused(client.call('agent.start', { agentId: 'x', metadata: { capabilities: [{ name: 's' }] } } as never), /capabilities|version/);
  });
});
