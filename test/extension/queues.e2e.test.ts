/**
 * The Queues view in a real VS Code (code-server 4.100.3) driven by Chromium, in the Light
 * theme: a queue seeded through the SDK with a dead job; its row and counts in the sidebar; the
 * dead job under it with its error and payload; Replay from the row and Purge Dead Jobs… after
 * the modal, each checked against the daemon, and the row following by push. Screenshots go to
 * test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { SwitchboardClient } from '../../client/client';
import { packageVsix } from '../helpers/code-server';
import { useE2eEnv } from '../helpers/e2e-env';
import { reportFailure } from '../helpers/e2e-failure';
import { runCommand } from '../helpers/palette';

const SHOTS = resolve(__dirname, '../../test-results');
const QUEUE = 'e2e-mail';

/** Receives the next job of the queue and kills it (nack without retry); returns its id. */
async function killNext(client: SwitchboardClient, error: string): Promise<string> {
  const job = (await client.queues.receive({ queue: QUEUE, consumer: 'e2e-worker' }))!;
  await client.queues.nack({ queue: QUEUE, jobId: job.jobId, receipt: job.receipt!, error, retry: false });
  return job.jobId;
}

describe('the Queues view in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  const env = useE2eEnv();
  let client: SwitchboardClient;
  let page: Page;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    await client.queues.enqueue({ queue: QUEUE, jobId: 'mail-42', priority: 'high', payload: { to: 'ops@example.com', template: 'welcome' } });
    await killNext(client, 'SMTP 550: mailbox unavailable\n    at send (mailer.js:12:7)');
    await client.queues.enqueue({ queue: QUEUE, priority: 'high', payload: { to: 'a@example.com' } });
    await client.queues.enqueue({ queue: QUEUE, payload: { to: 'b@example.com' } });
    page = await env.openWorkbench({ vsix: packageVsix(), settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    // Collapsed at first (the Agents view keeps its room): opened as a user would.
    const header = page.locator('.pane-header', { hasText: 'Queues' });
    await header.click();
    await page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Queues' }).waitFor();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  afterEach(async function () {
    await reportFailure(this.currentTest, page, env.workbench?.userDataDir, SHOTS, 'queues');
    // Beside the rows shown, what the daemon holds: a row behind the daemon, or a daemon not as the test thinks.
    if (this.currentTest?.state === 'failed') process.stdout.write(`--- the daemon's ${QUEUE}: ${JSON.stringify(await client.queues.stats({ queue: QUEUE }))}\n`);
  });
  const row = (name: RegExp) => page.getByRole('treeitem', { name });
  const queueRow = (counts: string) => row(new RegExp(`^${QUEUE}, ${counts.replace(/[()]/g, '\\$&')}$`));
  const statusMessage = (text: string) => page.locator('.statusbar-item', { hasText: text }).waitFor();

  it('shows the queue with its counts, and under it the dead job with its error, attempts and payload', async () => {
    const queue = queueRow('1 dead · 2 waiting (1 high)');
    await queue.waitFor({ timeout: 60_000 });
    await shot('queues-view');
    await queue.click(); // expands it
    const dead = row(/^dead job mail-42: SMTP 550: mailbox unavailable, 1 of 3 attempts · died \d/);
    await dead.waitFor();
    await dead.hover();
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Dead job' }).first();
    await tooltip.getByText('"to": "ops@example.com"').waitFor();
    await tooltip.getByText('at send (mailer.js:12:7)').waitFor();
    await shot('queues-dead-job-tooltip');
    // From one row to the next, the tooltip follows the mouse.
    await queue.hover();
    const counts = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Waiting: 1 high · 1 normal · 0 low' }).first();
    await counts.getByText('Completed: 0 in all').waitFor();
    await counts.getByText(/Holds 2 of at most [\d,]+ /).waitFor();
    await shot('queues-queue-tooltip');
  });

  it('replays the dead job from its row: waiting again in the daemon, and the row follows by push', async () => {
    const dead = row(/^dead job mail-42: /);
    await dead.hover();
    await dead.getByRole('button', { name: 'Replay' }).click();
    await statusMessage(`replayed a dead job of ${QUEUE}: waiting again`);
    const stats = await client.queues.stats({ queue: QUEUE });
    assert.deepEqual([stats.waiting, stats.dead], [{ high: 2, normal: 1, low: 0 }, 0]);
    await queueRow('3 waiting (2 high)').waitFor();
    await dead.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.notification-toast', { hasText: 'replayed' }).count(), 0, 'confirmed without a toast');
  });

  it('tells of a job going dead with Show Queue, which opens its queue, and purges the dead jobs after a modal naming the queue and the count', async () => {
    await killNext(client, 'SMTP 421: try again later');
    const toast = page.locator('.notification-toast', { hasText: `A job of “${QUEUE}” went dead: SMTP 421: try again later` });
    await toast.waitFor({ timeout: 30_000 });
    await shot('queues-dead-notification');
    const queue = queueRow('1 dead · 2 waiting (1 high)');
    await queue.waitFor({ timeout: 30_000 });
    // VS Code may keep the row open from before its dead jobs were replayed: closed first, so that Show Queue must open it.
    if ((await queue.getAttribute('aria-expanded')) === 'true') await queue.click();
    const justDied = row(/^dead job [\w-]+: SMTP 421: try again later, 1 of 3 attempts/);
    await justDied.waitFor({ state: 'detached' });
    await toast.getByRole('button', { name: 'Show Queue' }).click();
    await justDied.waitFor();
    assert.equal(await queue.getAttribute('aria-expanded'), 'true');
    await queue.hover();
    await queue.getByRole('button', { name: 'Purge Dead Jobs…' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText(`Purge 1 dead job of “${QUEUE}”?`).waitFor();
    await shot('queues-purge-modal');
    await dialog.getByRole('button', { name: 'Purge' }).click();
    await statusMessage(`purged 1 dead job of ${QUEUE}`);
    assert.equal((await client.queues.stats({ queue: QUEUE })).dead, 0);
    assert.deepEqual(await client.queues.dead({ queue: QUEUE }), []);
    await queueRow('2 waiting (1 high)').waitFor();
    await shot('queues-purged');
  });

  it('tells no more dead jobs of that queue within 10 minutes, also after a window reload', async () => {
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await queueRow('2 waiting (1 high)').waitFor({ timeout: 60_000 }); // a new extension host, connected again
    await killNext(client, 'SMTP 451: local error');
    // The job.dead push comes at once and the counts at the next sample: a toast would be up before the row says "1 dead".
    await queueRow('1 dead · 1 waiting').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.notification-toast', { hasText: 'went dead' }).count(), 0);
  });
});
