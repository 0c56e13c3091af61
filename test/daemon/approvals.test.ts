import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import type { Approval } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('approvals', () => {
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));

  it('creates a pending request with defaults and lists it', async () => {
    const created = await client.approvals.create({ agentId: 'deployer', type: 'deploy', context: { env: 'prod', diff: ['a', 'b'] } });
    assert.equal(created.status, 'pending');
    assert.equal(created.risk, 'medium');
    assert.deepEqual(created.context, { env: 'prod', diff: ['a', 'b'] });
    assert.equal(created.expiresAt - created.requestedAt, 300_000);
    assert.equal(created.responder, undefined);
    assert.ok((await client.approvals.pending()).some((a) => a.requestId === created.requestId));
    assert.deepEqual(await client.approvals.get({ requestId: created.requestId }), created);
  });

  it('takes one answer; a second is -32003 and an unknown id -32002', async () => {
    const { requestId } = await client.approvals.create({ agentId: 'a', type: 'rm', context: 'rm -rf build', risk: 'high' });
    const approved = await client.approvals.respond({ requestId, approved: true, responder: 'jane', reason: 'looks fine' });
    assert.equal(approved.status, 'approved');
    assert.equal(approved.responder, 'jane');
    assert.equal(approved.reason, 'looks fine');
    assert.ok(approved.decidedAt! >= approved.requestedAt);
    await rejectsWith(client.approvals.respond({ requestId, approved: false, responder: 'bob' }), ErrorCode.Conflict, /already approved by jane/);
    assert.deepEqual(await client.approvals.get({ requestId }), approved, 'the first answer stands');
    assert.ok(!(await client.approvals.pending()).some((a) => a.requestId === requestId));
    await rejectsWith(client.approvals.respond({ requestId: 'no-such-id', approved: true, responder: 'x' }), ErrorCode.NotFound);
    assert.equal(await client.approvals.get({ requestId: 'no-such-id' }), null);
  });

  it('approval.request blocks until someone answers, woken by push', async () => {
    const events = await record(client, ['approvals']);
    const agent = await d.client();
    const asking = agent.approvals.request({ agentId: 'bot', type: 'merge', context: { pr: 7 }, timeoutMs: 60_000 });
    const requested = await events.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'bot');
    const { requestId } = requested.data as Approval;
    await client.approvals.respond({ requestId, approved: false, responder: 'lead', reason: 'not today' });
    const decided = await asking;
    assert.equal(decided.requestId, requestId);
    assert.equal(decided.status, 'rejected');
    assert.equal(decided.reason, 'not today');
    await events.next((e) => e.type === 'approval.rejected' && (e.data as Approval).requestId === requestId);
  });

  it('approval.wait returns the request still pending at its timeout', async () => {
    const { requestId } = await client.approvals.create({ agentId: 'a', type: 't', context: null });
    const waited = await client.approvals.wait({ requestId, timeoutMs: 50 });
    assert.equal(waited.status, 'pending');
    await rejectsWith(client.approvals.wait({ requestId: 'missing', timeoutMs: 50 }), ErrorCode.NotFound);
  });

  it('expires an unanswered request (a rejection) and publishes it once', async () => {
    const events = await record(client, ['approvals']);
    const decided = await client.approvals.request({ agentId: 'impatient', type: 'x', context: {}, timeoutMs: 300 });
    assert.equal(decided.status, 'expired');
    assert.ok(decided.decidedAt! >= decided.expiresAt);
    await rejectsWith(client.approvals.respond({ requestId: decided.requestId, approved: true, responder: 'late' }), ErrorCode.Conflict, /expired/);
    const expired = await events.count((e) => e.type === 'approval.expired' && (e.data as Approval).requestId === decided.requestId, 1);
    assert.equal(expired.length, 1);
  });

  it('rejects bad params, naming the field', async () => {
    let r = await d.rpc('approval.create', { agentId: 'a', type: 't' });
    assert.equal(r.error.data.field, 'context');
    r = await d.rpc('approval.create', { agentId: 'a', type: 't', context: {}, risk: 'extreme' });
    assert.equal(r.error.code, ErrorCode.InvalidParams);
    assert.match(r.error.message, /risk/);
    r = await d.rpc('approval.respond', { requestId: 'x', approved: 'yes', responder: 'j' });
    assert.equal(r.error.data.field, 'approved');
    r = await d.rpc('approval.create', { agentId: 'a', type: 't', context: { big: 'x'.repeat(70_000) } });
    assert.equal(r.error.code, ErrorCode.TooLarge);
    assert.equal(r.error.data.field, 'context');
  });
});
