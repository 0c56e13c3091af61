/**
 * Integration tests inside the real extension host, against the `vscode` API and a real daemon
 * the driver started and seeded (ids in $SWITCHBOARD_HOST_SEED).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../../extension/extension';
import type { AgentTreeNode } from '../../../extension/model/agent-tree-model';
import type { Approval } from '../../../protocol/types';

export interface HostSeed {
  approvalId: string;
  rejectId: string;
  agents: { agentId: string; workflow?: string }[];
}

export function hostSuites(): void {
  describe('Switchboard inside the extension host', () => {
    const seed = JSON.parse(process.env.SWITCHBOARD_HOST_SEED ?? '{}') as HostSeed;
    let api: SwitchboardApi;
    const packageJSON = () => vscode.extensions.getExtension('switchboard.switchboard')!.packageJSON as {
      contributes: { commands: { command: string; category?: string; icon?: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    };

    before(async () => {
      const extension = vscode.extensions.getExtension<SwitchboardApi>('switchboard.switchboard');
      assert.ok(extension, 'the extension is installed');
      api = await extension.activate();
      if (api.connection.state !== 'connected') {
        await new Promise<void>((resolve) => api.connection.on('state', (s) => s === 'connected' && resolve()));
      }
      // The snapshot may still be on its way: wait for the seeded agents.
      while (seed.agents.some((a) => !api.store.agents.has(a.agentId))) await new Promise((r) => api.store.onDidChange(() => r(undefined)));
      api.store.flush(); // hand the views what is pending now rather than at the next tick of the throttle
    });

    it('registers every contributed command, each with the Switchboard category', async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const { command, category } of packageJSON().contributes.commands) {
        assert.ok(registered.has(command), `${command} is registered`);
        assert.equal(category, 'Switchboard', command);
      }
    });

    it('hides internal commands from the palette', () => {
      const hidden = new Set(packageJSON().contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
      for (const internal of ['switchboard.agent.abort', 'switchboard.approval.approve', 'switchboard.statusBarMenu', 'switchboard.queue.replayJob']) assert.ok(hidden.has(internal), internal);
      for (const palette of ['switchboard.approve', 'switchboard.replayDeadJob', 'switchboard.purgeDeadJobs']) assert.ok(!hidden.has(palette), palette);
    });

    it('groups the Agents tree by workflow, and lists it flat on toggle', async () => {
      const labelOf = (node: AgentTreeNode) => api.agentsView.getTreeItem(node).label;
      const roots = api.agentsView.getChildren();
      const alpha = roots.find((n) => n.kind === 'group' && n.workflow === 'alpha');
      assert.ok(alpha, 'a group per workflow');
      assert.deepEqual(api.agentsView.getChildren(alpha).map(labelOf), ['host-a', 'host-b']);
      const item = api.agentsView.getTreeItem(api.agentsView.getChildren(alpha)[0]!);
      // host-a has a pending request (seed.ts): it shows as waiting for it.
      assert.equal(item.description, 'waiting: deploy · 40% · Indexing');
      assert.equal(item.contextValue, 'agent.waiting');
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'bell-dot');
      const plain = api.agentsView.getTreeItem(api.agentsView.getChildren(roots.find((n) => n.kind === 'group' && n.workflow === '(no workflow)'))[0]!);
      assert.equal(plain.description, '40% · Indexing');
      assert.equal(plain.contextValue, 'agent.running');
      assert.equal((plain.iconPath as vscode.ThemeIcon).id, 'pulse');
      await vscode.commands.executeCommand('switchboard.agents.showFlat');
      assert.ok(api.agentsView.getChildren().every((n) => n.kind === 'agent'));
      await vscode.commands.executeCommand('switchboard.agents.groupByWorkflow');
      assert.ok(api.agentsView.getChildren().every((n) => n.kind === 'group'));
    });

    it('puts "(no workflow)" last, and collapses pending signals of one kind into one row with a count', async () => {
      const client = api.connection.client!;
      for (let i = 0; i < 3; i++) await client.signals.send({ from: 'host-test', to: 'host-c', type: 'ping', payload: { i } });
      await client.signals.send({ from: 'host-test', to: 'host-c', type: 'note' });
      while (api.store.pendingSignalsFor('host-c').length < 4) await new Promise((r) => api.store.onDidChange(() => r(undefined)));
      api.store.flush();
      const roots = api.agentsView.getChildren();
      assert.deepEqual(roots.map((n) => (n.kind === 'group' ? n.workflow : '?')), ['alpha', '(no workflow)']);
      const hostC = api.agentsView.getChildren(roots[1]).find((n) => n.kind === 'agent' && n.agentId === 'host-c')!;
      const rows = api.agentsView.getChildren(hostC).map((n) => api.agentsView.getTreeItem(n).label);
      assert.deepEqual(rows, ['ping ×3', 'note']);
    });

    it('keeps user-scope settings (no machine scope for what a user sets in code-server)', async () => {
      const config = () => vscode.workspace.getConfiguration('switchboard');
      const before = config().inspect<string>('responderName')?.globalValue;
      for (const key of ['stateDir', 'daemonUrl', 'autoStart']) {
        const declared = (vscode.extensions.getExtension('switchboard.switchboard')!.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> }[] } })
          .contributes.configuration.flatMap((section) => Object.entries(section.properties))
          .find(([name]) => name === `switchboard.${key}`)![1];
        assert.notEqual(declared.scope, 'machine', key);
      }
      await config().update('responderName', 'host-tester', vscode.ConfigurationTarget.Global);
      assert.equal(config().get('responderName'), 'host-tester');
      await config().update('responderName', before, vscode.ConfigurationTarget.Global);
    });

    it('offers no row-level Approve for a high-risk request', () => {
      const items = api.approvalsView.getChildren().map((a) => [a.risk, api.approvalsView.getTreeItem(a).contextValue]);
      assert.deepEqual(items.filter(([risk]) => risk === 'high').map(([, value]) => value), ['approval.pending.high']);
      assert.ok(items.some(([risk, value]) => risk !== 'high' && value === 'approval.pending'));
    });

    it('redraws the Approvals view as time passes only when a row reads differently', () => {
      const descriptions = () => api.approvalsView.getChildren().map((a) => api.approvalsView.getTreeItem(a).description as string);
      for (const description of descriptions()) assert.match(description, /^\d+m left · \w+ risk · asked (just now|\d+m ago)$/);
      let redraws = 0;
      const listening = api.approvalsView.onDidChangeTreeData(() => redraws++);
      api.approvalsView.refreshTimes(); // the seeded requests have minutes left: nothing reads differently a moment later
      listening.dispose();
      assert.equal(redraws, 0);
    });

    it("opens a request from its row's click without command arguments, which a redraw would drop", () => {
      for (const approval of api.approvalsView.getChildren()) {
        const { command } = api.approvalsView.getTreeItem(approval);
        assert.equal(command?.command, 'switchboard.approval.open');
        assert.equal(command?.arguments, undefined);
      }
    });

    it('approves through switchboard.approve and rejects through switchboard.reject', async () => {
      const approved = (await vscode.commands.executeCommand('switchboard.approve', { requestId: seed.approvalId, reason: 'from the host' })) as Approval;
      assert.equal(approved.status, 'approved');
      assert.equal(approved.reason, 'from the host');
      const stored = await api.connection.client!.approvals.get({ requestId: seed.approvalId });
      assert.equal(stored?.status, 'approved', 'the daemon recorded it');
      const rejected = (await vscode.commands.executeCommand('switchboard.reject', { requestId: seed.rejectId, reason: '' })) as Approval;
      assert.equal(rejected.status, 'rejected');
    });

    it('sends a signal that shows under its agent in the tree', async () => {
      const changed = new Promise((resolve) => api.store.onDidChange((c) => c.signals && resolve(c)));
      await vscode.commands.executeCommand('switchboard.sendSignal', { to: 'host-c', type: 'pause', payload: { why: 'test' } });
      await changed;
      const node = api.agentsView.model.agentNode('host-c')!;
      const children = api.agentsView.getChildren(node);
      assert.ok(children.some((c) => c.kind === 'signal' && c.signal.type === 'pause'));
      assert.equal(api.agentsView.getTreeItem(node).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    });

    it('shows the fleet in the status bar', () => {
      assert.match(api.statusBar.item.text, /^\$\((pulse|bell-dot|warning)\) \d+ agents/);
      assert.equal(api.statusBar.item.command, 'switchboard.statusBarMenu');
    });

    it('opens the approval webview in an editor tab titled "<type> · <agent>"', async () => {
      const approval = await api.connection.client!.approvals.create({ agentId: 'host-a', type: 'publish', context: { doc: 'x' } });
      const opened = new Promise<vscode.Tab | undefined>((resolve) =>
        vscode.window.tabGroups.onDidChangeTabs((e) => {
          const found = e.opened.find((t) => t.label === 'publish · host-a');
          if (found) resolve(found);
        }),
      );
      await vscode.commands.executeCommand('switchboard.approval.open', approval);
      const tab = await opened;
      assert.ok(tab, 'a "publish · host-a" tab');
      assert.ok(tab.input instanceof vscode.TabInputWebview);
      assert.match((tab.input as vscode.TabInputWebview).viewType, /switchboard\.approval$/);
    });
  });
}
