/**
 * End to end in a real VS Code (code-server 4.100.3) driven by Chromium: Redis + daemon + the
 * demo fleet; our .vsix installed; the sidebar, the status bar, and approvals answered through the
 * command palette and through the approval webview's button, each checked against the daemon.
 * Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { SwitchboardClient } from '../../client/client';
import { runFleet, type Fleet } from '../../examples/demo-fleet/fleet';
import type { Approval } from '../../protocol/types';
import { packageVsix } from '../helpers/code-server';
import { useE2eEnv } from '../helpers/e2e-env';
import { record, type EventLog } from '../helpers/events';

const SHOTS = resolve(__dirname, '../../test-results');

describe('extension in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let fleet: Fleet | undefined;
  // Registered first, so it runs first: the fleet's loops end before the environment closes their client.
  after(() => fleet?.stop());
  const env = useE2eEnv();
  let client: SwitchboardClient;
  let approvals: EventLog;
  let page: Page;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    approvals = await record(client, ['approvals']);
    fleet = runFleet(await env.client(), 0.5);
    page = await env.openWorkbench({ vsix: packageVsix() });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const row = (label: RegExp) => page.getByRole('treeitem', { name: label });

  it('shows the demo agents in the Switchboard sidebar, live', async () => {
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    for (const agentId of ['planner', 'coder-1', 'coder-2', 'reviewer', 'coordinator']) {
      await row(new RegExp(`^${agentId}, `)).waitFor({ timeout: 30_000 });
    }
    await row(/^feature-login\b/).waitFor();
    // Progress and task come in as the agents beat: a coder row shows "NN% · <task> (k/5)".
    await row(/^coder-\d, running, \d+% · .+\(\d\/5\)$/).first().waitFor({ timeout: 30_000 });
    await shot('agents-view');
  });

  it('shows the fleet in the status bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: /\d+ agents/ });
    await item.waitFor({ timeout: 30_000 });
    assert.match(await item.innerText(), /\d+ agents/);
  });

  it('approves a pending request from the command palette, and the daemon records it', async () => {
    const requested = await approvals.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'reviewer', 60_000);
    const { requestId } = requested.data as Approval;
    await page.keyboard.press('F1');
    await page.keyboard.type('Switchboard: Approve Pending Request');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Approve Pending Request' }).first().waitFor();
    await page.keyboard.press('Enter');
    const choice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'merge · reviewer' }).first();
    await choice.waitFor();
    await shot('approve-quick-pick');
    await choice.click();
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('ship it');
    await page.keyboard.press('Enter');
    const decided = await approvals.next((e) => e.type === 'approval.approved' && (e.data as Approval).requestId === requestId);
    const approval = decided.data as Approval;
    assert.equal(approval.reason, 'ship it');
    assert.match(approval.responder ?? '', /@vscode$/);
    assert.equal((await client.approvals.get({ requestId }))?.status, 'approved');
  });

  it('pops a notification for a new request, answered from its Approve button', async () => {
    const { requestId } = await client.approvals.create({ agentId: 'e2e-notify', type: 'restart', risk: 'low', context: { service: 'worker' } });
    const toast = page.locator('.notification-toast', { hasText: 'e2e-notify asks to "restart" (low risk)' });
    await toast.waitFor({ timeout: 30_000 });
    for (const button of ['Reject', 'Details']) await toast.getByRole('button', { name: button }).waitFor();
    await shot('approval-notification');
    await toast.getByRole('button', { name: 'Approve' }).click();
    const decided = await approvals.next((e) => e.type === 'approval.approved' && (e.data as Approval).requestId === requestId);
    assert.match((decided.data as Approval).responder ?? '', /@vscode$/);
  });

  it('approves from the approval webview, which then turns read-only', async () => {
    const created = await client.approvals.create({
      agentId: 'e2e-bot',
      type: 'deploy',
      risk: 'high',
      timeoutMs: 600_000,
      context: { service: 'api', version: '1.4.2', regions: ['eu-west-1', 'us-east-1'] },
    });
    const item = row(/^deploy · e2e-bot/);
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const frame = webviewContent(page);
    await frame.locator('#requester', { hasText: 'e2e-bot' }).waitFor();
    await frame.locator('.json-fields dt', { hasText: 'regions' }).waitFor();
    await frame.locator('#countdown', { hasText: /Expires in/ }).waitFor();
    await shot('approval-webview');
    await frame.locator('#reason').click();
    await page.keyboard.type('checked the diff');
    await frame.locator('#approve').click();
    const decided = await approvals.next((e) => e.type === 'approval.approved' && (e.data as Approval).requestId === created.requestId);
    assert.equal((decided.data as Approval).reason, 'checked the diff');
    await frame.locator('#verdict', { hasText: /Approved by .*@vscode/ }).waitFor();
    assert.equal(await frame.locator('#approve').getAttribute('disabled'), '');
    await item.waitFor({ state: 'detached' }); // gone from the Approvals view
    await shot('approval-webview-decided');
  });

  it('gives each request its own tab titled "<type> · <agent>", keeps its content across tab switches and a window reload', async () => {
    const ask = (agentId: string, branch: string) =>
      client.approvals.create({ agentId, type: 'merge', risk: 'medium', timeoutMs: 600_000, context: { branch } });
    await ask('e2e-left', 'feat/left');
    await ask('e2e-right', 'feat/right');
    const tab = (title: string) => page.locator(`.tabs-container .tab[aria-label^="${title}"]`);
    const showsBranch = (branch: string) => webviewContent(page).locator('.json-fields dd', { hasText: branch }).waitFor();
    for (const agentId of ['e2e-left', 'e2e-right']) {
      await row(new RegExp(`^merge · ${agentId}`)).click();
      await tab(`merge · ${agentId}`).waitFor();
    }
    await showsBranch('feat/right');
    await tab('merge · e2e-left').click();
    await showsBranch('feat/left');
    await tab('merge · e2e-right').click();
    await showsBranch('feat/right'); // shown again, not blank
    await shot('approval-tabs');

    await page.keyboard.press('F1');
    await page.keyboard.type('Developer: Reload Window');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().waitFor();
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await page.keyboard.press('Enter');
    await reloaded;
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await tab('merge · e2e-left').click({ timeout: 60_000 });
    await showsBranch('feat/left');
    await shot('approval-restored');
  });

  it('keeps the recipient picked in the signal composer while the fleet beats, sends, and lists the signal as pending', async () => {
    const beats = await record(client, ['agents']);
    await page.keyboard.press('F1');
    await page.keyboard.type('Switchboard: Open Signal Composer');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Signal Composer' }).first().waitFor();
    await page.keyboard.press('Enter');
    const frame = webviewContent(page);
    await frame.locator('#target').click();
    // Not the first agent (the one offered before any pick): coder-2, with the mouse.
    await frame.locator('#target').getByRole('option', { name: 'coder-2', exact: true }).click();
    const pickedAt = Date.now();
    // Three beats of the fleet after the pick: each used to rebuild the list and drop the choice.
    await beats.count((e) => e.type === 'agent.beat' && e.ts >= pickedAt, 3, 30_000);
    assert.equal(await frame.locator('#target').evaluate((el) => (el as HTMLSelectElement).value), 'coder-2');
    await frame.locator('#inspector-title', { hasText: 'Pending for coder-2' }).waitFor();
    await frame.locator('#send').click();
    await frame.locator('#status', { hasText: 'Sent “pause” to coder-2.' }).waitFor();
    await frame.locator('#pending td', { hasText: 'vscode' }).first().waitFor();
    await shot('signal-composer');
    assert.ok((await client.signals.pending({ agentId: 'coder-2' })).some((signal) => signal.type === 'pause' && signal.source === 'vscode'));
  });
});

describe('extension in a real VS Code: the daemon goes away and comes back', function () {
  this.timeout(180_000);
  const env = useE2eEnv();
  let page: Page;

  before(async () => {
    await env.startDaemon();
    await (await env.client()).agents.start({ agentId: 'survivor', ttlSeconds: 600 });
    page = await env.openWorkbench({ vsix: packageVsix() });
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    await page.getByRole('treeitem', { name: /^survivor, / }).waitFor({ timeout: 60_000 });
  });

  it('goes offline (status bar, welcome view with Start Daemon / Connect / Show Log) and reconnects to the restarted daemon', async () => {
    await env.stopDaemon();
    await page.locator('.statusbar-item', { hasText: 'Switchboard offline' }).waitFor({ timeout: 30_000 });
    for (const button of ['Start Daemon', 'Connect', 'Show Log']) await page.getByRole('button', { name: button }).first().waitFor();
    await page.locator('.notification-toast', { hasText: 'lost the daemon' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'offline.png') });
    // A new daemon on the same state dir, on another port: found again through daemon.json.
    await env.startDaemon();
    await page.getByRole('treeitem', { name: /^survivor, / }).waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: /1 agent/ }).waitFor();
    await page.locator('.notification-toast', { hasText: 'reconnected' }).waitFor();
  });
});

/** The content of the newest webview (VS Code nests it in two iframes); locators on it wait by themselves. */
function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
}
