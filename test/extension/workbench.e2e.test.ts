/**
 * End to end in a real VS Code (code-server 4.100.3) driven by Chromium: Redis + daemon + the
 * demo fleet; our .vsix installed; the sidebar, the status bar, and approvals answered through the
 * command palette (a QuickPick of choices, an input box for a schema question) and through the
 * approval webview's button, each checked against the daemon.
 * Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ask } from '../../client/ask';
import type { SwitchboardClient } from '../../client/client';
import { runFleet, type Fleet } from '../../examples/demo-fleet/fleet';
import type { Approval } from '../../protocol/types';
import { packageVsix } from '../helpers/code-server';
import { extensionLogs } from '../helpers/extension-log';
import { useE2eEnv } from '../helpers/e2e-env';
import { reportFailure } from '../helpers/e2e-failure';
import { webviewContent } from '../helpers/webview-frame';
import { startupTimeline } from '../helpers/startup-timeline';
import { record, type EventLog } from '../helpers/events';
import { runCommand } from '../helpers/palette';

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
  const consoleErrors: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    approvals = await record(client, ['approvals']);
    fleet = runFleet(await env.client(), 0.5);
    page = await env.openWorkbench({ vsix: packageVsix() });
    // For a failure's report: a webview whose page never ran (it once stayed blank under heavy load) says why here.
    page.on('console', (message) => message.type() !== 'log' && consoleErrors.push(`${message.type()}: ${message.text()}`));
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    await reportFailure(this.currentTest, page, env.workbench?.userDataDir, SHOTS, 'workbench');
    process.stdout.write(`--- the workbench's console, last errors and warnings\n${consoleErrors.slice(-30).join('\n')}\n`);
  });
  const row = (label: RegExp) => page.getByRole('treeitem', { name: label });
  /**
   * A row of the Approvals view, scrolled to until the whole row shows. The pane shows five or six
   * rows and the tree draws only those: with the requests earlier tests leave pending, a new one
   * (the latest to expire, listed last) is in the store and the view but not on the page, and a
   * locator never finds it; a row drawn but cut off at the pane's bottom takes no click.
   */
  const approvalRow = async (label: RegExp) => {
    const item = row(label);
    const list = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Approvals' }) }).locator('.monaco-list').first();
    const shownWhole = async () => {
      if (!(await item.isVisible())) return false;
      const [box, pane] = await Promise.all([item.boundingBox(), list.boundingBox()]);
      return !!box && !!pane && box.y >= pane.y && box.y + box.height <= pane.y + pane.height + 0.5;
    };
    const deadline = Date.now() + 30_000;
    while (!(await shownWhole())) {
      if (Date.now() > deadline) throw new Error(`no row ${label} shown whole in the Approvals view`);
      await list.hover();
      await page.mouse.wheel(0, 10_000);
      await page.waitForTimeout(250); // polled: the list scrolls smoothly and says nothing when it is done
    }
    return item;
  };

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

  it('shows an agent waiting for an approval as such, linked to its request', async () => {
    await client.agents.start({ agentId: 'e2e-waiter', ttlSeconds: 300 });
    await client.approvals.create({ agentId: 'e2e-waiter', type: 'publish', risk: 'low', timeoutMs: 600_000, context: { pkg: 'left-pad' } });
    const item = row(/^e2e-waiter, waiting for approval, /);
    await item.waitFor({ timeout: 30_000 });
    await item.hover();
    await item.getByRole('button', { name: 'Show Its Approval Request' }).click();
    await page.locator('.tabs-container .tab[aria-label^="publish · e2e-waiter"]').waitFor();
    // Its page shown: a webview that is still loading takes the focus when it is done, which closed
    // the next test's quick pick (under load average 13) before it could be clicked.
    await webviewContent(page).locator('.json-fields dd', { hasText: 'left-pad' }).waitFor();
  });

  it('hides finished agents from a view action, and shows them again', async () => {
    await client.agents.start({ agentId: 'e2e-done' });
    await client.agents.stop({ agentId: 'e2e-done', finalStatus: 'completed' });
    const done = row(/^e2e-done, completed/);
    await done.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Hide Finished Agents' }).click();
    await done.waitFor({ state: 'detached' });
    await shot('agents-hide-finished');
    await page.getByRole('button', { name: 'Show Finished Agents' }).click();
    await done.waitFor();
  });

  it('shows the fleet in the status bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: /\d+ agents/ });
    await item.waitFor({ timeout: 30_000 });
    assert.match(await item.innerText(), /\d+ agents/);
  });

  it('approves a pending request from the command palette, and the daemon records it', async () => {
    const requested = await approvals.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'reviewer', 60_000);
    const { requestId } = requested.data as Approval;
    await runCommand(page, 'Switchboard: Approve Pending Request');
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

  it('answers a question from the command palette with a QuickPick of its choices, and another from its webview\'s choice buttons', async () => {
    const asked = await client.approvals.create({
      agentId: 'e2e-asker', type: 'question', risk: 'low', timeoutMs: 600_000,
      context: { question: 'Which region should the canary go to?' }, choices: ['eu-west', 'us-east', 'ap-south'], default: 'eu-west',
    });
    await runCommand(page, 'Switchboard: Approve Pending Request');
    const request = page.locator('.quick-input-list .monaco-list-row', { hasText: 'question · e2e-asker' }).first();
    await request.waitFor();
    await request.click();
    const choice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'us-east' }).first();
    await choice.waitFor();
    assert.match(await page.locator('.quick-input-title').innerText(), /Which region should the canary go to\?/);
    await shot('question-quick-pick');
    await choice.click();
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.press('Enter'); // no reason
    const decided = await approvals.next((e) => e.type === 'approval.approved' && (e.data as Approval).requestId === asked.requestId);
    assert.equal((decided.data as Approval).answer, 'us-east');
    assert.equal((await client.approvals.get({ requestId: asked.requestId }))?.answer, 'us-east');

    const pending = await client.approvals.create({
      agentId: 'e2e-asker', type: 'region', risk: 'low', timeoutMs: 600_000,
      context: { question: 'And the second canary?' }, choices: ['eu-west', 'us-east', 'ap-south'],
    });
    const item = row(/^region · e2e-asker/);
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const frame = webviewContent(page);
    await frame.locator('vscode-button.choice', { hasText: 'ap-south' }).waitFor();
    await shot('question-webview');
    await frame.locator('vscode-button.choice', { hasText: 'ap-south' }).click();
    const viaPanel = await approvals.next((e) => e.type === 'approval.approved' && (e.data as Approval).requestId === pending.requestId);
    assert.equal((viaPanel.data as Approval).answer, 'ap-south');
    await frame.locator('#verdict', { hasText: /Answered “ap-south” by .*@vscode/ }).waitFor();
  });

  it('answers a schema question from the command palette\'s input box: a refused answer is asked again with the schema\'s message, a good one reaches the agent', async () => {
    const asking = ask<number>(client, {
      agentId: 'e2e-sizer', type: 'replicas', question: 'How many replicas?', answerSchema: { type: 'integer', minimum: 1, maximum: 10 }, timeoutMs: 600_000,
    });
    const { requestId } = (await approvals.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'e2e-sizer')).data as Approval;
    const title = page.locator('.quick-input-title');
    const box = page.locator('.quick-input-widget');
    await runCommand(page, 'Switchboard: Approve Pending Request');
    const request = page.locator('.quick-input-list .monaco-list-row', { hasText: 'replicas · e2e-sizer' }).first();
    await request.waitFor();
    await request.click();
    await title.filter({ hasText: 'How many replicas?' }).waitFor();
    await page.keyboard.type('0');
    assert.match(await box.innerText(), /Your answer as JSON \(plain text is taken as a string\)/);
    await shot('question-input-box');
    await page.keyboard.press('Enter');
    await title.filter({ hasText: 'Approve: reason (optional)' }).waitFor();
    await page.keyboard.type('start small');
    await page.keyboard.press('Enter');

    // The daemon checks the answer against the schema: its refusal brings the box back, holding
    // what was typed and the schema's reason, whole.
    await box.filter({ hasText: 'answer does not match answerSchema: (root) must be >= 1' }).waitFor({ timeout: 30_000 });
    await title.filter({ hasText: 'How many replicas?' }).waitFor();
    assert.equal(await box.locator('input').inputValue(), '0', 'the refused text is kept to mend');
    await shot('question-input-box-refused');
    assert.equal(await page.locator('.notification-toast', { hasText: 'could not approve' }).count(), 0, 'no toast: the refusal is in the box');
    assert.equal((await client.approvals.get({ requestId }))?.status, 'pending', 'a refused answer changes nothing');

    await page.keyboard.press('Backspace');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter'); // the reason is not asked again
    const { answer, status, approval } = await asking;
    assert.deepEqual([answer, status], [3, 'approved'], 'the agent gets the number, parsed as JSON');
    assert.equal(approval.reason, 'start small', 'the reason typed before the refusal is kept');
    assert.match(approval.responder ?? '', /@vscode$/);
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
    // Confirmed in the status bar, not by another toast.
    await page.locator('.statusbar-item', { hasText: 'approved "restart" for e2e-notify' }).waitFor();
    assert.equal(await page.locator('.notification-toast', { hasText: 'approved "restart"' }).count(), 0);
  });

  it('names each request in its own notification, and a high-risk one opens its details before it can be approved', async () => {
    for (const branch of ['feat/one', 'feat/two']) await client.approvals.create({ agentId: 'e2e-twin', type: 'merge', risk: 'low', context: { branch } });
    // Toasts beyond three fold into the notification centre: read them there, one row each.
    await runCommand(page, 'Notifications: Show Notifications');
    for (const branch of ['feat/one', 'feat/two']) {
      await page.locator('.notifications-center .monaco-list-row', { hasText: `e2e-twin asks to "merge" (low risk) — branch: ${branch}` }).waitFor({ timeout: 30_000 });
    }
    await shot('approval-notifications-distinct');
    // While the centre is open new notifications go into it, not into toasts: closed, and seen closed.
    await runCommand(page, 'Notifications: Hide Notifications');
    await page.locator('.notifications-center.visible').waitFor({ state: 'detached' });
    await client.approvals.create({ agentId: 'e2e-prod', type: 'deploy', risk: 'high', context: { env: 'production' } });
    const toast = page.locator('.notification-toast', { hasText: 'e2e-prod asks to "deploy" (high risk) — env: production' });
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(await toast.getByRole('button', { name: 'Approve' }).count(), 0, 'no one-click approval of a high-risk request');
    await toast.getByRole('button', { name: 'Review…' }).click();
    await page.locator('.tabs-container .tab[aria-label^="deploy · e2e-prod"]').waitFor();
    await webviewContent(page).locator('.json-fields dd', { hasText: 'production' }).waitFor();
  });

  it('approves from the approval webview, which then turns read-only', async () => {
    const created = await client.approvals.create({
      agentId: 'e2e-bot',
      type: 'deploy',
      risk: 'high',
      timeoutMs: 600_000,
      context: { service: 'api', version: '1.4.2', regions: ['eu-west-1', 'us-east-1'] },
    });
    const item = await approvalRow(/^deploy · e2e-bot/);
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
      await (await approvalRow(new RegExp(`^merge · ${agentId}`))).click();
      await tab(`merge · ${agentId}`).waitFor();
    }
    await showsBranch('feat/right');
    await tab('merge · e2e-left').click();
    await showsBranch('feat/left');
    await tab('merge · e2e-right').click();
    await showsBranch('feat/right'); // shown again, not blank
    await shot('approval-tabs');

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await tab('merge · e2e-left').click({ timeout: 60_000 });
    await showsBranch('feat/left');
    await shot('approval-restored');
  });

  it('keeps the recipient picked in the signal composer while the fleet beats, sends, and lists the signal as pending', async () => {
    const beats = await record(client, ['agents']);
    await runCommand(page, 'Switchboard: Open Signal Composer');
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

  it('opens the guide to connecting agents that ships in the .vsix', async () => {
    await runCommand(page, 'Switchboard: Open the Guide to Connecting Agents');
    const tab = page.locator('.tabs-container .tab', { hasText: 'agents.md' });
    await tab.waitFor();
    // Closed again: keys typed next must reach the workbench, not the preview's frame.
    await tab.locator('.action-label.codicon-close').click();
    await tab.waitFor({ state: 'detached' });
  });
});

describe('extension in a real VS Code: the daemon goes away and comes back', function () {
  this.timeout(180_000);
  const env = useE2eEnv();
  let page: Page;
  let workbenchAt = 0;
  let statusBarAt = 0;

  before(async () => {
    await env.startDaemon();
    await (await env.client()).agents.start({ agentId: 'survivor', ttlSeconds: 600 });
    page = await env.openWorkbench({ vsix: packageVsix() });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    workbenchAt = Date.now();
    // The item itself (connecting…, offline, or the fleet), whatever it says yet.
    await page.locator('.statusbar-item', { hasText: /Switchboard|agent/ }).first().waitFor({ timeout: 60_000 });
    statusBarAt = Date.now();
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    await page.getByRole('treeitem', { name: /^survivor, / }).waitFor({ timeout: 60_000 });
  });

  it('shows the status bar item once the extension host reaches us, and activates on well under 100 ms of CPU', () => {
    // Issue 12 asks for the item within 1 s of the workbench. Before any extension can show
    // anything, code-server asks for, forks and boots its extension host: 2-7 s after the activity
    // bar on the 2-core reference machine, depending on its load; then the host, busy with the
    // other '*' extensions, and the browser take 0.3-1.2 s to run and draw what activate() asked for.
    // None of that is ours, so it is printed, not bounded (docs/ux.md, "Startup"); what is ours
    // is activate(), bounded in CPU time (its wall time counts the machine's other processes too).
    const t = startupTimeline(env.workbench!.userDataDir);
    process.stdout.write(
      `      status bar item ${statusBarAt - workbenchAt} ms after the activity bar: code-server ${t.hostRequested - workbenchAt} ms to ask for an extension host, ` +
        `${t.hostLaunched - t.hostRequested} ms to fork it, ${t.hostStarted - t.hostLaunched} ms to boot it, ${t.ourActivation - t.hostStarted} ms to reach us, ` +
        `${statusBarAt - t.ourActivation} ms to load and activate us and draw the item\n`,
    );
    const [, wall, cpu] = (/activated in (\d+) ms \((\d+) ms of CPU\)/.exec(extensionLogs(env.workbench!.userDataDir)) ?? []).map(Number);
    process.stdout.write(`      activation ${wall} ms, ${cpu} ms of CPU\n`);
    assert.ok(cpu! < 100, `activation took ${cpu} ms of CPU`);
  });

  it('keeps a live agent’s tooltip open while it beats', async () => {
    const client = await env.client();
    await client.agents.start({ agentId: 'e2e-steady', ttlSeconds: 300, metadata: { workflow: 'e2e-quiet' } });
    await client.agents.start({ agentId: 'e2e-marker', ttlSeconds: 300, metadata: { workflow: 'e2e-quiet' } });
    const report = { agentId: 'e2e-steady', progress: 0.5, currentTask: 'Holding steady' };
    await client.agents.beat(report);
    const item = page.getByRole('treeitem', { name: /^e2e-steady, running, 50% · Holding steady$/ });
    await page.getByRole('treeitem', { name: /^e2e-marker, / }).waitFor(); // its arrival redraws the group: before the hover
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'e2e-steady' }).first();
    await hover.waitFor();
    for (let n = 1; n <= 3; n++) {
      await client.agents.beat(report);
      // Pushed after the steady agent's beat: once its row shows n%, the extension has applied both.
      await client.agents.beat({ agentId: 'e2e-marker', progress: n / 100 });
      await page.getByRole('treeitem', { name: new RegExp(`^e2e-marker, running, ${n}%`) }).waitFor();
    }
    assert.ok(await hover.isVisible(), 'the tooltip is still open after three beats');
    await page.screenshot({ path: join(SHOTS, 'agent-tooltip.png') });
    await page.mouse.move(0, 0);
    for (const agentId of ['e2e-steady', 'e2e-marker']) await client.agents.stop({ agentId, finalStatus: 'completed' });
  });

  it('goes offline (status bar, welcome view with Connect and links to start the daemon or show the log) and reconnects to the restarted daemon', async () => {
    await env.stopDaemon();
    await page.locator('.statusbar-item', { hasText: 'Switchboard offline' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Connect', exact: true }).first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'offline.png') });
    for (const link of ['start the daemon', 'show the log']) await page.locator('.welcome-view-content a', { hasText: link }).waitFor();
    await page.locator('.notification-toast', { hasText: 'lost the daemon' }).waitFor();
    // Connect with auto-start off: it looks, says where, and starts nothing.
    await page.getByRole('button', { name: 'Connect', exact: true }).first().click();
    await page.getByText(`no daemon found (${env.stateDir}/daemon.json is missing) and auto-start is off — state dir ${env.stateDir}`).first().waitFor();
    assert.ok(!existsSync(join(env.stateDir, 'daemon.json')), 'no daemon was started');
    // A new daemon on the same state dir, on another port: found again through daemon.json.
    await env.startDaemon();
    await page.getByRole('treeitem', { name: /^survivor, / }).waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: /1 agent/ }).waitFor();
    await page.locator('.notification-toast', { hasText: 'reconnected' }).waitFor();
  });
});
