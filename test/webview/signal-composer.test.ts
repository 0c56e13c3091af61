/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { Signal } from '../../protocol/types';
import type { RequestMessage } from '../../webview/shared/messages';
import { openWebviewApp, type WebviewPage } from '../helpers/webview-page';

describe('signal composer webview (Chromium)', function () {
  this.timeout(30_000);
  let view: WebviewPage;
  const agents = [
    { agentId: 'coder-1', status: 'running' },
    { agentId: 'reviewer', status: 'running' },
  ];

  beforeEach(async () => {
    view = await openWebviewApp('signal-composer');
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
    await view.deliver({ kind: 'notification', method: 'init', params: { agents, types: ['pause', 'resume', 'abort'], target: 'reviewer' } });
    // Showing the preselected agent's pending signals is the first request.
    const pending = (await view.posted((m) => m.kind === 'request' && m.method === 'pending')) as RequestMessage;
    assert.deepEqual(pending.params, { agentId: 'reviewer' });
    const now = Date.now();
    const waiting: Signal[] = [{ signalId: 's1', type: 'pause', source: 'boss', target: 'reviewer', payload: { why: 'lunch' }, sentAt: now, expiresAt: now + 30_000 }];
    await view.deliver({ kind: 'response', id: pending.id, result: waiting });
  });
  afterEach(() => view.close());

  it('offers everyone and the live agents, preselects the target, and lists its pending signals', async () => {
    const { page } = view;
    assert.equal(await page.locator('#target').evaluate((el) => (el as HTMLSelectElement).value), 'reviewer');
    assert.deepEqual(await page.locator('#target vscode-option').evaluateAll((els) => els.map((e) => e.getAttribute('value'))), ['*', 'coder-1', 'reviewer']);
    assert.deepEqual(await page.locator('#type vscode-option').evaluateAll((els) => els.map((e) => e.getAttribute('value'))), ['pause', 'resume', 'abort']);
    await page.locator('#inspector-title', { hasText: 'Pending for reviewer' }).waitFor();
    assert.deepEqual(await page.locator('#pending td').allInnerTexts().then((cells) => cells.slice(0, 3)), ['pause', 'boss', '{"why":"lunch"}']);
  });

  it('checks the JSON payload as it is typed, and Send waits for valid JSON', async () => {
    const { page } = view;
    await page.locator('#payload').click();
    await page.keyboard.type('{"reason": ');
    await page.locator('#payload-error', { hasText: 'Payload is not valid JSON' }).waitFor();
    assert.equal(await page.locator('#send').getAttribute('disabled'), '');
    await page.keyboard.type('"deadline"}');
    await page.waitForFunction(() => document.getElementById('payload-error')!.textContent === '');
    assert.equal(await page.locator('#send').getAttribute('disabled'), null);
  });

  it('sends target, type, payload and ttl as one typed request, then shows the result', async () => {
    const { page } = view;
    await page.locator('#payload').click();
    await page.keyboard.type('{"priority": 1}');
    await page.locator('#ttl').evaluate((el) => {
      (el as HTMLInputElement).value = '120';
      el.dispatchEvent(new Event('input'));
    });
    await page.locator('#send').click();
    const send = (await view.posted((m) => m.kind === 'request' && m.method === 'send')) as RequestMessage;
    assert.deepEqual(send.params, { to: 'reviewer', type: 'pause', payload: '{"priority": 1}', ttlSeconds: 120 });
    const now = Date.now();
    await view.deliver({
      kind: 'response',
      id: send.id,
      result: { signalId: 's2', type: 'pause', source: 'vscode', target: 'reviewer', payload: { priority: 1 }, sentAt: now, expiresAt: now + 120_000 },
    });
    await page.locator('#status', { hasText: 'Sent “pause” to reviewer.' }).waitFor();
    // …and the inspector reloads.
    await view.posted((m) => m.kind === 'request' && m.method === 'pending');
  });

  it('shows why the host refused a send', async () => {
    await view.page.locator('#send').click();
    const send = (await view.posted((m) => m.kind === 'request' && m.method === 'send')) as RequestMessage;
    await view.deliver({ kind: 'response', id: send.id, error: 'invalid params: to must match pattern' });
    await view.page.locator('#status.error', { hasText: 'invalid params' }).waitFor();
  });

  const choose = (id: string, value: string) =>
    view.page.locator(id).evaluate((el, v) => {
      (el as HTMLSelectElement).value = v;
      el.dispatchEvent(new Event('change'));
    }, value);

  it('keeps the picked recipient and type while the agent list changes, and sends to them', async () => {
    const { page } = view;
    await choose('#target', 'coder-1');
    const pending = (await view.posted((m) => m.kind === 'request' && m.method === 'pending')) as RequestMessage;
    assert.deepEqual(pending.params, { agentId: 'coder-1' });
    await view.deliver({ kind: 'response', id: pending.id, result: [] });
    await choose('#type', 'abort');
    // Agents come, change status and go while the user is on the form…
    for (const list of [[...agents, { agentId: 'coder-2', status: 'starting' }], [{ agentId: 'coder-1', status: 'running' }], agents]) {
      await view.deliver({ kind: 'notification', method: 'agents', params: { agents: list } });
    }
    await page.waitForFunction(() => document.querySelectorAll('#target vscode-option').length === 3);
    assert.equal(await page.locator('#target').evaluate((el) => (el as HTMLSelectElement).value), 'coder-1');
    assert.equal(await page.locator('#type').evaluate((el) => (el as HTMLSelectElement).value), 'abort');
    await page.locator('#send').click();
    const send = (await view.posted((m) => m.kind === 'request' && m.method === 'send')) as RequestMessage;
    assert.deepEqual(send.params, { to: 'coder-1', type: 'abort', payload: '', ttlSeconds: 60 });
  });

  it('keeps a recipient that has left, marked as not live', async () => {
    await view.deliver({ kind: 'notification', method: 'agents', params: { agents: [agents[0]] } });
    const option = view.page.locator('#target vscode-option[value="reviewer"]');
    await option.waitFor({ state: 'attached' });
    assert.equal(await option.getAttribute('description'), 'not live');
    assert.equal(await view.page.locator('#target').evaluate((el) => (el as HTMLSelectElement).value), 'reviewer');
  });

  it('counts "Expires in" down, and marks a signal past its expiry', async () => {
    await choose('#target', 'coder-1');
    const pending = (await view.posted((m) => m.kind === 'request' && m.method === 'pending')) as RequestMessage;
    const now = Date.now();
    await view.deliver({ kind: 'response', id: pending.id, result: [{ signalId: 's3', type: 'pause', source: 'boss', target: 'coder-1', payload: null, sentAt: now, expiresAt: now + 2_500 }] });
    const cell = view.page.locator('#pending td.expires');
    await cell.filter({ hasText: /^0:0[23]$/ }).waitFor();
    await cell.filter({ hasText: /^0:01$/ }).waitFor();
    await view.page.locator('#pending tr.expired td.expires', { hasText: 'expired' }).waitFor();
  });

  it('keeps what the user typed when the page is loaded again (tab hidden and shown, window reload)', async () => {
    const { page } = view;
    await choose('#target', 'coder-1');
    await page.locator('#payload').click();
    await page.keyboard.type('{"step": 2}');
    await page.reload();
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
    // The host sends what it knows; no recipient asked for, so the page keeps its own.
    await view.deliver({ kind: 'notification', method: 'init', params: { agents, types: ['pause', 'resume', 'abort'] } });
    const pending = (await view.posted((m) => m.kind === 'request' && m.method === 'pending')) as RequestMessage;
    assert.deepEqual(pending.params, { agentId: 'coder-1' });
    assert.equal(await page.locator('#payload').evaluate((el) => (el as HTMLTextAreaElement).value), '{"step": 2}');
    assert.equal(await page.locator('#target').evaluate((el) => (el as HTMLSelectElement).value), 'coder-1');
  });
});
