/**
 * The safety core in a real VS Code (code-server 4.100.3) driven by Chromium, in the Light
 * theme, against a real daemon seeded through the SDK: a rule set with a block rule, then (with
 * the workbench connected) a blocked signal, an agent breaker opened by failing outcomes and a
 * budget past 80 %. The Safety view lists them and the notifications tell each once (a breaker's
 * Show selects its row); Reset closes the breaker after its modal; Edit Safety Rules opens the live set as JSON with its schema's
 * hover, a refused pattern is marked on its line, a valid save bumps the version, and an edit that
 * another version overtook offers Reload. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { SwitchboardClient } from '../../client/client';
import { documentText } from '../../extension/safety/safety-documents';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { SafetyRule } from '../../protocol/types';
import { packageVsix } from '../helpers/code-server';
import { useE2eEnv } from '../helpers/e2e-env';
import { reportFailure } from '../helpers/e2e-failure';
import { extensionLogSays } from '../helpers/extension-log';
import { runCommand } from '../helpers/palette';
import { recordToasts, type ToastLog } from '../helpers/toasts';

const SHOTS = resolve(__dirname, '../../test-results');
/** After the extension logged a second block of one agent: long enough for a toast it should not show to be drawn. */
const QUIET_MS = 2_000;

const RULES: SafetyRule[] = [
  { id: 'e2e.greeting', category: 'prompt_injection', severity: 'low', action: 'warn', pattern: 'ignore previous instructions', caseInsensitive: true, message: 'an injection marker' },
  { id: 'e2e.vault-word', category: 'secret', severity: 'critical', action: 'block', pattern: 'swordfish', message: 'the vault word' },
];

/** 1-based line and column of the first line of the rules document holding `needle`, as the Problems view prints them. */
function placeOf(rules: SafetyRule[], needle: string): { line: number; column: number } {
  const lines = documentText(rules).split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  return { line: index + 1, column: lines[index]!.indexOf(needle) + 1 };
}

async function failOutcomes(client: SwitchboardClient, agentName: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await client.outcomes.record({ agentName, actionType: 'tool.search', status: 'failure', durationMs: 5, errorMessage: 'upstream timeout' });
}

describe('the Safety view and the rule documents in a real VS Code (code-server + Chromium)', function () {
  this.timeout(240_000);
  const env = useE2eEnv();
  let client: SwitchboardClient;
  let page: Page;
  let toasts: ToastLog;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    assert.deepEqual(await client.safety.rulesSet({ rules: RULES, expectedVersion: 0, by: 'e2e' }), { version: 1 });
    page = await env.openWorkbench({ vsix: packageVsix(), settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    // Collapsed at first (the Agents view keeps its room): opened as a user would, with the
    // Agents and Approvals views closed to give it their room (a tree draws only the rows in view).
    for (const view of ['Agents', 'Approvals']) await page.locator('.pane-header[aria-expanded="true"]', { hasText: view }).click();
    await page.locator('.pane-header', { hasText: 'Safety' }).click();
    await page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Safety' }).waitFor();
    // The sidebar widened by its sash, as a user reading the rows would: the default width cuts their descriptions.
    const sidebar = (await page.locator('.part.sidebar').boundingBox())!;
    await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + sidebar.height / 2);
    await page.mouse.down();
    await page.mouse.move(sidebar.x + 560, sidebar.y + sidebar.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.mouse.move(sidebar.x + 900, sidebar.y + 20); // off the sash, which stays lit under the mouse
    toasts = await recordToasts(page);
  });

  // Toasts fade in: shot as they end up, not halfway.
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
  afterEach(async function () {
    await reportFailure(this.currentTest, page, env.workbench?.userDataDir, SHOTS, 'safety');
  });
  const row = (name: RegExp | string) => page.getByRole('treeitem', { name });
  const statusMessage = (text: string) => page.locator('.statusbar-item', { hasText: text }).waitFor({ timeout: 30_000 });
  const tab = (name: string) => page.locator('.tabs-container .tab', { hasText: name });

  /** Replaces every `find` in the active editor with `replacement` through the Replace widget (typed text there is not auto-closed). */
  async function replaceInEditor(find: string, replacement: string): Promise<void> {
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+H');
    await page.locator('.find-widget textarea[aria-label="Find"]').fill(find);
    await page.locator('.find-widget textarea[aria-label="Replace"]').fill(replacement);
    await page.locator('.find-widget .matchesCount', { hasText: /^1 of 1$/ }).waitFor();
    await page.keyboard.press('Control+Alt+Enter');
    await page.keyboard.press('Escape');
  }

  /** Ctrl+Shift+M toggles the Problems view: pressed only while it is hidden. */
  async function showProblems(): Promise<void> {
    if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  }

  it('shows its three groups while connected, each saying what it holds while empty', async () => {
    await row('Nothing blocked or warned yet').waitFor({ timeout: 60_000 });
    await row('No breaker has tripped').waitFor();
    await row('No budget set').waitFor();
    await shot('safety-view-empty');
  });

  it('lists blocked content, an open breaker and a budget past 80 % as they happen, and tells each once', async () => {
    const blocked = (error: unknown) => error instanceof RpcError && error.code === ErrorCode.BlockedBySafety;
    await assert.rejects(client.signals.send({ from: 'e2e-writer', to: 'e2e-reader', type: 'note', payload: { note: 'the vault word is swordfish' } }), blocked);
    await client.budgets.set({ scope: 'agent:e2e-spender', tokens: 1000, periodSeconds: 3600 });
    await client.outcomes.record({ agentName: 'e2e-spender', actionType: 'llm.call', status: 'success', durationMs: 40, tokensUsed: 850 });
    await row(/^blocked: e2e-writer: e2e\.vault-word, signal\.send payload\.note 18–27$/).waitFor({ timeout: 30_000 });
    await row('budget agent:e2e-spender, 85 % used, warning').waitFor({ timeout: 30_000 });
    const told = await toasts.next(/^Switchboard: blocked content from e2e-writer: e2e\.vault-word in signal\.send payload\.$/);
    const spent = await toasts.next(/^Switchboard: budget agent:e2e-spender is 85 % used \(warning at 80 %\)\.$/);
    await shot('safety-notifications');
    // VS Code shows three toasts at most: these go before the breakers' come.
    await runCommand(page, 'Notifications: Clear All Notifications');

    // Failing outcomes open the agent's breaker and that of the tool (its actionType).
    await failOutcomes(client, 'e2e-flaky', 5);
    await row(/^breaker agent:e2e-flaky, open · 5 failures · retry at /).waitFor({ timeout: 30_000 });
    await row(/^breaker tool:tool\.search, open · 5 failures · retry at /).waitFor({ timeout: 30_000 });
    const opened = await toasts.next(/^Switchboard: breaker agent:e2e-flaky opened after 5 failures: its calls are refused until .+, then trial calls\.$/);
    assert.deepEqual([told.severity, spent.severity, opened.severity], ['info', 'info', 'warning']);
    await shot('safety-view');
    // Show in the toast selects the breaker's row.
    await page.locator('.notification-toast', { hasText: 'breaker agent:e2e-flaky opened' }).getByRole('button', { name: 'Show' }).click();
    await page.getByRole('treeitem', { name: /^breaker agent:e2e-flaky, open /, selected: true }).waitFor();
    await row('budget agent:e2e-spender, 85 % used, warning').hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: `Tokens: 850 of ${(1000).toLocaleString()}` }).first().waitFor();
    await shot('safety-budget-tooltip');

    // The same agent blocked again: a second row, no second toast (once per agent in 10 minutes).
    await assert.rejects(client.signals.send({ from: 'e2e-writer', to: 'e2e-reader', type: 'note', payload: { again: 'swordfish' } }), blocked);
    await row(/^blocked: e2e-writer: e2e\.vault-word, signal\.send payload\.again /).waitFor({ timeout: 30_000 });
    await extensionLogSays(env.workbench!.userDataDir, 'the second block', (log) => (log.match(/safety: blocked signal\.send payload of e2e-writer/g)?.length ?? 0) >= 2);
    await new Promise((resolveLater) => setTimeout(resolveLater, QUIET_MS));
    assert.equal(toasts.toasts.filter((toast) => toast.text.startsWith('Switchboard: blocked content')).length, 1);
  });

  it('resets the open breaker from its row after a modal naming it: closed in the daemon and in the row', async () => {
    // Open, or half-open if its cool-down passed meanwhile on a slow run: either has Reset.
    const breaker = row(/^breaker agent:e2e-flaky, (open|half-open) /);
    await breaker.hover();
    await breaker.getByRole('button', { name: 'Reset Breaker…' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Reset breaker “agent:e2e-flaky”?').waitFor();
    await shot('safety-reset-modal');
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await statusMessage('reset breaker agent:e2e-flaky: closed');
    // Reset clears its counts: the daemon lists it no more, or lists it closed.
    assert.deepEqual((await client.breakers.list()).filter((b) => b.name === 'agent:e2e-flaky' && b.state !== 'closed'), []);
    await row(/^breaker agent:e2e-flaky, closed · 0 failures$/).waitFor();
  });

  it('opens the live rules as JSON checked against their schema, marks a refused pattern on its line, and applies a valid save by compare-and-set', async () => {
    await runCommand(page, 'Switchboard: Edit Safety Rules');
    await tab('safety-rules.json').waitFor();
    await page.locator('.view-line', { hasText: '"id": "e2e.vault-word"' }).waitFor();
    await showProblems();
    // The schema package.json contributes for this URI: VS Code's JSON support checks the document against it.
    await replaceInEditor('"critical"', '"extreme"');
    const severity = placeOf(RULES, '"critical"');
    const offSchema = page.locator('.markers-panel .monaco-list-row', { hasText: `[Ln ${severity.line}, Col ${severity.column}]` }).filter({ hasText: 'Value is not accepted' });
    await offSchema.waitFor({ timeout: 30_000 });
    assert.match(await offSchema.innerText(), /Valid values: "low", "medium", "high", "critical"/);
    assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: 'Switchboard' }).count(), 0, 'nothing was saved: no refusal yet');
    await shot('safety-rules-schema');
    await replaceInEditor('"extreme"', '"critical"');
    await offSchema.waitFor({ state: 'detached' });

    await replaceInEditor('"swordfish"', '"(swordfish"');
    await page.keyboard.press('Control+S');
    const { line, column } = placeOf(RULES, '"swordfish"');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: `[Ln ${line}, Col ${column}]` });
    await problem.waitFor({ timeout: 30_000 });
    assert.match(await problem.innerText(), /rules\[1\]\.pattern/);
    // On the value itself: its hover says why.
    await page.locator('.squiggly-error').first().waitFor();
    await page.locator('.view-line span', { hasText: /^"\(swordfish"$/ }).hover();
    await page.locator('.monaco-hover', { hasText: 'Invalid regular expression: /(swordfish/' }).waitFor();
    await shot('safety-rules-diagnostic');
    assert.equal((await client.safety.rulesGet()).version, 1, 'the refused set changed nothing');

    await replaceInEditor('"(swordfish"', '"sword(fish)?"');
    await page.keyboard.press('Control+S');
    await statusMessage('saved the safety rules: version 2 is live');
    const live = await client.safety.rulesGet();
    assert.equal(live.version, 2);
    assert.equal(live.rules[1]!.pattern, 'sword(fish)?');
    await problem.waitFor({ state: 'detached' });
    await shot('safety-rules-saved');
  });

  it('reloads the open rules when another version goes live, and offers Reload when it overtook an edit', async () => {
    await client.safety.rulesSet({ rules: [{ ...RULES[0]!, message: 'changed elsewhere' }, RULES[1]!], expectedVersion: 2, by: 'someone-else' });
    await page.locator('.view-line', { hasText: '"message": "changed elsewhere"' }).waitFor({ timeout: 30_000 });

    await replaceInEditor('"changed elsewhere"', '"my edit"');
    await client.safety.rulesSet({ rules: [{ ...RULES[0]!, message: 'changed again' }, RULES[1]!], expectedVersion: 3, by: 'someone-else' });
    await page.keyboard.press('Control+S');
    const conflict = page.locator('.notification-toast', { hasText: 'the safety rules changed while you were editing (you started from version 3)' });
    await conflict.getByRole('button', { name: 'Compare' }).waitFor({ timeout: 30_000 });
    await shot('safety-rules-conflict');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await page.locator('.view-line', { hasText: '"message": "changed again"' }).waitFor({ timeout: 30_000 });
    assert.equal((await client.safety.rulesGet()).version, 4);
    assert.equal(await tab('safety-rules.json').getAttribute('class').then((c) => c?.includes('dirty')), false, 'reloaded: nothing left unsaved');
  });

  it('lists a call the policy refused, and marks a refused argument rule of the tool policy on its line', async () => {
    const policy = { agents: [{ agent: 'e2e-*', allow: ['*'], argRules: [{ tool: 'shell', field: 'cmd', pattern: 'rm -rf', then: 'approve' as const }] }] };
    const { version } = await client.policy.set({ policy, expectedVersion: (await client.policy.get()).version, by: 'e2e' });
    // A call no entry allows is refused, and listed with the policy's reason.
    assert.equal((await client.policy.check({ agentId: 'stranger', tool: 'shell' })).allowed, false);
    await row(/^refused by policy: stranger: shell, \S/).waitFor({ timeout: 30_000 });
    await runCommand(page, 'Switchboard: Edit Tool Policy');
    await tab('tool-policy.json').waitFor();
    await replaceInEditor('"rm -rf"', '"(rm -rf"');
    await page.keyboard.press('Control+S');
    const lines = documentText(policy).split('\n');
    const line = lines.findIndex((text) => text.includes('"rm -rf"')) + 1;
    await showProblems();
    await page.locator('.markers-panel .monaco-list-row', { hasText: `[Ln ${line}, ` }).waitFor({ timeout: 30_000 });
    await shot('safety-policy-diagnostic');
    assert.equal((await client.policy.get()).version, version);
  });
});
