/**
 * The demo's first seconds in a real VS Code (code-server + Chromium), as a user who starts it
 * sees them. Issue 12 found three notifications within 7 s; the policy (docs/ux.md,
 * "Notifications in proportion") keeps them, but only the approval request is a warning, and an
 * agent's failure or expiry is information, told once per agent (a window reload included):
 * checked here on the toasts drawn.
 */
import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { runFleet, type Fleet } from '../../examples/demo-fleet/fleet';
import type { AgentStatus } from '../../protocol/types';
import { packageVsix } from '../helpers/code-server';
import { extensionLogSays, extensionLogs } from '../helpers/extension-log';
import { runCommand } from '../helpers/palette';
import { useE2eEnv } from '../helpers/e2e-env';
import { record } from '../helpers/events';
import { recordToasts } from '../helpers/toasts';

/** How long "the first seconds" are: the three notifications of the finding came within 7 s. */
const FIRST_SECONDS_MS = 10_000;
/** After the extension has logged a repeat failure: long enough for a toast it should not show to be drawn. */
const QUIET_MS = 2_000;

describe('notifications while the demo fleet starts (code-server + Chromium)', function () {
  this.timeout(180_000);
  let fleet: Fleet | undefined;
  // Registered first, so it runs first: the fleet's loops end before the environment closes their client.
  after(() => fleet?.stop());
  const env = useE2eEnv();

  it('warns only for the approval request, tells the failure and the expiry once each as information, nothing else, and not again after a window reload', async () => {
    await env.startDaemon();
    const client: SwitchboardClient = await env.client();
    const events = await record(client, ['agents']);
    const page = await env.openWorkbench({ vsix: packageVsix() });
    await page.locator('.statusbar-item', { hasText: /\d+ agents?/ }).waitFor({ timeout: 60_000 }); // connected
    const toasts = await recordToasts(page);
    const startedAt = Date.now();
    fleet = runFleet(await env.client()); // at the pace of `npm run demo`

    const approval = await toasts.next(/^Switchboard: reviewer asks to "merge" \(medium risk\) — task: /);
    const failure = await toasts.next(/^Switchboard: flaky-tester failed during "Running integration suite 3\/4"\.$/);
    const expiry = await toasts.next(/^Switchboard: docs-crawler stopped beating and expired \(was: Crawling docs\.example\.com\)\.$/);
    const ours = () => toasts.toasts.filter((t) => t.text.startsWith('Switchboard:'));
    // The point here is that nothing else appears: a bounded look, to the end of the first seconds.
    await observe(startedAt + FIRST_SECONDS_MS - Date.now());
    process.stdout.write(ours().map((t) => `      ${t.at - startedAt} ms: ${t.severity}: ${t.text}\n`).join(''));
    assert.deepEqual(ours(), [approval, failure, expiry].sort((a, b) => a.at - b.at), 'no other Switchboard notification in the first seconds');
    assert.equal(approval.severity, 'warning');
    for (const told of [failure, expiry]) assert.equal(told.severity, 'info', told.text);
    const toldSoFar = ours().length;

    // flaky-tester fails again (about 25 s in, then every 25 s), here after a window reload, which
    // starts a new extension host: it is logged, not told again.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.statusbar-item', { hasText: /\d+ agents?/ }).waitFor({ timeout: 60_000 }); // connected again
    const reconnectedAt = Date.now();
    const repeats = (log: string) => log.match(/flaky-tester failed again/g)?.length ?? 0;
    const repeatsBefore = repeats(extensionLogs(env.workbench!.userDataDir));
    await events.next((e) => e.type === 'agent.stopped' && (e.data as AgentStatus).agentId === 'flaky-tester' && (e.data as AgentStatus).status === 'failed' && e.ts >= reconnectedAt, 60_000);
    await extensionLogSays(env.workbench!.userDataDir, 'flaky-tester failed again', (log) => repeats(log) > repeatsBefore);
    await observe(QUIET_MS);
    assert.deepEqual(ours().slice(toldSoFar), [], 'the repeated failure goes to the log only, also after a window reload');
  });
});

/** Lets `ms` pass: only where the point is that nothing more happens meanwhile. */
function observe(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
