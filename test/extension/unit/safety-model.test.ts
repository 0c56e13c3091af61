import assert from 'node:assert/strict';
import type { AuditEntry, Breaker, Budget, SafetyDecision } from '../../../protocol/types';
import { fromAudit } from '../../../extension/safety/incidents';
import { INCIDENTS_SHOWN, SafetyModel, type SafetyChange, type SafetyEvent } from '../../../extension/safety/safety-model';

const T = Date.UTC(2026, 11, 1, 11, 0, 0);

function decision(ts: number, overrides: Partial<SafetyDecision> = {}): SafetyDecision {
  return {
    level: 'blocked',
    agentId: 'writer',
    method: 'signal.send',
    field: 'payload',
    findings: [{ ruleId: 'secret.aws_key', category: 'secret', severity: 'critical', action: 'block', start: 12, end: 32, message: 'an AWS key' }],
    ts,
    ...overrides,
  };
}

function event<T extends SafetyEvent['type']>(type: T, data: Extract<SafetyEvent, { type: T }>['data']): SafetyEvent {
  return { topic: 'safety', type, data, subscriptionId: 's', seq: 1, ts: T } as SafetyEvent;
}

const breaker = (name: string, state: Breaker['state'], failures = 5): Breaker => ({ name, state, failures, openedAt: T, retryAt: T + 30_000 });
const budget = (scope: string, usedTokens: number, state: Budget['state'] = 'ok'): Budget => ({
  scope,
  tokens: 1000,
  periodSeconds: 3600,
  periodStart: T,
  used: { tokens: usedTokens, costUsd: 0 },
  state,
});

function changes(model: SafetyModel): SafetyChange[] {
  const seen: SafetyChange[] = [];
  model.onDidChange((change) => seen.push(change));
  return seen;
}

describe('SafetyModel', () => {
  it('reads incidents from the audit trail, newest first, and only the blocked, warned and refused kinds', () => {
    const model = new SafetyModel();
    const audit: AuditEntry[] = [
      { id: `${T}-0`, ts: T, kind: 'blocked', agentId: 'writer', subject: 'signal.send', detail: { field: 'payload', findings: [{ ruleId: 'secret.aws_key', start: 1, end: 5 }] } },
      { id: `${T + 1}-0`, ts: T + 1, kind: 'rules_changed', detail: { oldVersion: 0, newVersion: 1 } },
      { id: `${T + 2}-0`, ts: T + 2, kind: 'policy_denied', agentId: 'bot', subject: 'shell', detail: { reason: 'not allowed', rule: 'agents[0]' } },
    ];
    model.applySnapshot({ audit, breakers: [], budgets: [] });
    assert.deepEqual(model.incidents().map((i) => [i.kind, i.agentId, i.subject, i.ruleIds]), [
      ['policy_denied', 'bot', 'shell', ['agents[0]']],
      ['blocked', 'writer', 'signal.send', ['secret.aws_key']],
    ]);
    assert.deepEqual(model.incidents()[1]!.spans, [{ ruleId: 'secret.aws_key', start: 1, end: 5 }]);
    model.dispose();
  });

  it('merges a push with the audit entry of the same decision, and tells only pushed blocked content', () => {
    const model = new SafetyModel();
    const seen = changes(model);
    model.applyEvent(event('safety.blocked', decision(T)));
    model.applyEvent(event('safety.warned', decision(T + 5, { level: 'warning', agentId: 'other' })));
    // The snapshot answered after the push: the same decision, read from the audit trail.
    model.applySnapshot({ audit: [{ id: `${T}-0`, ts: T, kind: 'blocked', agentId: 'writer', subject: 'signal.send', detail: { field: 'payload', ruleIds: ['secret.aws_key'] } }] });
    model.flush();
    assert.equal(model.incidents().length, 2);
    assert.deepEqual(model.incidents().map((i) => i.kind), ['warned', 'blocked']);
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.blocked.map((i) => i.agentId), ['writer']);
    assert.deepEqual([...seen[0]!.groups].sort(), ['breakers', 'budgets', 'incidents']);
    model.dispose();
  });

  it(`keeps the newest ${INCIDENTS_SHOWN} incidents`, () => {
    const model = new SafetyModel();
    for (let i = 0; i < INCIDENTS_SHOWN + 5; i++) model.applyEvent(event('safety.warned', decision(T + i, { level: 'warning' })));
    assert.equal(model.incidents().length, INCIDENTS_SHOWN);
    assert.equal(model.incidents()[0]!.ts, T + INCIDENTS_SHOWN + 4);
    model.dispose();
  });

  it('follows breakers and budgets by push, naming the openings and the crossings', () => {
    const model = new SafetyModel();
    const seen = changes(model);
    model.applySnapshot({ audit: [], breakers: [breaker('agent:a', 'closed', 2)], budgets: [budget('agent:a', 100)] });
    model.flush();
    model.applyEvent(event('breaker.opened', breaker('agent:a', 'open')));
    model.applyEvent(event('budget.warning', budget('agent:a', 850, 'warning')));
    model.flush();
    assert.equal(model.breakers.get('agent:a')!.state, 'open');
    assert.equal(model.budgets.get('agent:a')!.used.tokens, 850);
    assert.deepEqual(seen[1]!.opened.map((b) => b.name), ['agent:a']);
    assert.deepEqual(seen[1]!.crossed.map((b) => b.state), ['warning']);
    assert.deepEqual([...seen[1]!.groups].sort(), ['breakers', 'budgets']);
    model.applyEvent(event('breaker.closed', breaker('agent:a', 'closed', 0)));
    model.applyEvent(event('budget.changed', { ...budget('agent:a', 850), tokens: 5000 }));
    model.flush();
    assert.deepEqual(seen[2]!.opened, [], 'a close is no opening');
    assert.deepEqual(seen[2]!.crossed, [], 'a budget set anew is no crossing');
    assert.equal(model.budgets.get('agent:a')!.tokens, 5000);
    model.dispose();
  });

  it('marks a group whose method the daemon lacks, and passes on the live versions of rules and policy', () => {
    const model = new SafetyModel();
    const seen = changes(model);
    model.applySnapshot({ audit: [], breakers: undefined, budgets: [] });
    assert.deepEqual([...model.unavailable], ['breakers']);
    model.applyEvent(event('rules.changed', { oldVersion: 1, newVersion: 2, ts: T }));
    model.flush();
    assert.equal(seen[0]!.versions.rules, 2);
    assert.equal(seen[0]!.versions.policy, undefined);
    model.dispose();
  });

  it('reads rule ids from any of the audit detail shapes the daemon parts write', () => {
    const entry = (detail: Record<string, unknown>): AuditEntry => ({ id: '1-0', ts: 1, kind: 'warned', detail });
    assert.deepEqual(fromAudit(entry({ rules: ['a', 'b'] }))!.ruleIds, ['a', 'b']);
    assert.deepEqual(fromAudit(entry({ rule: 'c', agentId: 'x', method: 'outcome.record' }))!.ruleIds, ['c']);
    assert.equal(fromAudit(entry({ agentId: 'x' }))!.agentId, 'x');
    assert.equal(fromAudit({ id: '1-0', ts: 1, kind: 'budget_warning', detail: {} }), undefined);
  });
});
