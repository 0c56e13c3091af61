/** Activation: connection, model, views, commands, webviews, notifications, status bar; the work queues, safety, the Fleet dashboard, agent details, coordination and MCP as their own features. */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerAgentDetail } from './agent-detail/register';
import { registerApprovalCommands } from './commands/approval-commands';
import { registerDashboard } from './dashboard/register';
import { registerDaemonCommands } from './commands/daemon-commands';
import { registerSignalCommands } from './commands/signal-commands';
import { launchDaemon } from '../client/daemon-launcher';
import { DaemonConnection } from './connection/daemon-connection';
import type { ExtensionServices } from './context';
import { workflowOf } from './model/agent-display';
import type { AgentTreeNode } from './model/agent-tree-model';
import { FleetStore } from './model/fleet-store';
import { ConnectionNotifier, FleetNotifier } from './notifications';
import { registerQueues, type QueuesApi } from './queues/register-queues';
import { registerSafety, type SafetyApi } from './safety/register-safety';
import { connectionSettings } from './settings';
import { StatusBar, showStatusMenu } from './status-bar';
import { AgentsView } from './views/agents-view';
import { ApprovalsView } from './views/approvals-view';
import { EventsView } from './views/events-view';
import { SignalsView } from './views/signals-view';
import { ApprovalPanels } from './webviews/approval-panel';
import { SignalComposerPanel } from './webviews/signal-composer-panel';
import { registerCoordination, type CoordinationApi } from './coordination/register-coordination';
import { registerMcp } from './mcp/register-mcp';
import { registerWorkflows, type WorkflowsApi } from './workflows/register-workflows';

/** Relative times (stale agents, approval ages) are redrawn this often from the local clock. */
const CLOCK_REFRESH_MS = 5_000;

/** What activate() returns: the live model, for integration tests and other extensions. */
export interface SwitchboardApi {
  store: FleetStore;
  connection: DaemonConnection;
  agentsView: AgentsView;
  approvalsView: ApprovalsView;
  statusBar: StatusBar;
  queues: QueuesApi;
  safety: SafetyApi;
  coordination: CoordinationApi;
  workflows: WorkflowsApi;
}

export function activate(context: vscode.ExtensionContext): SwitchboardApi {
  const startedAt = performance.now();
  // CPU time too: on a busy machine the wall time measures the other processes as well.
  const cpuAtStart = process.cpuUsage();
  const log = vscode.window.createOutputChannel('Switchboard', { log: true });
  const store = new FleetStore();
  const cliPath = join(context.extensionPath, 'dist', 'cli.js');
  const launch = (stateDir: string) => launchDaemon({ cliPath, stateDir });
  const connection = new DaemonConnection({
    store,
    log,
    settings: connectionSettings,
    launch,
    clientName: `vscode-switchboard/${(context.extension.packageJSON as { version: string }).version}`,
  });

  const services: ExtensionServices = {
    extension: context,
    log,
    store,
    connection,
    client: () => {
      if (!connection.client || connection.state !== 'connected') throw new Error('not connected to the Switchboard daemon');
      return connection.client;
    },
    showApproval: (approval) => approvals.show(approval),
    showSignalComposer: (target) => composer.show(target),
    showAgentDetail: (agentName) => agentDetail.panels.show(agentName),
  };
  const approvals = new ApprovalPanels(services);
  const composer = new SignalComposerPanel(services);
  const agentDetail = registerAgentDetail(services);

  const agentsView = new AgentsView(store);
  const agentsTree = vscode.window.createTreeView('switchboard.agents', { treeDataProvider: agentsView, showCollapseAll: true });
  const approvalsView = new ApprovalsView(store);
  const approvalsTree = vscode.window.createTreeView('switchboard.approvals', { treeDataProvider: approvalsView });
  const signalsView = new SignalsView(store);
  const signalsTree = (signalsView.view = vscode.window.createTreeView('switchboard.signals', { treeDataProvider: signalsView }));
  const eventsView = new EventsView(store);
  const eventsTree = (eventsView.view = vscode.window.createTreeView('switchboard.events', { treeDataProvider: eventsView }));
  void vscode.commands.executeCommand('setContext', 'switchboard.agentsGrouped', true);
  const workflows = registerWorkflows(services);
  const queues = registerQueues(services, (jobId) => workflows.toldAsStepFailure(jobId));
  const safety = registerSafety(services);
  const coordination = registerCoordination(services);

  const statusBar = new StatusBar(store, () => connection);
  const notifier = new ConnectionNotifier();
  const fleetNotifier = new FleetNotifier(services, (agentId) => revealAgent(agentId), (agentName) => services.showAgentDetail(agentName));
  const revealAgent = (agentId: string) => {
    const node = agentsView.model.agentNode(agentId);
    if (node) void agentsTree.reveal(node, { select: true, focus: true });
  };

  const setBadge = () => {
    // Offline, the view is empty: a badge counting what it cannot show would contradict it.
    approvalsTree.badge = connection.state === 'connected' && store.approvals.size > 0 ? { value: store.approvals.size, tooltip: `${store.approvals.size} waiting for approval` } : undefined;
  };
  const clock = setInterval(() => {
    agentsView.refreshStale();
    approvalsView.refreshTimes();
    statusBar.update();
  }, CLOCK_REFRESH_MS);

  context.subscriptions.push(
    log,
    agentsView,
    agentsTree,
    approvalsView,
    approvalsTree,
    signalsView,
    signalsTree,
    eventsView,
    eventsTree,
    statusBar,
    approvals,
    composer,
    { dispose: () => clearInterval(clock) },
    { dispose: () => connection.stop() },
    { dispose: () => store.dispose() },
    store.onDidChange((change) => {
      statusBar.update();
      setBadge();
      fleetNotifier.onChange(change);
    }),
    ...registerApprovalCommands(services, () => approvalsTree.selection[0]),
    ...registerSignalCommands(services),
    ...registerDaemonCommands(services, launch),
    ...registerDashboard(services, queues.model),
    ...agentDetail.disposables,
    vscode.commands.registerCommand('switchboard.agents.groupByWorkflow', () => agentsView.setGrouped(true)),
    vscode.commands.registerCommand('switchboard.agents.showFlat', () => agentsView.setGrouped(false)),
    vscode.commands.registerCommand('switchboard.agents.hideFinished', () => agentsView.setFilter({ ...agentsView.model.filter, hideFinished: true })),
    vscode.commands.registerCommand('switchboard.agents.showFinished', () => agentsView.setFilter({ ...agentsView.model.filter, hideFinished: false })),
    vscode.commands.registerCommand('switchboard.agents.filter', async () => {
      const workflows = [...new Set([...store.agents.values()].map(workflowOf))].sort();
      const picked = await vscode.window.showQuickPick(workflows, { title: 'Show the agents of these workflows', canPickMany: true });
      if (picked && picked.length > 0) agentsView.setFilter({ ...agentsView.model.filter, workflows: new Set(picked) });
    }),
    vscode.commands.registerCommand('switchboard.agents.clearFilter', () => agentsView.setFilter({ hideFinished: false })),
    vscode.commands.registerCommand('switchboard.agent.showApproval', (node: AgentTreeNode) => {
      const approval = node.kind === 'agent' ? agentsView.approvalOf(node.agentId) : undefined;
      if (approval) approvals.show(approval);
    }),
    vscode.commands.registerCommand('switchboard.statusBarMenu', () => showStatusMenu(connection.state)),
    vscode.commands.registerCommand('switchboard.signals.filter', async () => {
      const agentId = await vscode.window.showInputBox({ title: 'Filter signals: agent (empty for all)', value: signalsView.filter.agentId ?? '' });
      if (agentId === undefined) return;
      const type = await vscode.window.showInputBox({ title: 'Filter signals: type (empty for all)', value: signalsView.filter.type ?? '' });
      if (type === undefined) return;
      signalsView.setFilter({ agentId: agentId || undefined, type: type || undefined });
    }),
    vscode.commands.registerCommand('switchboard.events.filter', async () => {
      const picked = await vscode.window.showQuickPick(['(all types)', ...eventsView.types()], { title: 'Filter events by type' });
      if (picked !== undefined) eventsView.setType(picked === '(all types)' ? undefined : picked);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('switchboard.daemonUrl') || event.affectsConfiguration('switchboard.stateDir')) void connection.restart();
      if (event.affectsConfiguration('switchboard.staleThresholdSeconds')) agentsView.refreshStale();
    }),
    ...registerMcp(services),
  );

  connection.on('state', (state) => {
    const connected = state === 'connected';
    void vscode.commands.executeCommand('setContext', 'switchboard.connected', connected);
    for (const view of [agentsView, approvalsView, signalsView, eventsView]) view.setConnected(connected);
    statusBar.update();
    setBadge();
    // The welcome view's text is fixed: the view's header says which daemon, and why not.
    agentsTree.description = connected ? undefined : `${connection.lastError ?? 'offline'} — ${connection.where()}`;
    notifier.onState(state);
    log.info(`connection: ${state}`);
  });
  void vscode.commands.executeCommand('setContext', 'switchboard.connected', false);
  void connection.start();
  const cpu = process.cpuUsage(cpuAtStart);
  log.info(`activated in ${Math.round(performance.now() - startedAt)} ms (${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU)`);
  return { store, connection, agentsView, approvalsView, statusBar, queues, safety, coordination, workflows };
}

export function deactivate(): void {
  // Disposables registered on the context close the connection; the daemon keeps running for the agents.
}
