/** Questions (SPEC §4 "Coordination primitives", last bullet): approvals with choices or an answer schema, a default on timeout, answers checked. */
import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import type { ParamsOf } from '../../protocol/methods';
import type { Approval } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('approval questions', () => {
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));

  const ask = (extra: Partial<ParamsOf<'approval.create'>>) =>
    client.approvals.create({ agentId: 'asker', type: 'question', context: { question: 'Which region?' }, ...extra });
  const fieldOf = async (call: Promise<unknown>) => (await rejectsWith(call, ErrorCode.InvalidParams)).data;

  it('a question with choices is answered with one of them; a wrong answer is refused and changes nothing', async () => {
    const q = await ask({ choices: ['eu', 'us'] });
    assert.deepEqual(q.choices, ['eu', 'us']);
    assert.equal(q.answer, undefined);
    const respond = (answer: unknown) => client.approvals.respond({ requestId: q.requestId, approved: true, responder: 'jane', answer });
    assert.deepEqual(await fieldOf(respond('asia')), { field: 'answer', rule: 'choices' });
    assert.deepEqual(await fieldOf(respond(1)), { field: 'answer', rule: 'choices' });
    assert.deepEqual(await fieldOf(client.approvals.respond({ requestId: q.requestId, approved: true, responder: 'j' })), { field: 'answer', rule: 'required' });
    assert.deepEqual(await client.approvals.get({ requestId: q.requestId }), q, 'refused answers change nothing');
    const answered = await respond('us');
    assert.equal(answered.status, 'approved');
    assert.equal(answered.answer, 'us');
    assert.deepEqual(await client.approvals.get({ requestId: q.requestId }), answered);
    await rejectsWith(respond('eu'), ErrorCode.Conflict, /already approved by jane/);
  });

  it('a question with an answer schema takes any valid JSON answer, refuses others naming answer', async () => {
    const answerSchema = { type: 'object', properties: { branch: { type: 'string', minLength: 1 }, n: { type: 'integer' } }, required: ['branch'], additionalProperties: false };
    const q = await ask({ answerSchema });
    assert.deepEqual(q.answerSchema, answerSchema);
    const respond = (answer: unknown) => client.approvals.respond({ requestId: q.requestId, approved: true, responder: 'jane', answer });
    const bad = await rejectsWith(respond({ n: 1 }), ErrorCode.InvalidParams, /answer does not match answerSchema/);
    assert.deepEqual(bad.data, { field: 'answer', rule: 'answerSchema' });
    assert.deepEqual(await fieldOf(respond({ branch: 'x', extra: 1 })), { field: 'answer', rule: 'answerSchema' });
    assert.equal((await client.approvals.get({ requestId: q.requestId }))!.status, 'pending');
    assert.deepEqual((await respond({ branch: 'main', n: 3 })).answer, { branch: 'main', n: 3 });
  });

  it('approval.request answers the default when the question times out (status expired), and pushes it', async () => {
    const events = await record(client, ['approvals']);
    const decided = await client.approvals.request({ agentId: 'asker', type: 'q', context: 'Proceed?', choices: ['yes', 'no'], default: 'no', timeoutMs: 300 });
    assert.equal(decided.status, 'expired');
    assert.equal(decided.answer, 'no');
    assert.equal(decided.default, 'no');
    const pushed = await events.next((e) => e.type === 'approval.expired' && (e.data as Approval).requestId === decided.requestId);
    assert.equal((pushed.data as Approval).answer, 'no');
    const noDefault = await client.approvals.request({ agentId: 'asker', type: 'q', context: 'Proceed?', choices: ['yes'], timeoutMs: 200 });
    assert.equal(noDefault.status, 'expired');
    assert.equal(noDefault.answer, undefined);
  });

  it('approving a question that has a default without an answer answers the default; a rejection carries none', async () => {
    const q = await ask({ answerSchema: { type: 'string', maxLength: 5 }, default: 'none' });
    assert.equal((await client.approvals.respond({ requestId: q.requestId, approved: true, responder: 'j' })).answer, 'none');
    const r = await ask({ choices: ['a', 'b'], default: 'a' });
    assert.deepEqual(await fieldOf(client.approvals.respond({ requestId: r.requestId, approved: false, responder: 'j', answer: 'a' })), { field: 'answer', rule: 'rejected' });
    const rejected = await client.approvals.respond({ requestId: r.requestId, approved: false, responder: 'j', reason: 'no' });
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.answer, undefined);
  });

  it('plain approvals stay as they were, and refuse an answer', async () => {
    const plain = await client.approvals.create({ agentId: 'a', type: 'deploy', context: {} });
    for (const field of ['choices', 'answerSchema', 'default', 'answer']) assert.ok(!(field in plain), field);
    assert.deepEqual(await fieldOf(client.approvals.respond({ requestId: plain.requestId, approved: true, responder: 'j', answer: 'x' })), { field: 'answer', rule: 'noQuestion' });
    assert.equal((await client.approvals.respond({ requestId: plain.requestId, approved: true, responder: 'j' })).status, 'approved');
  });

  it('refuses malformed questions naming the field, and files nothing', async () => {
    const before = (await client.approvals.pending()).length;
    const cases: [Partial<ParamsOf<'approval.create'>>, { field: string; rule: string }][] = [
      [{ choices: [] }, { field: 'choices', rule: 'minItems' }],
      [{ choices: ['a', 'a'] }, { field: 'choices', rule: 'uniqueItems' }],
      [{ choices: ['a'], answerSchema: { type: 'string' } }, { field: 'answerSchema', rule: 'oneQuestion' }],
      [{ answerSchema: { type: 'strin' } }, { field: 'answerSchema', rule: 'schema' }],
      [{ answerSchema: { type: 'string', requird: true } }, { field: 'answerSchema', rule: 'schema' }],
      [{ default: 'x' }, { field: 'default', rule: 'needsQuestion' }],
      [{ choices: ['a', 'b'], default: 'c' }, { field: 'default', rule: 'choices' }],
      [{ answerSchema: { type: 'integer' }, default: 'c' }, { field: 'default', rule: 'answerSchema' }],
    ];
    for (const [extra, want] of cases) assert.deepEqual(await fieldOf(ask(extra)), want, JSON.stringify(extra));
    const r = await d.rpc('approval.create', { agentId: 'a', type: 't', context: {}, answerSchema: 'string' });
    assert.equal(r.error.data.field, 'answerSchema');
    assert.equal((await client.approvals.pending()).length, before);
  });
});
