/**
 * The Coordination view and the editor side of MCP in a real VS Code (code-server 4.100.3) driven
 * by Chromium, in the Light theme (SWITCHBOARD_E2E_THEME for another; the screenshots then carry
 * its name): a lock, a semaphore's permits and a barrier taken through the SDK appear with their
 * holders; a release, an expiry and a barrier's release remove them, by push; an agent that
 * joined through MCP carries its badge in the Agents view; Copy MCP Config… puts a config that
 * runs the installed extension's CLI on the clipboard. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { SwitchboardClient } from '../../client/client';
import type { BarrierResult } from '../../protocol/types';
import { packageVsix } from '../helpers/code-server';
import { useE2eEnv } from '../helpers/e2e-env';
import { reportFailure } from '../helpers/e2e-failure';
import { hoverUntil } from '../helpers/hover';
import { startMcpSession, type McpSession } from '../helpers/mcp-session';
import { runCommand } from '../helpers/palette';

const SHOTS = resolve(__dirname, '../../test-results');
const THEME = process.env.SWITCHBOARD_E2E_THEME ? `-${process.env.SWITCHBOARD_E2E_THEME.toLowerCase().replace(/\W+/g, '-')}` : '';

describe('the Coordination view and MCP in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  const env = useE2eEnv();
  let client: SwitchboardClient;
  let page: Page;
  let barrierWait: Promise<BarrierResult | undefined>;
  let mcp: McpSession;
  let mcpAgent: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await env.startDaemon();
    client = await env.client();
    await client.locks.acquire({ name: 'e2e-deploy', owner: 'e2e-deployer', ttlMs: 120_000 });
    await client.semaphores.acquire({ name: 'e2e-gpu', owner: 'trainer-1', limit: 2, ttlMs: 120_000 });
    await client.semaphores.acquire({ name: 'e2e-gpu', owner: 'trainer-2', limit: 2, ttlMs: 120_000 });
    // One party of three waits (its own connection: a parked call holds it); the test brings the other two.
    barrierWait = (await env.client()).barriers.wait({ name: 'e2e-phase', parties: 3, timeoutMs: 170_000 }).catch(() => undefined);
    // An agent that joins as Claude Code would: the official MCP client running `switchboard mcp`.
    mcp = await startMcpSession(env.stateDir, { clientName: 'claude-code', clientVersion: '1.0.0' });
    const status = await mcp.client.callTool({ name: 'report_status', arguments: { progress: 0.4, currentTask: 'refactoring the parser' } });
    mcpAgent = (status.structuredContent as { agentId: string }).agentId;
    page = await env.openWorkbench({ vsix: packageVsix(), settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Switchboard"]').first().click();
    // Collapsed at first, as the other secondary views: opened as a user would.
    await page.locator('.pane-header', { hasText: 'Coordination' }).click();
    await page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Coordination' }).waitFor();
  });

  after(() => mcp?.close());

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}${THEME}.png`) });
  afterEach(async function () {
    await reportFailure(this.currentTest, page, env.workbench?.userDataDir, SHOTS, 'coordination');
  });
  const row = (name: RegExp) => page.getByRole('treeitem', { name });
  /** A row of the open quick pick. */
  const pickRow = (text: string) => page.locator('.quick-input-list .monaco-list-row', { hasText: text });

  it('shows the lock with its holder, token and time left, the semaphore with its holders, and the barrier with its arrivals', async () => {
    const lock = row(/^lock e2e-deploy, held by e2e-deployer · (2m|1m) left · token 1$/);
    await lock.waitFor({ timeout: 60_000 });
    await row(/^semaphore e2e-gpu, 2\/2 permits$/).waitFor();
    await row(/^permit of e2e-gpu held by trainer-1, (2m|1m) left$/).waitFor();
    await row(/^permit of e2e-gpu held by trainer-2, (2m|1m) left$/).waitFor();
    await row(/^barrier e2e-phase, 1\/3 arrived$/).waitFor();
    await shot('coordination-view');
    const tip = await hoverUntil(page, lock, 'Held by e2e-deployer with fencing token 1');
    await tip.getByText('Lease ends at').waitFor();
    await shot('coordination-lock-tooltip');
  });

  it('follows releases, a permit running out and a barrier release by push, down to its empty state', async () => {
    const lock = (await client.locks.list()).find((l) => l.name === 'e2e-deploy')!;
    await client.locks.release({ name: 'e2e-deploy', owner: lock.owner, fencingToken: lock.fencingToken });
    await row(/^lock e2e-deploy,/).waitFor({ state: 'detached', timeout: 30_000 });
    const [gpu] = (await client.semaphores.list()).filter((s) => s.name === 'e2e-gpu');
    const first = gpu!.holders.find((h) => h.owner === 'trainer-1')!;
    await client.semaphores.release({ name: 'e2e-gpu', permitId: first.permitId });
    await row(/^semaphore e2e-gpu, 1\/2 permits$/).waitFor({ timeout: 30_000 });
    await row(/^permit of e2e-gpu held by trainer-1,/).waitFor({ state: 'detached' });
    // A holder that stops renewing: its permit returns by itself, and the sweep's expiry push removes it.
    await client.semaphores.acquire({ name: 'e2e-short', owner: 'crashed-worker', limit: 1, ttlMs: 3_000 });
    const short = row(/^semaphore e2e-short, 1\/1 permit$/);
    await short.waitFor({ timeout: 30_000 });
    await short.waitFor({ state: 'detached', timeout: 30_000 });
    const [second, third] = [await env.client(), await env.client()].map((c) => c.barriers.wait({ name: 'e2e-phase', parties: 3, timeoutMs: 30_000 }));
    await row(/^barrier e2e-phase,/).waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual((await Promise.all([barrierWait, second, third])).map((r) => r?.released), [true, true, true]);
    await shot('coordination-after-release');
    const last = gpu!.holders.find((h) => h.owner === 'trainer-2')!;
    await client.semaphores.release({ name: 'e2e-gpu', permitId: last.permitId });
    await page.getByText('No lock, semaphore permit or barrier is held or waited on now.').waitFor({ timeout: 30_000 });
    await shot('coordination-empty');
  });

  it('badges the agent that joined through MCP in the Agents view, and says so in its tooltip', async () => {
    // Stale on a slow run (it beat once): the badge is there whatever the state.
    assert.match(mcpAgent, /^claude-code-[0-9a-f]{6}$/);
    const agent = row(new RegExp(`^${mcpAgent}, running, MCP · claude-code · 40% · refactoring the parser$`));
    await agent.waitFor({ timeout: 30_000 });
    const tip = await hoverUntil(page, agent, 'Joined through MCP');
    await tip.getByText('from claude-code 1.0.0').waitFor();
    await shot('agents-mcp-badge');
  });

  it('is registered with VS Code itself: MCP: List Servers offers it, and the server VS Code starts joins this daemon’s fleet', async () => {
    await page.mouse.move(800, 700); // away from the last test's tooltip
    await runCommand(page, 'MCP: List Servers');
    await pickRow('Switchboard').click();
    await shot('mcp-list-servers');
    await pickRow('Start Server').click();
    // VS Code ran the launch the extension gave it: the CLI's MCP server, on the daemon the editor uses.
    await row(/^code-server-[0-9a-f]{6}, \w+, MCP · code-server/).waitFor({ timeout: 30_000 });
    await shot('mcp-started-by-vscode');
  });

  it('copies a Claude Code command line and a VS Code mcp.json block that run the installed extension’s CLI', async () => {
    await page.mouse.move(800, 700); // away from the last test's tooltip
    await runCommand(page, 'Switchboard: Copy MCP Config…');
    await pickRow('Cursor').waitFor();
    await shot('mcp-copy-quick-pick');
    await pickRow('a claude mcp add command line').click();
    await page.locator('.statusbar-item', { hasText: 'copied the claude mcp add command line for Claude Code to the clipboard' }).waitFor();
    const line = await page.evaluate(() => navigator.clipboard.readText());
    const match = /^claude mcp add --transport stdio --env SWITCHBOARD_STATE_DIR=(\S+) switchboard -- node (\S+\/dist\/cli\.js) mcp$/.exec(line);
    assert.ok(match, line);
    assert.equal(match[1], env.stateDir, 'the daemon the editor uses, which an MCP client would not find by itself');
    assert.ok(existsSync(match[2]!), `the installed extension's CLI: ${match[2]}`);

    await runCommand(page, 'Switchboard: Copy MCP Config…');
    await pickRow('.vscode/mcp.json').click();
    await page.locator('.statusbar-item', { hasText: 'copied a .vscode/mcp.json block for VS Code' }).waitFor();
    const block = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { servers: Record<string, unknown> };
    assert.deepEqual(block.servers.switchboard, { type: 'stdio', command: 'node', args: [match[2], 'mcp'], env: { SWITCHBOARD_STATE_DIR: env.stateDir } });
  });
});
