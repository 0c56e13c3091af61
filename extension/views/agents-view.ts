/** The Agents view: grouped by workflow (or flat), codicons by state, pending signals as children. */
import * as vscode from 'vscode';
import type { AgentStatus } from '../../protocol/types';
import { ageText } from '../../common/time-format';
import { describeAgent, displayState, type AgentDisplayState } from '../model/agent-display';
import { AgentTreeModel, type AgentTreeNode } from '../model/agent-tree-model';
import type { FleetStore } from '../model/fleet-store';
import { staleThresholdSeconds } from '../settings';

const ICONS: Record<AgentDisplayState, [string, string?]> = {
  starting: ['loading~spin'],
  running: ['pulse', 'charts.green'],
  completed: ['pass', 'charts.green'],
  failed: ['error', 'errorForeground'],
  cancelled: ['circle-slash', 'disabledForeground'],
  expired: ['clock', 'disabledForeground'],
  stale: ['warning', 'editorWarning.foreground'],
};

export class AgentsView implements vscode.TreeDataProvider<AgentTreeNode>, vscode.Disposable {
  readonly model: AgentTreeModel;
  /** While disconnected the view is empty, so that its welcome content (Start Daemon / Connect / Show Log) shows. */
  private connected = false;
  private readonly changed = new vscode.EventEmitter<AgentTreeNode | AgentTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Each agent's display state as last drawn, to redraw only rows that turned stale (or back). */
  private readonly drawnState = new Map<string, AgentDisplayState>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: FleetStore) {
    this.model = new AgentTreeModel(store);
    this.disposables.push(
      this.changed,
      store.onDidChange((change) => {
        if (change.agents === 'all') this.fire(this.model.rebuild());
        else if (change.agents.size > 0) this.fire(this.model.update(change.agents));
      }),
    );
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.fire(undefined);
  }

  setGrouped(grouped: boolean): void {
    this.model.grouped = grouped;
    void vscode.commands.executeCommand('setContext', 'switchboard.agentsGrouped', grouped);
    this.fire(this.model.rebuild());
  }

  /** Time passing turns agents stale: redraw the rows whose state flipped (a local clock check, no daemon call). */
  refreshStale(): void {
    const threshold = staleThresholdSeconds();
    const flipped = [...this.drawnState]
      .filter(([id, drawn]) => {
        const agent = this.store.agents.get(id);
        return agent && (drawn === 'stale') !== (displayState(agent, threshold) === 'stale');
      })
      .map(([id]) => this.model.agentNode(id))
      .filter((node) => node !== undefined);
    if (flipped.length > 0) this.fire(flipped);
  }

  getChildren(element?: AgentTreeNode): AgentTreeNode[] {
    return this.connected ? this.model.children(element) : [];
  }

  getParent(element: AgentTreeNode): AgentTreeNode | undefined {
    return this.model.parentOf(element);
  }

  getTreeItem(node: AgentTreeNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.workflow, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.workflow}`;
      const alive = [...node.agentIds].filter((id) => this.store.agents.get(id)?.alive).length;
      item.description = `${alive} alive · ${node.agentIds.size}`;
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = 'workflow';
      return item;
    }
    if (node.kind === 'signal') {
      const item = new vscode.TreeItem(node.signal.type, vscode.TreeItemCollapsibleState.None);
      item.id = `signal:${node.agentId}:${node.signal.signalId}`;
      item.description = `from ${node.signal.source}${node.signal.target === '*' ? ' (broadcast)' : ''}`;
      item.tooltip = new vscode.MarkdownString().appendCodeblock(JSON.stringify(node.signal.payload, null, 2), 'json');
      item.iconPath = new vscode.ThemeIcon(node.signal.target === '*' ? 'broadcast' : 'mail');
      item.contextValue = 'signal.pending';
      return item;
    }
    const agent = this.store.agents.get(node.agentId)!;
    const state = displayState(agent, staleThresholdSeconds());
    this.drawnState.set(agent.agentId, state);
    const item = new vscode.TreeItem(
      agent.agentId,
      node.signalCount > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `agent:${agent.agentId}`;
    item.description = describeAgent(agent);
    const [icon, color] = ICONS[state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `agent.${state}`;
    item.tooltip = agentTooltip(agent, state);
    item.accessibilityInformation = { label: `${agent.agentId}, ${state}, ${describeAgent(agent)}` };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private fire(refresh: AgentTreeNode[] | undefined): void {
    this.changed.fire(refresh);
  }
}

function agentTooltip(agent: AgentStatus, state: AgentDisplayState): vscode.MarkdownString {
  const now = Date.now();
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${agent.agentId}** — $(${ICONS[state][0].replace('~spin', '')}) ${state}\n\n`);
  md.appendMarkdown(`${describeAgent(agent)}\n\n`);
  md.appendMarkdown(`Last beat ${ageText(now - agent.lastBeatAt)} ago · started ${ageText(now - agent.startedAt)} ago · ttl ${agent.ttlSeconds}s\n\n`);
  if (Object.keys(agent.metadata).length > 0) md.appendCodeblock(JSON.stringify(agent.metadata, null, 2), 'json');
  return md;
}
