import assert from 'node:assert/strict';
import type { Breaker, Budget } from '../../../protocol/types';
import { fromDecision, fromDenied } from '../../../extension/safety/incidents';
import {
  breakerLook,
  breakerSentence,
  budgetLevel,
  budgetLook,
  budgetTooltip,
  describeBreaker,
  describeBudget,
  describeIncident,
  incidentAccessible,
  incidentLabel,
  incidentLook,
  incidentTooltip,
} from '../../../extension/safety/safety-display';

const T = new Date(2026, 11, 1, 11, 0, 0).getTime();
const clock = (ms: number) => new Date(ms).toLocaleTimeString();

const blocked = fromDecision('blocked', {
  level: 'blocked',
  agentId: 'writer',
  method: 'signal.send',
  field: 'payload',
  findings: [
    { ruleId: 'secret.aws_key', category: 'secret', severity: 'critical', action: 'block', start: 12, end: 32, message: 'an AWS key' },
    { ruleId: 'secret.password', category: 'secret', severity: 'high', action: 'block', start: 40, end: 52, message: 'a password' },
  ],
  ts: T,
});

const budget = (used: { tokens: number; costUsd: number }, state: Budget['state'] = 'ok'): Budget => ({ scope: 'agent:writer', tokens: 1000, costUsd: 2, periodSeconds: 3600, periodStart: T, used, state });

describe('Safety view texts', () => {
  it('names the agent and rules of an incident, and where in the payload it was found', () => {
    assert.equal(incidentLabel(blocked), 'writer: secret.aws_key, secret.password');
    assert.equal(describeIncident(blocked), `signal.send payload 12–32 (+1) · ${clock(T)}`);
    assert.equal(incidentAccessible(blocked), 'blocked: writer: secret.aws_key, secret.password, signal.send payload 12–32 (+1)');
    assert.deepEqual(incidentLook(blocked), { icon: 'error', color: 'errorForeground' });
    const tooltip = incidentTooltip(blocked);
    assert.match(tooltip, /Method: `signal\.send`, field `payload`/);
    assert.match(tooltip, /- `secret\.password` at characters 40–52/);
    assert.match(tooltip, /never kept/);
  });

  it('says where in the payload a finding is when enforcement gives its leaf path', () => {
    const placed = fromDecision('warned', {
      level: 'warning',
      agentId: 'writer',
      method: 'outcome.record',
      field: 'output',
      findings: [{ ruleId: 'pii.email', category: 'personal_data', severity: 'medium', action: 'redact', start: 3, end: 20, message: 'an email', path: 'output.rows.0.contact' }],
      ts: T,
    });
    assert.equal(describeIncident(placed), `outcome.record output.rows.0.contact 3–20 · ${clock(T)}`);
    assert.match(incidentTooltip(placed), /- `pii\.email` in `output\.rows\.0\.contact` at characters 3–20/);
    assert.deepEqual(incidentLook(placed), { icon: 'warning', color: 'list.warningForeground' });
  });

  it('names the tool of a call the policy refused or sent for approval, and says why', () => {
    const event = { allowed: true, requiresApproval: true, reason: 'it uses shell (agents[0].approvalFlags)', rule: 'agents[0]', agentId: 'bot', tool: 'shell:1.0.0', ts: T };
    const asked = fromDenied(event);
    assert.equal(asked.kind, 'approval_required');
    assert.equal(incidentLabel(asked), 'bot: shell:1.0.0');
    assert.equal(describeIncident(asked), `it uses shell (agents[0].approvalFlags) · ${clock(T)}`);
    assert.deepEqual(incidentLook(asked), { icon: 'bell-dot', color: 'list.warningForeground' });
    const refused = fromDenied({ ...event, allowed: false, requiresApproval: false, reason: 'breaker agent:bot is open: try again in 20 s', rule: 'breaker' });
    assert.equal(incidentAccessible(refused), 'refused by policy: bot: shell:1.0.0, breaker agent:bot is open: try again in 20 s');
    assert.match(incidentTooltip(refused), /Tool: `shell:1\.0\.0`/);
  });

  it('says a breaker state, its failures and its retry time, coloured by state', () => {
    const open: Breaker = { name: 'agent:writer', state: 'open', failures: 5, openedAt: T, retryAt: T + 30_000 };
    assert.equal(describeBreaker(open), `open · 5 failures · retry at ${clock(T + 30_000)}`);
    assert.equal(describeBreaker({ name: 'tool:shell', state: 'half_open', failures: 1 }), 'half-open (trial calls) · 1 failure');
    assert.deepEqual(breakerLook(open), { icon: 'circle-slash', color: 'errorForeground' });
    assert.equal(breakerLook({ ...open, state: 'closed' }).color, 'testing.iconPassed');
    assert.equal(breakerSentence(open), `It opened after 5 failures; trial calls would start at ${clock(T + 30_000)}.`);
  });

  it('draws a budget as a bar of its larger fraction, warning from 80 % and exceeded at 100 %', () => {
    assert.equal(describeBudget(budget({ tokens: 250, costUsd: 0.1 })), '25 % ■■□□□□□□□□');
    assert.equal(describeBudget(budget({ tokens: 850, costUsd: 0 })), '85 % ■■■■■■■■□□', 'rounded down: never more than used');
    assert.equal(budgetLevel(budget({ tokens: 100, costUsd: 1.7 })), 'warning', 'the cost decides when it is the larger');
    assert.equal(describeBudget(budget({ tokens: 1300, costUsd: 0 }, 'exceeded')), '130 % exceeded ■■■■■■■■■■');
    assert.deepEqual(budgetLook(budget({ tokens: 850, costUsd: 0 })), { icon: 'warning', color: 'list.warningForeground' });
    assert.deepEqual(budgetLook(budget({ tokens: 10, costUsd: 0 })), { icon: 'pie-chart' });
    const tooltip = budgetTooltip(budget({ tokens: 850, costUsd: 0.5 }), T);
    assert.match(tooltip, new RegExp(`Tokens: 850 of ${(1000).toLocaleString()}`));
    assert.match(tooltip, /Cost: \$0\.5000 of \$2\.00/);
    assert.match(tooltip, /Period: 1 h/);
  });
});
