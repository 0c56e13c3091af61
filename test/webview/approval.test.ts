/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { Approval } from '../../protocol/types';
import type { RequestMessage } from '../../webview/shared/messages';
import { openWebviewApp, type WebviewPage } from '../helpers/webview-page';

/** A pending request asked 5 s ago with 125 s left, as of now. */
const pendingNow = (): Approval => ({
  requestId: 'r1',
  agentId: 'deployer',
  type: 'deploy',
  context: { service: 'api', replicas: 3, regions: ['eu', 'us'], dryRun: false },
  risk: 'high',
  status: 'pending',
  requestedAt: Date.now() - 5_000,
  expiresAt: Date.now() + 125_000,
});

describe('approval webview (Chromium)', function () {
  this.timeout(30_000);
  let view: WebviewPage;
  let pending: Approval;
  beforeEach(async () => {
    pending = pendingNow();
    view = await openWebviewApp('approval');
    await view.posted((m) => m.kind === 'notification' && m.method === 'ready');
  });
  afterEach(() => view.close());

  it('says ready, then renders the request readably with a live countdown', async () => {
    // Before the host sends it (a restored panel waits for the daemon), the page says so.
    await view.page.locator('#loading', { hasText: 'Loading this request' }).waitFor();
    await view.deliver({ kind: 'notification', method: 'show', params: { approval: pending, now: Date.now() } });
    const { page } = view;
    await page.locator('h1', { hasText: 'deploy' }).waitFor();
    assert.equal(await page.locator('#loading').count(), 0);
    assert.equal(await page.locator('#requester').innerText(), 'deployer');
    assert.equal(await page.locator('#risk').innerText(), 'high risk');
    assert.deepEqual(await page.locator('.json-fields > dt').allInnerTexts(), ['service', 'replicas', 'regions', 'dryRun']);
    assert.deepEqual(await page.locator('.json-list li').allInnerTexts(), ['eu', 'us']);
    // The time left as of reading it (on a loaded machine seconds pass between setup and here),
    // within the second the ticker may be behind and the second of rounding.
    const shown = await page.locator('#countdown').innerText();
    const [, minutes, seconds] = /^Expires in (\d+):(\d\d)$/.exec(shown) ?? assert.fail(`countdown reads "${shown}"`);
    const left = (pending.expiresAt - Date.now()) / 1000;
    assert.ok(Math.abs(Number(minutes) * 60 + Number(seconds) - left) <= 2, `"${shown}" with ${left.toFixed(1)} s left`);
    // It counts down (a new text at the next second).
    const first = await page.locator('#countdown').innerText();
    await page.waitForFunction((text) => document.getElementById('countdown')!.textContent !== text, first);
  });

  it('sends the answer with the reason as a typed request, then shows the verdict read-only', async () => {
    await view.deliver({ kind: 'notification', method: 'show', params: { approval: pending, now: Date.now() } });
    const { page } = view;
    await page.locator('#reason').click();
    assert.equal(await page.title(), 'deploy · deployer', 'the page is titled as its tab');
    await page.keyboard.type('two regions look fine');
    await page.locator('#approve').click();
    const request = (await view.posted((m) => m.kind === 'request')) as RequestMessage;
    assert.equal(request.method, 'respond');
    assert.deepEqual(request.params, { approved: true, reason: 'two regions look fine' });
    assert.equal(await page.locator('#approve').getAttribute('disabled'), '', 'no double answer while waiting');
    const decided: Approval = { ...pending, status: 'approved', responder: 'jane@vscode', reason: 'two regions look fine', decidedAt: Date.now() };
    await view.deliver({ kind: 'response', id: request.id, result: decided });
    await page.locator('#verdict', { hasText: 'Approved by jane@vscode: “two regions look fine”.' }).waitFor();
    assert.equal(await page.title(), 'deploy · deployer (approved)', 'and with its outcome');
    assert.equal(await page.locator('#countdown').isHidden(), true);
    assert.equal(await page.locator('#reject').getAttribute('disabled'), '');
  });

  it('shows the error of a refused answer and lets the user try again', async () => {
    await view.deliver({ kind: 'notification', method: 'show', params: { approval: pending, now: Date.now() } });
    await view.page.locator('#reject').click();
    const request = (await view.posted((m) => m.kind === 'request')) as RequestMessage;
    assert.deepEqual(request.params, { approved: false, reason: '' });
    await view.deliver({ kind: 'response', id: request.id, error: 'not connected to the Switchboard daemon' });
    await view.page.locator('#error', { hasText: 'not connected' }).waitFor();
    assert.equal(await view.page.locator('#reject').getAttribute('disabled'), null);
  });

  it('turns read-only the moment someone answers elsewhere', async () => {
    await view.deliver({ kind: 'notification', method: 'show', params: { approval: pending, now: Date.now() } });
    await view.page.locator('#countdown').waitFor();
    await view.deliver({ kind: 'notification', method: 'decided', params: { approval: { ...pending, status: 'rejected', responder: 'bob', decidedAt: Date.now() } } });
    await view.page.locator('#verdict', { hasText: 'Rejected by bob.' }).waitFor();
    assert.equal(await view.page.locator('#approve').getAttribute('disabled'), '');
    assert.equal(await view.page.locator('#reason').getAttribute('disabled'), '');
  });
});
