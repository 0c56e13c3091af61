/// <reference lib="dom" />
/** The approval webview answering questions (docs/approvals.md "Questions"), in real Chromium. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Approval } from '../../protocol/types';
import type { RequestMessage } from '../../webview/shared/messages';
import { openWebviewApp, type WebviewPage } from '../helpers/webview-page';

const question = (extra: Partial<Approval>): Approval => ({
  requestId: 'q1',
  agentId: 'planner',
  type: 'question',
  context: { question: 'Which region should the canary go to?' },
  risk: 'low',
  status: 'pending',
  requestedAt: Date.now() - 5_000,
  expiresAt: Date.now() + 125_000,
  ...extra,
});

describe('approval webview: questions (Chromium)', function () {
  this.timeout(30_000);
  let view: WebviewPage;
  beforeEach(async () => {
    view = await openWebviewApp('approval');
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
  });
  afterEach(() => view.close());
  const show = (approval: Approval) => view.deliver({ kind: 'notification', method: 'show', params: { approval, now: Date.now() } });

  it('shows one button per choice and the default; a click answers with that choice', async () => {
    const pending = question({ choices: ['eu-west', 'us-east', 'ap-south'], default: 'eu-west' });
    await show(pending);
    const { page } = view;
    await page.locator('#question', { hasText: 'Which region should the canary go to?' }).waitFor();
    assert.deepEqual(await page.locator('vscode-button.choice').allInnerTexts(), ['eu-west', 'us-east', 'ap-south']);
    assert.equal(await page.locator('#approve').isHidden(), true, 'the choices are the answer buttons');
    assert.equal(await page.locator('#reject').innerText(), 'Decline');
    assert.equal(await page.locator('#default').innerText(), 'If nobody answers in time: "eu-west"');
    const shots = resolve(__dirname, '../../test-results');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: resolve(shots, 'approval-question-choices.png'), fullPage: true });

    await page.locator('#choice-1').click();
    const request = (await view.posted((m) => m.kind === 'request')) as RequestMessage;
    assert.deepEqual(request.params, { approved: true, reason: '', answer: 'us-east' });
    assert.equal(await page.locator('#choice-0').getAttribute('disabled'), '', 'no second answer while waiting');
    await view.deliver({ kind: 'response', id: request.id, result: { ...pending, status: 'approved', responder: 'jane', answer: 'us-east', decidedAt: Date.now() } });
    await page.locator('#verdict', { hasText: 'Answered “us-east” by jane.' }).waitFor();
    assert.equal(await page.locator('#choice-2').getAttribute('disabled'), '');
  });

  it('a schema question takes JSON in a text field; a refused answer shows under the field and can be fixed', async () => {
    const answerSchema = { type: 'object', properties: { replicas: { type: 'integer' } }, required: ['replicas'] };
    const pending = question({ answerSchema });
    await show(pending);
    const { page } = view;
    await page.locator('#answer').waitFor();
    assert.equal(await page.locator('#approve').innerText(), 'Answer');
    assert.deepEqual(JSON.parse(await page.locator('#answer-schema').textContent() ?? ''), answerSchema);
    await page.locator('#answer').click();
    await page.keyboard.type('{"replicas": "three"}');
    await page.locator('#approve').click();
    const first = (await view.posted((m) => m.kind === 'request')) as RequestMessage;
    assert.deepEqual(first.params, { approved: true, reason: '', answer: { replicas: 'three' } });
    await view.deliver({ kind: 'response', id: first.id, error: 'invalid params: answer does not match answerSchema: /replicas must be integer' });
    await page.locator('#answer-error', { hasText: 'must be integer' }).waitFor();
    assert.equal(await page.locator('#answer').getAttribute('invalid'), '');
    assert.equal(await page.locator('#error').innerText(), '');

    await page.locator('#answer').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('{"replicas": 3}');
    await page.locator('#approve').click();
    const second = (await view.posted((m) => m.kind === 'request')) as RequestMessage;
    assert.deepEqual(second.params, { approved: true, reason: '', answer: { replicas: 3 } });
    assert.equal(await page.locator('#answer-error').innerText(), '', 'the old refusal is cleared on a new try');
  });

  it('a string schema sends the text as typed; an expired question shows the default it took', async () => {
    const pending = question({ answerSchema: { type: 'string' }, default: 'main' });
    await show(pending);
    await view.page.locator('#answer').click();
    await view.page.keyboard.type('42');
    await view.page.locator('#approve').click();
    const request = (await view.posted((m) => m.kind === 'request')) as RequestMessage;
    assert.deepEqual(request.params, { approved: true, reason: '', answer: '42' });
    await view.deliver({ kind: 'notification', method: 'decided', params: { approval: { ...pending, status: 'expired', answer: 'main', decidedAt: Date.now() } } });
    await view.page.locator('#verdict', { hasText: 'Expired without an answer: took the default “main”.' }).waitFor();
    assert.equal(await view.page.locator('#answer').getAttribute('disabled'), '');
  });
});
