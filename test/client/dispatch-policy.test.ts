/** The ActionDispatcher with a tool: policy.check first, approvals filed and awaited, refusals typed and recorded. */
import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { ActionDispatcher } from '../../client/dispatch';
import { ApprovalRejectedError, PolicyDeniedError } from '../../client/tool-policy';
import type { Approval, OutcomeEvent, PushedEvent } from '../../protocol/types';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';

describe('ActionDispatcher with tools (policy and approvals)', () => {
  let client: SwitchboardClient;
  let d: TestDaemon;
  let human: SwitchboardClient;
  let log: EventLog;
  useDaemon((env) => ({ client, d } = env));
  before(async () => {
    human = await d.client();
    log = await record(human, ['approvals', 'outcomes']);
    const schema = { type: 'object', properties: { command: { type: 'string' }, token: { type: 'string' } } };
    await client.call('tool.register', { name: 'shell', version: '1.0.0', flags: ['shell'], schema });
    await client.call('tool.register', { name: 'search', version: '1.0.0', flags: [], schema: { type: 'object' } });
    await client.call('policy.set', {
      expectedVersion: 0,
      policy: {
        agents: [
          { agent: 'sandboxed', allow: ['search'] },
          { agent: 'slow', allow: ['search'], timeoutMs: 50 },
          { agent: 'operator', allow: ['*'], approvalFlags: ['shell'] },
        ],
      },
    });
  });

  /** Answers the next approval request of this agent as a human would, once its approval.requested push arrives. */
  const answerNext = async (agentId: string, approved: boolean): Promise<Approval> => {
    const asked = await log.next((e: PushedEvent) => e.type === 'approval.requested' && (e.data as Approval).agentId === agentId && !answered.has((e.data as Approval).requestId));
    const approval = asked.data as Approval;
    answered.add(approval.requestId);
    await human.call('approval.respond', { requestId: approval.requestId, approved, responder: 'test-human', reason: approved ? 'fine' : 'too risky' });
    return approval;
  };
  const answered = new Set<string>();
  const landed = async (eventId: string): Promise<OutcomeEvent> => {
    const pushed = await log.next((e) => e.type === 'outcome.recorded' && (e.data as OutcomeEvent[]).some((o) => o.eventId === eventId));
    return (pushed.data as OutcomeEvent[]).find((o) => o.eventId === eventId)!;
  };

  it('does not run a refused tool call: cancelled with a PolicyDeniedError, and the outcome says so', async () => {
    let ran = false;
    const result = await new ActionDispatcher(client).dispatch('sandboxed', 'tool.shell', () => (ran = true), { tool: 'shell', args: { command: 'ls' } });
    assert.equal(ran, false);
    assert.equal(result.status, 'cancelled');
    assert.ok(result.error instanceof PolicyDeniedError);
    assert.match(result.error.message, /allows agent "sandboxed" no tool matching shell:1\.0\.0/);
    const stored = await landed(result.eventId);
    assert.equal(stored.status, 'cancelled');
    assert.equal(stored.errorType, 'PolicyDeniedError');
    assert.equal(stored.errorMessage, result.error.message);
  });

  it('files an approval request (redacted args, high risk for a shell tool) and runs once approved', async () => {
    const answer = answerNext('operator', true);
    const result = await new ActionDispatcher(client).dispatch('operator', 'tool.shell', () => 'done', { tool: 'shell', args: { command: 'ls', token: 'abc-secret' } });
    const approval = await answer;
    assert.equal(result.status, 'success');
    assert.equal(result.output, 'done');
    assert.equal(approval.type, 'tool:shell');
    assert.equal(approval.risk, 'high');
    const context = approval.context as { tool: string; args: Record<string, unknown>; reason: string };
    assert.equal(context.tool, 'shell:1.0.0');
    assert.deepEqual(context.args, { command: 'ls', token: '[REDACTED]' });
    assert.match(context.reason, /uses shell/);
  });

  it('does not run a call the human rejected: cancelled with an ApprovalRejectedError', async () => {
    let ran = false;
    const answer = answerNext('operator', false);
    const result = await new ActionDispatcher(client).dispatch('operator', 'tool.shell', () => (ran = true), { tool: 'shell:1.0.0', args: { command: 'rm x' } });
    await answer;
    assert.equal(ran, false);
    assert.equal(result.status, 'cancelled');
    assert.ok(result.error instanceof ApprovalRejectedError);
    assert.equal(result.error.approval.status, 'rejected');
    assert.match(result.error.message, /too risky/);
  });

  it("applies the policy entry's timeoutMs when the caller gave none", async () => {
    const result = await new ActionDispatcher(client).dispatch('slow', 'tool.search', (action) => new Promise((resolve) => action.signal.addEventListener('abort', resolve)), { tool: 'search' });
    assert.equal(result.status, 'timeout');
  });

  it('without a tool, runs as before whatever the policy says', async () => {
    const result = await new ActionDispatcher(client).dispatch('sandboxed', 'tool.shell', () => 'ran');
    assert.equal(result.status, 'success');
  });
});
