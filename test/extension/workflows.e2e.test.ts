/**
 * The Workflows view and the workflow graph in a real VS Code (code-server + Chromium), Light
 * theme (or SWITCHBOARD_E2E_THEME's, with the screenshots named after it): a workflow started
 * through the SDK appears; its steps advance as a worker (plain queue.receive / ack here) runs
 * them; Pause, Resume, Retry Step (row buttons, and the toast a failed step raises once per run)
 * and Cancel (context menu, after its modal) change the run in the daemon and the rows follow by
 * push; the graph opens from the row, shows each step's state and follows the run live.
 * Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { SwitchboardClient } from '../../client/client';
import { packageVsix } from '../helpers/code-server';
import { useE2eEnv } from '../helpers/e2e-env';
import { reportFailure } from '../helpers/e2e-failure';
import { extensionLogSays } from '../helpers/extension-log';
import { webviewContent } from '../helpers/webview-frame';

const SHOTS = resolve(__dirname, '../../test-results');
const THEME_SUFFIX = process.env.SWITCHBOARD_E2E_THEME ? `-${process.env.SWITCHBOARD_E2E_THEME.toLowerCase().replace(/\W+/g, '-')}` : '';
const RUN = 'e2e-review';
const OTHER = 'e2e-nightly';

describe('the Workflows view and the workflow graph in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  const env = useE2eEnv();
  let client: SwitchboardClient;
  let page: Page;

  /** Receives the next job of a step's queue: acks it with a result, or fails it for good. */
  const runNext = async (queue: string, fail?: string) => {
    const job = (await client.queues.receive({ queue, consumer: 'e2e-worker', waitMs: 5_000 }))!;
    assert.ok(job, `a job waits in ${queue}`);
    if (fail) await client.queues.nack({ queue, jobId: job.jobId, receipt: job.receipt!, error: fail, retry: false });
    else await client.queues.ack({ queue, jobId: job.jobId, receipt: job.receipt!, result: { ok: job.jobId } });
  };
  const status = async (workflowId: string) => (await client.workflows.get({ workflowId }))!.status;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    await client.workflows.start({ name: OTHER, workflowId: OTHER, steps: [{ name: 'collect', queue: 'e2e-nightly' }] });
    await client.workflows.start({
      name: RUN,
      workflowId: RUN,
      stopOnFailure: false,
      steps: [
        { name: 'plan', queue: 'e2e-plan', input: { pr: 42 } },
        { name: 'build', queue: 'e2e-build', dependsOn: ['plan'] },
        { name: 'test', queue: 'e2e-test', dependsOn: ['plan'] },
        { name: 'ship', queue: 'e2e-plan', dependsOn: ['build', 'test'] },
      ],
    });
    page = await env.openWorkbench({ vsix: packageVsix(), settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    // Collapsed at first, as the Queues view is; the Agents and Approvals views give up their room to it.
    await page.locator('.pane-header', { hasText: 'Agents' }).click();
    await page.locator('.pane-header', { hasText: 'Approvals' }).click();
    await page.locator('.pane-header', { hasText: 'Workflows' }).click();
    await page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Workflows' }).waitFor();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}${THEME_SUFFIX}.png`) });
  afterEach(async function () {
    await reportFailure(this.currentTest, page, env.workbench?.userDataDir, SHOTS, 'workflows');
  });
  const row = (name: RegExp) => page.getByRole('treeitem', { name });
  const runRow = (text: string) => row(new RegExp(`^workflow ${RUN}, ${text}`));
  const stepRow = (step: string, text: string) => row(new RegExp(`^step ${step}, ${text}`));
  const statusMessage = (text: string) => page.locator('.statusbar-item', { hasText: text }).waitFor();
  const rowButton = async (target: RegExp, button: string) => {
    await row(target).hover();
    await row(target).getByRole('button', { name: button }).click();
  };

  it('shows a workflow started through the SDK, newest first, and its steps advancing as a worker acks them', async () => {
    await runRow('running · 0/4 · ').waitFor({ timeout: 60_000 });
    await row(new RegExp(`^workflow ${OTHER}, running · 0/1`)).waitFor();
    await runRow('running').click(); // expands it
    await stepRow('plan', 'queued · e2e-plan$').waitFor();
    await stepRow('ship', 'pending · e2e-plan$').waitFor();
    await runNext('e2e-plan');
    await stepRow('plan', 'completed · attempt 1/4 · [\\d.]+ m?s · e2e-plan$').waitFor();
    await stepRow('build', 'queued · e2e-build$').waitFor();
    await stepRow('test', 'queued · e2e-test$').waitFor();
    await runRow('running · 1/4').waitFor();
    await stepRow('test', 'queued').hover();
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'its job waits in its queue' }).first();
    await tooltip.getByText('Depends on').waitFor();
    await shot('workflows-view');
    await page.mouse.move(0, 0);
  });

  it('pauses and resumes the run from its row: the daemon has it, and the row follows', async () => {
    await rowButton(new RegExp(`^workflow ${RUN}, running`), 'Pause Workflow');
    await statusMessage(`paused the workflow ${RUN}`);
    assert.equal(await status(RUN), 'paused');
    await runRow('paused · 1/4').waitFor();
    await shot('workflows-paused');
    await rowButton(new RegExp(`^workflow ${RUN}, paused`), 'Resume Workflow');
    await statusMessage(`resumed the workflow ${RUN}`);
    assert.equal(await status(RUN), 'running');
    await runRow('running · 1/4').waitFor();
  });

  it('opens the graph from the row, with each step in its state, following the run live as a step fails and is retried from the view', async () => {
    await rowButton(new RegExp(`^workflow ${RUN}, running`), 'Open Workflow Graph');
    await page.locator('.tabs-container .tab[aria-label^="Workflow: e2e-review"]').waitFor();
    const graph = webviewContent(page);
    const graphStep = (step: string, state: string) => graph.locator(`g.step[data-step="${step}"][data-state="${state}"]`);
    await graphStep('plan', 'completed').waitFor({ timeout: 30_000 });
    await graphStep('build', 'queued').waitFor();
    await graphStep('ship', 'pending').waitFor();
    assert.equal(await graph.locator('path.edge').count(), 4);

    await runNext('e2e-test', 'exit 1: 2 tests failed');
    await runNext('e2e-build');
    // Without stopOnFailure, ship is skipped and the run ends failed once every branch has ended.
    await graphStep('test', 'failed').waitFor();
    await graphStep('ship', 'skipped').waitFor();
    await graph.locator('#status', { hasText: /^failed: / }).waitFor();
    await graphStep('test', 'failed').click();
    await graph.locator('#details-error', { hasText: 'exit 1: 2 tests failed' }).waitFor();
    assert.deepEqual(JSON.parse(await graph.locator('#details-payload pre').innerText()), { workflowId: RUN, step: 'test', input: null, results: { plan: { ok: `${RUN}:plan` } } });
    await shot('workflows-graph');

    // The failure is told once, as the run's step's, with its actions; its dead job is not told
    // again as the queue's (it is logged, as every dead job is).
    const told = page.locator('.notification-toast', { hasText: 'step “test” of workflow “e2e-review” failed: exit 1: 2 tests failed' });
    await told.waitFor({ timeout: 30_000 });
    for (const button of ['Retry Step', 'Open Graph']) await told.getByRole('button', { name: button }).waitFor();
    await shot('workflows-step-failed');
    const userDataDir = env.workbench!.userDataDir;
    await extensionLogSays(userDataDir, 'the dead job', (log) => log.includes('e2e-test: job e2e-review:test went dead'));
    await told.getByRole('button', { name: 'Retry Step' }).click();
    // The workbench draws what the extension sends in order: a Queues toast sent when the dead job
    // was logged would be on screen before the retry's confirmation.
    await statusMessage('retrying the step test');
    assert.equal(await page.locator('.notification-toast', { hasText: 'went dead' }).count(), 0, 'no Queues toast for a step\'s job');
    await graphStep('test', 'queued').waitFor();
    // Failed again within 10 minutes: the log has it, no second toast.
    await runNext('e2e-test', 'exit 1: 1 test failed');
    await graphStep('test', 'failed').waitFor();
    await extensionLogSays(userDataDir, 'the second failure not told', (log) => log.includes('workflow e2e-review: step test failed after 1 attempt: exit 1: 1 test failed') && log.includes('workflow e2e-review: not told again'));
    await extensionLogSays(userDataDir, 'its dead job', (log) => log.includes('e2e-test: job e2e-review:test:2 went dead'));

    await stepRow('test', 'failed · attempt 1/4').waitFor();
    await rowButton(/^step test, failed/, 'Retry Step');
    // The status bar may still show the first retry's confirmation: the log counts them.
    await extensionLogSays(userDataDir, 'the second retry', (log) => (log.match(/retrying the step test/g) ?? []).length === 2);
    await graphStep('test', 'queued').waitFor();
    await stepRow('test', 'queued').waitFor();
    // Drawn after anything the second failure could have raised.
    assert.equal(await page.locator('.notification-toast', { hasText: /1 test failed|went dead/ }).count(), 0, 'one toast per run in the window, none for its queue');
    assert.equal(await status(RUN), 'running');
    await runNext('e2e-test');
    await runNext('e2e-plan'); // ship, now that test completed
    await graphStep('ship', 'completed').waitFor();
    await graph.locator('#status', { hasText: /^completed: / }).waitFor();
    await runRow('completed · 4/4').waitFor();
    await shot('workflows-graph-completed');
  });

  it('cancels a run from its context menu after a modal naming it', async () => {
    const other = row(new RegExp(`^workflow ${OTHER}, running`));
    await other.click({ button: 'right' });
    // Pointed at, then Enter: a click on the menu just opened was at times taken for the end of the right-click, and ignored.
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Cancel Workflow…' });
    await item.hover();
    await page.locator('.monaco-menu .action-item.focused', { hasText: 'Cancel Workflow…' }).waitFor();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText(`Cancel the workflow “${OTHER}”?`).waitFor();
    await shot('workflows-cancel-modal');
    await dialog.getByRole('button', { name: 'Cancel Workflow' }).click();
    await statusMessage(`cancelled the workflow ${OTHER}`);
    assert.equal(await status(OTHER), 'cancelled');
    assert.equal((await client.queues.stats({ queue: 'e2e-nightly' })).waiting.normal, 0, 'its waiting step left its queue');
    await row(new RegExp(`^workflow ${OTHER}, cancelled · 0/1`)).waitFor();
  });
});
