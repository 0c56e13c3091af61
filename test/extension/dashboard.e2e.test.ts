/**
 * The outcome views end to end in a real VS Code (code-server 4.100.3, Light theme) driven by
 * Chromium: agents record outcomes through the SDK's ActionDispatcher and a queue holds jobs; the
 * Fleet dashboard charts them, live; an agent's tooltip gives its stats; an error-rate crossing
 * warns once, and Show Agent opens the agent's details with its failures' stack traces.
 * Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { SwitchboardClient } from '../../client/client';
import { ActionDispatcher } from '../../client/dispatch';
import type { OutcomeEvent } from '../../protocol/types';
import { packageVsix } from '../helpers/code-server';
import { reportFailure } from '../helpers/e2e-failure';
import { useE2eEnv } from '../helpers/e2e-env';
import { hoverUntil } from '../helpers/hover';
import { webviewContent } from '../helpers/webview-frame';
import { record, type EventLog } from '../helpers/events';

const SHOTS = resolve(__dirname, '../../test-results');

describe('outcome views in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  const env = useE2eEnv();
  let client: SwitchboardClient;
  let dispatcher: ActionDispatcher;
  let outcomes: EventLog;
  let page: Page;

  /** One action through the SDK: `fail` throws (recorded as a failure with its stack), else it reports tokens and cost. */
  const act = (agentName: string, fail = false) =>
    dispatcher.dispatch(agentName, 'llm.call', (action) => {
      action.report({ tokensUsed: 100, costUsd: agentName === 'e2e-coder' ? 0.02 : 0.01 });
      if (fail) throw new Error(`model refused: context too long for ${agentName}`);
      return 'ok';
    });

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    outcomes = await record(client, ['outcomes']);
    dispatcher = new ActionDispatcher(client);
    for (const agentId of ['e2e-planner', 'e2e-coder', 'e2e-flaky']) await client.agents.start({ agentId, ttlSeconds: 600 });
    for (let i = 0; i < 12; i++) await act('e2e-planner');
    for (let i = 0; i < 19; i++) await act('e2e-coder');
    await act('e2e-coder', true); // 1 in 20: under the 10 % alert threshold
    await dispatcher.flush();
    for (let i = 0; i < 4; i++) await client.queues.enqueue({ queue: 'e2e-builds', payload: { n: i } });
    await client.queues.receive({ queue: 'e2e-builds', consumer: 'e2e' }); // active
    const doomed = (await client.queues.receive({ queue: 'e2e-builds', consumer: 'e2e' })) as { jobId: string; receipt: string };
    await client.queues.nack({ queue: 'e2e-builds', jobId: doomed.jobId, receipt: doomed.receipt, retry: false }); // dead
    page = await env.openWorkbench({ vsix: packageVsix(), settings: { 'workbench.colorTheme': 'Default Light Modern', 'switchboard.staleThresholdSeconds': 600 } });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    await page.getByRole('treeitem', { name: /^e2e-coder, / }).waitFor({ timeout: 60_000 });
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  afterEach(async function () {
    await reportFailure(this.currentTest, page, env.workbench?.userDataDir, SHOTS, 'dashboard');
  });

  it('gives an agent’s outcome stats in its tooltip', async () => {
    const hover = await hoverUntil(page, page.getByRole('treeitem', { name: /^e2e-coder, / }), 'Outcomes, last 5 min');
    assert.match(await hover.innerText(), /20 outcomes · 95% success · 5\.0% errors/);
    assert.match(await hover.innerText(), /p95 \d+(\.\d)? ms · 2,000 tokens · \$0\.4000/);
    await shot('outcomes-tooltip');
    await page.mouse.move(0, 0);
  });

  it('charts the last hour in the Fleet dashboard, opened from the Agents view, and adds new outcomes live', async () => {
    // View actions show while the pointer is over the view.
    await page.locator('.pane-header', { hasText: 'Agents' }).hover();
    await page.getByRole('button', { name: 'Open Fleet Dashboard' }).click();
    await page.locator('.tabs-container .tab[aria-label^="Fleet Dashboard"]').waitFor();
    const frame = webviewContent(page);
    await frame.locator('#total-outcomes', { hasText: /^32$/ }).waitFor();
    assert.equal(await frame.locator('.plot canvas').count(), 5, 'five charts drawn on canvas');
    assert.equal(await frame.locator('#total-cost').innerText(), '$0.5200');
    assert.deepEqual(await frame.locator('#agents tr[data-agent="e2e-coder"] td').allInnerTexts().then((t) => t.slice(0, 3)), ['e2e-coder', '20', '5.0%']);
    assert.deepEqual(await frame.locator('#chart-queues .u-legend .u-label').allInnerTexts(), ['Time', 'e2e-builds waiting', 'e2e-builds active', 'e2e-builds dead']);
    await shot('dashboard');
    for (let i = 0; i < 3; i++) await act('e2e-planner');
    await frame.locator('#total-outcomes', { hasText: /^35$/ }).waitFor({ timeout: 30_000 });
    await frame.locator('#agents tr[data-agent="e2e-planner"] td.count', { hasText: /^15$/ }).waitFor();
  });

  it('warns once when an agent’s error rate crosses its threshold, and Show Agent opens its details', async () => {
    for (let i = 0; i < 12; i++) await act('e2e-flaky', true);
    await dispatcher.flush();
    await outcomes.next((e) => e.type === 'alert.failure_rate', 30_000);
    const toast = page.locator('.notification-toast', { hasText: /e2e-flaky: 100% of its outcomes failed or timed out in the last 5 min \(1[0-2] of 1[0-2]; alert at 10%\)/ });
    await toast.waitFor({ timeout: 30_000 });
    // The row says so too (redrawn when the alert flips, not on each stats push).
    await page.getByRole('treeitem', { name: /^e2e-flaky, starting, high error rate · 0%$/ }).waitFor({ timeout: 30_000 });
    await shot('failure-rate-warning');
    // More failures while the alert is on: no second toast.
    const last = await act('e2e-flaky', true);
    await dispatcher.flush();
    await outcomes.next((e) => e.type === 'outcome.recorded' && (e.data as OutcomeEvent[]).some((o) => o.eventId === last.eventId));
    assert.equal(await page.locator('.notification-toast', { hasText: 'e2e-flaky:' }).count(), 1);
    await toast.getByRole('button', { name: 'Show Agent' }).click();
    await page.locator('.tabs-container .tab[aria-label^="e2e-flaky · details"]').waitFor();
    const frame = webviewContent(page);
    await frame.locator('.failure pre', { hasText: 'model refused: context too long for e2e-flaky' }).first().waitFor();
    assert.match(await frame.locator('.failure pre').first().innerText(), /\n\s+at /, 'the stack trace, as text');
    await shot('agent-detail');
  });

  it('says an agent’s recovery in the status bar, without a toast', async () => {
    // 13 failures so far: at most 5 % (half the threshold) after 247 successes.
    await Promise.all(Array.from({ length: 250 }, () => act('e2e-flaky')));
    await dispatcher.flush();
    await outcomes.next((e) => e.type === 'alert.recovered', 30_000);
    await page.locator('.statusbar-item', { hasText: /e2e-flaky recovered: \d(\.\d)?% errors in the last 5 min/ }).waitFor();
    assert.equal(await page.locator('.notification-toast', { hasText: 'recovered' }).count(), 0);
    await page.getByRole('treeitem', { name: /^e2e-flaky, starting, 0%$/ }).waitFor({ timeout: 30_000 });
  });

  it('opens an agent’s details from its row, and brings its tabs back after a window reload', async () => {
    const item = page.getByRole('treeitem', { name: /^e2e-coder, / });
    await item.hover();
    await item.getByRole('button', { name: 'Show Details' }).click();
    const tab = page.locator('.tabs-container .tab[aria-label^="e2e-coder · details"]');
    await tab.waitFor();
    const stack = () => webviewContent(page).locator('.failure pre', { hasText: 'model refused: context too long for e2e-coder' }).first();
    await stack().waitFor();
    // A new failure is pushed into the open page, newest first.
    assert.equal(await webviewContent(page).locator('.failure').count(), 1);
    await act('e2e-coder', true);
    await webviewContent(page).locator('.failure').nth(1).waitFor({ timeout: 30_000 });
    await page.keyboard.press('F1');
    await page.keyboard.type('Developer: Reload Window');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().waitFor();
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await page.keyboard.press('Enter');
    await reloaded;
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await tab.click({ timeout: 60_000 });
    await stack().waitFor({ timeout: 60_000 });
    await page.locator('.tabs-container .tab[aria-label^="Fleet Dashboard"]').click();
    await webviewContent(page).locator('#total-outcomes', { hasText: /^\d+$/ }).waitFor({ timeout: 60_000 });
    await shot('dashboard-restored');
  });
});
