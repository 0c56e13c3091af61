/**
 * Breakers and budgets behind policy.check on a real daemon, with the live policy's short breaker
 * settings (real time: a 1 s cool-down, awaited through its breaker.half_open event).
 */
import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import type { ParamsOf } from '../../protocol/methods';
import type { Breaker, PolicyDecision, SafetyPolicy } from '../../protocol/types';
import { useDaemon } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';

const POLICY: SafetyPolicy = {
  agents: [
    { agent: 'asker-*', allow: ['*'], overBudget: 'approve' },
    { agent: '*', allow: ['*'] },
  ],
  breakers: { consecutiveFailures: 2, coolDownSeconds: 1, halfOpenTrials: 2 },
};

describe('policy.check with breakers and budgets', () => {
  let client: SwitchboardClient;
  let log: EventLog;
  useDaemon((env) => ({ client } = env));
  before(async () => {
    log = await record(client, ['safety']);
    await client.call('tool.register', { name: 'flaky.api', version: '1.0.0', flags: [], schema: { type: 'object' } });
    await client.call('policy.set', { policy: POLICY, expectedVersion: 0 });
    await log.next((e) => e.type === 'policy.changed');
  });

  const check = (agentId: string, workflowId?: string) => client.call('policy.check', { agentId, tool: 'flaky.api', ...(workflowId ? { workflowId } : {}) }) as Promise<PolicyDecision>;
  const outcome = (status: ParamsOf<'outcome.record'>['status'], extra: Partial<ParamsOf<'outcome.record'>> = {}) =>
    client.outcomes.record({ agentName: 'caller-1', actionType: 'flaky.api', status, durationMs: 1, ...extra });
  const about = (type: string, name: string) => log.next((e) => e.type === type && (e.data as Breaker).name === name);

  it('opens on the policy’s consecutiveFailures, refuses, turns half-open after its cool-down, lets halfOpenTrials through, and closes on their success', async () => {
    assert.equal((await check('caller-1')).allowed, true);
    await outcome('failure');
    await outcome('timeout');
    await about('breaker.opened', 'tool:flaky.api');
    const refused = await check('caller-2');
    assert.deepEqual([refused.allowed, refused.rule], [false, 'breaker']);
    assert.ok(refused.retryAfterMs! > 0 && refused.retryAfterMs! <= 1000, `retryAfterMs ${refused.retryAfterMs}`);

    await about('breaker.half_open', 'tool:flaky.api'); // the sweep, within a second
    const trials = await Promise.all([check('caller-2'), check('caller-3'), check('caller-4')]);
    assert.deepEqual(trials.map((t) => t.allowed).sort(), [false, true, true]);
    assert.equal(trials.find((t) => !t.allowed)?.rule, 'breaker');

    await outcome('success');
    await outcome('success', { agentName: 'caller-2' });
    await about('breaker.closed', 'tool:flaky.api');
    assert.equal((await check('caller-5')).allowed, true);
  });

  it('refuses a call in a spent budget, or asks approval when the entry says overBudget "approve"', async () => {
    await client.budgets.set({ scope: 'workflow:wf-gated', tokens: 10, periodSeconds: 3600 });
    await outcome('success', { agentName: 'spender', workflowId: 'wf-gated', tokensUsed: 10 });
    await log.next((e) => e.type === 'budget.exceeded');
    const refused = await check('spender', 'wf-gated');
    assert.deepEqual([refused.allowed, refused.requiresApproval, refused.rule], [false, false, 'budget']);
    const asked = await check('asker-1', 'wf-gated');
    assert.deepEqual([asked.allowed, asked.requiresApproval, asked.rule], [true, true, 'budget']);
    assert.equal((await check('spender')).allowed, true, 'outside the workflow');
  });
});
