/** Budgets fed by outcome.record: set/get/list, a warning at 80 % and a refusal at 100 % once a period, the period roll-over, the gate. */
import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { AuditTrail } from '../../daemon/safety/audit';
import { budgetGate, Budgets } from '../../daemon/safety/budgets';
import type { Budget, PushedEvent } from '../../protocol/types';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';
import type { TestRedis } from '../helpers/redis-server';
import { auditEntries, storeDeps, type StoreDeps } from '../helpers/store-deps';

describe('budgets', () => {
  let client: SwitchboardClient;
  let d: TestDaemon;
  let redis: TestRedis;
  let log: EventLog;
  useDaemon((env) => ({ client, d, redis } = env));
  before(async () => (log = await record(client, ['safety'])));

  const spend = (agentName: string, tokensUsed: number, costUsd = 0, workflowId?: string) =>
    client.outcomes.record({ agentName, actionType: 'llm.call', status: 'success', durationMs: 1, tokensUsed, costUsd, workflowId });
  const about = (type: string, scope: string) => (e: PushedEvent) => e.type === type && (e.data as Budget).scope === scope;

  it('refuses a budget without tokens or costUsd, naming the rule, and sets nothing', async () => {
    const { error } = await d.rpc('budget.set', { scope: 'agent:none', periodSeconds: 3600 });
    assert.deepEqual([error.code, error.data], [-32602, { field: 'tokens', rule: 'tokensOrCost' }]);
    assert.equal(await client.budgets.get({ scope: 'agent:none' }), null);
  });

  it('warns once at 80 % and refuses once at 100 % in a period, fed by outcomes (tokens)', async () => {
    const set = await client.budgets.set({ scope: 'agent:spender', tokens: 1000, periodSeconds: 3600 });
    assert.deepEqual({ ...set, periodStart: 0 }, { scope: 'agent:spender', tokens: 1000, periodSeconds: 3600, periodStart: 0, used: { tokens: 0, costUsd: 0 }, state: 'ok' });
    assert.equal(set.periodStart % 3_600_000, 0, 'periods are aligned to epoch multiples');
    await spend('spender', 700);
    assert.equal((await client.budgets.get({ scope: 'agent:spender' }))?.state, 'ok');
    await spend('spender', 100);
    const warning = await log.next(about('budget.warning', 'agent:spender'));
    assert.deepEqual((warning.data as Budget).used, { tokens: 800, costUsd: 0 });
    await spend('spender', 100);
    await spend('spender', 100);
    const exceeded = await log.next(about('budget.exceeded', 'agent:spender'));
    assert.equal((exceeded.data as Budget).state, 'exceeded');
    await spend('spender', 500);
    const after = await client.budgets.get({ scope: 'agent:spender' });
    assert.deepEqual([after?.used.tokens, after?.state], [1500, 'exceeded']);
    assert.equal(log.events.filter(about('budget.warning', 'agent:spender')).length, 1);
    assert.equal(log.events.filter(about('budget.exceeded', 'agent:spender')).length, 1);
    const audit = (await auditEntries(redis.url)).filter((e) => e.subject === 'agent:spender').map((e) => e.kind);
    assert.deepEqual(audit, ['budget_set', 'budget_warning', 'budget_exceeded']);
  });

  it('sums cost exactly enough and counts the workflow too; budget.list gives every budget by scope', async () => {
    await client.budgets.set({ scope: 'workflow:wf-cost', costUsd: 0.3, periodSeconds: 86_400 });
    for (let i = 0; i < 3; i++) await spend('cost-agent', 0, 0.1, 'wf-cost');
    await log.next(about('budget.exceeded', 'workflow:wf-cost')); // 0.1 + 0.1 + 0.1 reaches 0.3 exactly
    const listed = await client.budgets.list();
    assert.deepEqual(listed.map((b) => [b.scope, b.state]), [['agent:spender', 'exceeded'], ['workflow:wf-cost', 'exceeded']]);
    assert.equal(listed[1]!.used.costUsd, 0.3);
  });

  it('counts an outcome sent again with its eventId once (the retry of a call whose reply was lost)', async () => {
    await client.budgets.set({ scope: 'agent:retrier', tokens: 1000, periodSeconds: 3600 });
    const outcome = { agentName: 'retrier', actionType: 'llm.call', status: 'success' as const, durationMs: 1, tokensUsed: 300, eventId: 'retrier-call-1' };
    const first = await client.outcomes.record(outcome);
    const again = await client.outcomes.record(outcome);
    assert.equal(again.eventId, first.eventId, 'the repeat answers the first record');
    await spend('retrier', 1);
    assert.equal((await client.budgets.get({ scope: 'agent:retrier' }))?.used.tokens, 301);
  });

  it('raising a limit keeps the use and makes the budget ok again (budget.changed)', async () => {
    await client.budgets.set({ scope: 'workflow:wf-cost', costUsd: 1, periodSeconds: 86_400 });
    const changed = await log.next((e) => about('budget.changed', 'workflow:wf-cost')(e) && (e.data as Budget).costUsd === 1);
    assert.deepEqual([(changed.data as Budget).used.costUsd, (changed.data as Budget).state], [0.3, 'ok']);
  });

  describe('with a test clock', () => {
    let store: StoreDeps;
    let budgets: Budgets;
    let now: number;
    before(() => {
      store = storeDeps(redis.url, 'budget-clock');
      now = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);
      budgets = new Budgets(store.deps, new AuditTrail(store.deps), () => now);
    });
    after(() => store.close());
    const read = async (scope: string) => (await budgets.read([scope]))[0]!;

    it('starts a new period with nothing used, and warns and refuses again in it', async () => {
      await budgets.set({ scope: 'agent:roller', tokens: 10, periodSeconds: 60 }, 'test');
      budgets.feed('roller', undefined, 10, 0);
      assert.equal((await read('agent:roller')).state, 'exceeded');
      now += 59_999;
      assert.equal((await read('agent:roller')).state, 'exceeded');
      now += 1;
      assert.deepEqual(await read('agent:roller'), { scope: 'agent:roller', tokens: 10, periodSeconds: 60, periodStart: now, used: { tokens: 0, costUsd: 0 }, state: 'ok' });
      budgets.feed('roller', undefined, 10, 0);
      assert.equal((await read('agent:roller')).state, 'exceeded');
      await budgets.batch.settled();
      const kinds = (await new AuditTrail(store.deps).read(100)).filter((e) => e.subject === 'agent:roller').map((e) => e.kind);
      assert.deepEqual(kinds, ['budget_set', 'budget_warning', 'budget_exceeded', 'budget_warning', 'budget_exceeded']);
    });

    it('budgetGate refuses a call in a spent scope (agent or workflow), or asks approval when overBudget is "approve"', async () => {
      await budgets.set({ scope: 'workflow:wf-gate', tokens: 5, periodSeconds: 60 }, 'test');
      const gate = budgetGate(budgets);
      const call = { agentId: 'gate-agent', tool: 'any', workflowId: 'wf-gate' };
      assert.equal(await gate({ ...call, overBudget: 'refuse' }), null);
      budgets.feed('gate-agent', 'wf-gate', 5, 0);
      const refused = await gate({ ...call, overBudget: 'refuse' });
      assert.deepEqual([refused?.allowed, refused?.requiresApproval, refused?.rule], [false, false, 'budget']);
      assert.match(refused!.reason, /budget workflow:wf-gate is spent/);
      const approval = await gate({ ...call, overBudget: 'approve' });
      assert.deepEqual([approval?.allowed, approval?.requiresApproval, approval?.rule], [true, true, 'budget']);
      assert.equal(await gate({ ...call, workflowId: undefined, overBudget: 'refuse' }), null, 'the agent itself has no budget');
    });
  });
});
