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
});
