/** Circuit breakers fed by outcome.record: transitions, shared state across daemons, reset, the half-open trial limit, the gate. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { AuditTrail } from '../../daemon/safety/audit';
import { breakerGate, Breakers, type BreakerSettings } from '../../daemon/safety/breakers';
import type { ParamsOf } from '../../protocol/methods';
import { BREAKER_DEFAULTS } from '../../protocol/safety';
import type { Breaker } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { auditEntries, storeDeps, type StoreDeps } from '../helpers/store-deps';

const outcome = (agentName: string, actionType: string, status: 'success' | 'failure' | 'timeout'): ParamsOf<'outcome.record'> => ({ agentName, actionType, status, durationMs: 1 });

describe('circuit breakers', () => {
  let redis: TestRedis;

  before(async () => (redis = await startRedis()));
  after(() => redis.stop());

  describe('on two daemons sharing one Redis (default settings)', () => {
    let a: TestDaemon;
    let b: TestDaemon;
    let onA: SwitchboardClient;
    let onB: SwitchboardClient;
    let log: EventLog;

    before(async () => {
      [a, b] = await Promise.all([startTestDaemon(redis.url), startTestDaemon(redis.url)]);
      [onA, onB] = await Promise.all([a.client(), b.client()]);
      log = await record(onB, ['safety']);
    });
    after(() => Promise.all([a.stop(), b.stop()]));

    const opened = (name: string) => log.next((e) => e.type === 'breaker.opened' && (e.data as Breaker).name === name);

    it(`opens after ${BREAKER_DEFAULTS.consecutiveFailures} consecutive failures recorded on one daemon, as the other sees`, async () => {
      for (let i = 0; i < BREAKER_DEFAULTS.consecutiveFailures - 1; i++) await onA.outcomes.record(outcome('flaky', 'fetch', i % 2 ? 'failure' : 'timeout'));
      // A success resets the count: the next failures start from one.
      await onA.outcomes.record(outcome('flaky', 'fetch', 'success'));
      for (let i = 0; i < BREAKER_DEFAULTS.consecutiveFailures - 1; i++) await onA.outcomes.record(outcome('flaky', 'fetch', 'failure'));
      await onA.breakers.list(); // A's fed outcomes are in (a listing runs them first): now ask B
      assert.deepEqual((await onB.breakers.list()).map((x) => [x.name, x.state, x.failures]), [
        ['agent:flaky', 'closed', 4],
        ['tool:fetch', 'closed', 4],
      ]);
      await onA.outcomes.record(outcome('flaky', 'fetch', 'failure'));
      const event = await opened('agent:flaky');
      await opened('tool:fetch');
      const listed = await onB.breakers.list();
      assert.deepEqual(listed.map((x) => [x.name, x.state, x.failures]), [
        ['agent:flaky', 'open', 5],
        ['tool:fetch', 'open', 5],
      ]);
      const breaker = event.data as Breaker;
      assert.equal(breaker.retryAt! - breaker.openedAt!, BREAKER_DEFAULTS.coolDownSeconds * 1000);
      const audit = await auditEntries(redis.url, 'breaker_opened');
      assert.deepEqual(audit.map((e) => e.subject).sort(), ['agent:flaky', 'tool:fetch']);
    });

    it('counts a failure sent again with its eventId (on either daemon) once', async () => {
      const failure = { ...outcome('retried', 'retry.tool', 'failure'), eventId: 'retried-failure-1' };
      await onA.outcomes.record(failure);
      await onB.outcomes.record(failure);
      await onA.outcomes.record(failure);
      await Promise.all([onA.breakers.list(), onB.breakers.list()]); // both daemons' fed outcomes are in
      assert.deepEqual((await onB.breakers.list()).filter((x) => x.name.endsWith('retried') || x.name.endsWith('retry.tool')).map((x) => [x.name, x.failures]), [
        ['agent:retried', 1],
        ['tool:retry.tool', 1],
      ]);
    });

    it(`opens on an error rate above ${BREAKER_DEFAULTS.errorRatePercent} % once ${BREAKER_DEFAULTS.minCalls} calls were made, with never more than two failures in a row`, async () => {
      const pattern = ['failure', 'failure', 'success', 'failure', 'failure', 'success', 'failure', 'failure', 'success'] as const;
      // Nine calls, six failures: not yet minCalls.
      await Promise.all(pattern.map((status) => onA.outcomes.record(outcome('ratey', 'rate.tool', status))));
      assert.equal((await onA.breakers.list()).find((x) => x.name === 'agent:ratey')?.state, 'closed');
      await onA.outcomes.record(outcome('ratey', 'rate.tool', 'failure'));
      const event = await opened('agent:ratey');
      assert.equal((event.data as Breaker).failures, 1, 'the consecutive count did not open it');
    });

    it('resets a breaker through either daemon (closed, cleared, audited with who), and refuses an unknown name', async () => {
      const closed = log.next((e) => e.type === 'breaker.closed' && (e.data as Breaker).name === 'agent:flaky');
      assert.deepEqual(await onB.breakers.reset({ name: 'agent:flaky' }), { name: 'agent:flaky', state: 'closed', failures: 0 });
      await closed;
      assert.ok(!(await onA.breakers.list()).some((x) => x.name === 'agent:flaky'), 'a reset breaker leaves the list');
      const [entry] = (await auditEntries(redis.url, 'breaker_closed')).filter((e) => e.subject === 'agent:flaky');
      assert.deepEqual(entry?.detail, { reason: 'reset', by: 'switchboard-client', was: 'open' });
      await assert.rejects(onA.breakers.reset({ name: 'agent:never-seen' }), { code: -32002 });
    });
  });

  describe('state machine (a test clock, short settings)', () => {
    let store: StoreDeps;
    let breakers: Breakers;
    let now: number;
    let watcher: Redis;
    const published: { type: string; breaker: Breaker }[] = [];
    let markers = 0;
    let onMarker = (_type: string) => {};
    const settings: BreakerSettings = { ...BREAKER_DEFAULTS, consecutiveFailures: 2, coolDownSeconds: 1, halfOpenTrials: 3 };

    before(async () => {
      store = storeDeps(redis.url, 'clocked');
      now = 1_700_000_000_000;
      breakers = new Breakers(store.deps, new AuditTrail(store.deps), () => settings, () => now);
      watcher = store.connection();
      await watcher.subscribe(store.deps.keys.channels.safety);
      watcher.on('message', (_channel, message: string) => {
        const [type, , , json] = message.split('\n');
        onMarker(type!);
        published.push({ type: type!, breaker: JSON.parse(json!) as Breaker });
      });
    });
    after(() => store.close());

    /** Feeds outcomes and waits for their script call (a gate call flushes and runs after it). */
    const feed = async (agent: string, ...errors: boolean[]) => {
      for (const isError of errors) breakers.feed(agent, 'clocked.tool', isError);
      await breakers.list();
    };
    const stateOf = async (name: string) => (await breakers.list()).find((x) => x.name === name)?.state;
    /** How many such events were published so far: a marker published after them arrives after them. */
    const eventFor = async (type: string, name: string) => {
      const marker = `marker-${markers++}`;
      const seen = new Promise<void>((resolve) => (onMarker = (m) => m === marker && resolve()));
      await store.deps.redis.publish(store.deps.keys.channels.safety, `${marker}\n0\n\n{}`);
      await seen;
      return published.filter((e) => e.type === type && e.breaker.name === name).length;
    };

    it('turns half-open after the cool-down: lazily when read, and by the sweep, which publishes breaker.half_open', async () => {
      await feed('lazy', true, true);
      assert.equal(await stateOf('agent:lazy'), 'open');
      now += 999;
      assert.equal(await stateOf('agent:lazy'), 'open');
      assert.deepEqual(await breakers.gate(['agent:lazy']), { name: 'agent:lazy', state: 'open', retryAfterMs: 1 });
      now += 1;
      assert.equal(await breakers.sweep(), 2, 'the agent and the tool breaker');
      assert.equal(await eventFor('breaker.half_open', 'agent:lazy'), 1);
      assert.equal(await stateOf('agent:lazy'), 'half_open');
      assert.equal(await breakers.sweep(), 0);
    });

    it('lets exactly halfOpenTrials calls through when many gate at once from several connections', async () => {
      await feed('busy', true, true);
      now += 1000;
      const racers = Array.from({ length: 5 }, () => new Breakers({ ...store.deps, redis: store.connection() }, new AuditTrail(store.deps), () => settings, () => now));
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => racers[i % racers.length]!.gate(['agent:busy'])));
      assert.equal(answers.filter((x) => x === null).length, settings.halfOpenTrials);
      assert.ok(answers.every((x) => x === null || x.state === 'half_open'));
    });

    it('closes when every trial succeeds (audited), and frees the slots of a round whose outcomes never came', async () => {
      await feed('healing', true, true);
      now += 1000;
      for (let i = 0; i < settings.halfOpenTrials; i++) assert.equal(await breakers.gate(['agent:healing']), null);
      assert.notEqual(await breakers.gate(['agent:healing']), null, 'every slot is taken');
      now += 1000; // the round ends unanswered: a new one
      for (let i = 0; i < settings.halfOpenTrials; i++) assert.equal(await breakers.gate(['agent:healing']), null);
      await feed('healing', false, false);
      assert.equal(await stateOf('agent:healing'), 'half_open');
      await feed('healing', false);
      assert.equal(await stateOf('agent:healing'), 'closed');
      assert.equal(await stateOf('agent:healing'), 'closed');
      await breakers.batch.settled();
      assert.equal(await eventFor('breaker.closed', 'agent:healing'), 1);
      const audit = await store.deps.redis.xrange(store.deps.keys.safetyAudit, '-', '+');
      assert.ok(audit.some(([, fields]) => fields[1] === 'breaker_closed' && fields[3]!.includes('agent:healing')));
    });

    it('opens again when a trial fails, with a new openedAt and retryAt', async () => {
      await feed('relapse', true, true);
      const first = (await breakers.list()).find((x) => x.name === 'agent:relapse')!;
      now += 1500;
      await feed('relapse', false, true);
      const again = (await breakers.list()).find((x) => x.name === 'agent:relapse')!;
      assert.equal(again.state, 'open');
      assert.equal(again.openedAt, first.openedAt! + 1500);
      assert.equal(again.retryAt, now + 1000);
      await breakers.batch.settled();
      assert.equal(await eventFor('breaker.opened', 'agent:relapse'), 2);
    });

    it('breakerGate refuses with rule "breaker" and retryAfterMs while open, and lets a healthy call through', async () => {
      await feed('gated', true, true);
      const gate = breakerGate(breakers);
      assert.deepEqual(await gate({ agentId: 'gated', tool: 'other', overBudget: 'refuse' }), {
        allowed: false,
        requiresApproval: false,
        reason: 'breaker agent:gated is open: try again in 1 s',
        rule: 'breaker',
        retryAfterMs: 1000,
      });
      assert.equal(await gate({ agentId: 'fine', tool: 'other', overBudget: 'refuse' }), null);
    });
  });
});
