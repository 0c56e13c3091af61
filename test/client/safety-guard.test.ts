/** The dispatcher's SafetyGuard against a real daemon: refusing without a round trip while a breaker is open or a budget spent, and recovering. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionDispatcher } from '../../client/dispatch';
import { BreakerOpenError, BudgetExceededError, SafetyGuard } from '../../client/safety-guard';
import { BREAKER_DEFAULTS } from '../../protocol/safety';
import type { Breaker, Budget } from '../../protocol/types';
import { SwitchboardClient } from '../../client/client';
import { startTestDaemon, useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';
import { startRedis } from '../helpers/redis-server';

describe('SafetyGuard', () => {
  let admin: SwitchboardClient;
  let agent: SwitchboardClient;
  let d: TestDaemon;
  let guard: SafetyGuard;
  let dispatcher: ActionDispatcher;
  let requests = 0;
  useDaemon((env) => ({ client: admin, d } = env));
  before(async () => {
    agent = await d.client();
    guard = await SafetyGuard.start(agent);
    dispatcher = new ActionDispatcher(agent, { guard });
    const call = agent.call.bind(agent);
    agent.call = ((...args: Parameters<typeof call>) => (requests++, call(...args))) as typeof agent.call;
  });
  after(() => guard.close());

  /** Resolves once the guard's view makes `settled` true (it changes only on snapshots and events). */
  const until = (settled: () => boolean, watched: SafetyGuard = guard) =>
    new Promise<void>((resolve) => {
      const check = () => settled() && (watched.off('change', check), resolve());
      watched.on('change', check);
      check();
    });

  it('refuses, without running the action or a request, while its agent’s breaker is open; runs again once it is reset', async () => {
    const log = await record(admin, ['safety']);
    for (let i = 0; i < BREAKER_DEFAULTS.consecutiveFailures; i++) {
      await dispatcher.dispatch('guarded', `step.${i}`, () => {
        throw new Error('down');
      });
    }
    await dispatcher.flush();
    await log.next((e) => e.type === 'breaker.opened' && (e.data as Breaker).name === 'agent:guarded');
    await until(() => guard.refusal('guarded', 'any') !== undefined);

    const before = requests;
    let ran = 0;
    const results = await Promise.all(Array.from({ length: 100 }, () => dispatcher.dispatch('guarded', 'search', () => ran++)));
    await dispatcher.flush();
    assert.equal(ran, 0, 'the action did not run');
    assert.equal(requests, before, 'no request: neither a check nor an outcome');
    assert.equal(dispatcher.refused, 100);
    const [first] = results;
    assert.equal(first!.status, 'cancelled');
    assert.ok(first!.error instanceof BreakerOpenError);
    assert.equal(first!.error.breaker, 'agent:guarded');
    assert.ok(first!.error.retryAt! > Date.now());
    assert.equal((await admin.breakers.list()).find((b) => b.name === 'agent:guarded')?.failures, BREAKER_DEFAULTS.consecutiveFailures, 'refusals fed nothing');
    assert.equal(await dispatcher.dispatch('other-agent', 'search', () => 'fine').then((r) => r.status), 'success', 'other agents run');

    await admin.breakers.reset({ name: 'agent:guarded' });
    await until(() => guard.refusal('guarded', 'search') === undefined);
    const again = await dispatcher.dispatch('guarded', 'search', () => 'back');
    assert.deepEqual([again.status, again.output], ['success', 'back']);
  });

  it('refuses in a workflow whose budget is spent (BudgetExceededError), and runs again once the limit is raised', async () => {
    const log = await record(admin, ['safety']);
    await admin.budgets.set({ scope: 'workflow:wf-guard', tokens: 100, periodSeconds: 3600 });
    await dispatcher.dispatch('budgeted', 'llm.call', (action) => action.report({ tokensUsed: 100 }), { workflowId: 'wf-guard' });
    await log.next((e) => e.type === 'budget.exceeded' && (e.data as Budget).scope === 'workflow:wf-guard');
    await until(() => guard.refusal('budgeted', 'llm.call', 'wf-guard') !== undefined);
    const refused = await dispatcher.dispatch('budgeted', 'llm.call', () => 'spent', { workflowId: 'wf-guard' });
    assert.equal(refused.status, 'cancelled');
    assert.ok(refused.error instanceof BudgetExceededError);
    assert.equal(refused.error.scope, 'workflow:wf-guard');
    assert.equal(refused.error.resetsAt % 3_600_000, 0, 'the end of the aligned period');
    assert.equal((await dispatcher.dispatch('budgeted', 'llm.call', () => 'no workflow')).status, 'success', 'outside the workflow it runs');

    await admin.budgets.set({ scope: 'workflow:wf-guard', tokens: 1000, periodSeconds: 3600 });
    await until(() => guard.refusal('budgeted', 'llm.call', 'wf-guard') === undefined);
    assert.equal((await dispatcher.dispatch('budgeted', 'llm.call', () => 'more', { workflowId: 'wf-guard' })).status, 'success');
  });

  it('loads what is already open or spent when it starts', async () => {
    const log = await record(admin, ['safety']);
    for (let i = 0; i < BREAKER_DEFAULTS.consecutiveFailures; i++) {
      await admin.outcomes.record({ agentName: 'preopened', actionType: 'pre.tool', status: 'failure', durationMs: 1 });
    }
    await log.next((e) => e.type === 'breaker.opened' && (e.data as Breaker).name === 'tool:pre.tool');
    await admin.budgets.set({ scope: 'agent:prespent', tokens: 1, periodSeconds: 3600 });
    await admin.outcomes.record({ agentName: 'prespent', actionType: 'llm.call', status: 'success', durationMs: 1, tokensUsed: 1 });
    await log.next((e) => e.type === 'budget.exceeded' && (e.data as Budget).scope === 'agent:prespent');
    const late = await SafetyGuard.start(await d.client());
    try {
      assert.ok(late.refusal('someone', 'pre.tool') instanceof BreakerOpenError, 'the tool breaker, for any agent');
      assert.ok(late.refusal('prespent', 'llm.call') instanceof BudgetExceededError);
      assert.equal(late.refusal('someone', 'llm.call'), undefined);
    } finally {
      await late.close();
    }
  });

  it('reloads its view after a reconnect, catching up with changes it missed', async () => {
    const redis = await startRedis();
    const stateDir = mkdtempSync(join(tmpdir(), 'sb-guard-'));
    let first = await startTestDaemon(redis.url, { stateDir });
    const other = await startTestDaemon(redis.url);
    try {
      const port = first.daemon.port;
      const watched = await SwitchboardClient.connect({ url: first.url, token: first.token, reconnect: { initialDelayMs: 20, maxDelayMs: 200 } });
      const missed = await SafetyGuard.start(watched);
      const onOther = await other.client();
      for (let i = 0; i < BREAKER_DEFAULTS.consecutiveFailures; i++) await onOther.outcomes.record({ agentName: 'resynced', actionType: 'r.tool', status: 'failure', durationMs: 1 });
      await until(() => missed.refusal('resynced', 'x') !== undefined, missed);
      const reconnected = new Promise<void>((resolve) => watched.once('reconnected', resolve));
      await first.stop();
      await onOther.breakers.reset({ name: 'agent:resynced' }); // its event never reaches the guard
      first = await startTestDaemon(redis.url, { stateDir, port });
      await reconnected;
      await until(() => missed.refusal('resynced', 'x') === undefined, missed);
      watched.close();
    } finally {
      await Promise.all([first.stop(), other.stop()]);
      await redis.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
