/**
 * The Agents view: grouped by workflow (or flat), codicons by state, pending signals as children
 * (one row per type and sender, with a count). A row is redrawn only when what it shows changes,
 * so a beat that changes nothing visible leaves it (and its open tooltip) alone; tooltips are
 * built when hovered (resolveTreeItem).
 */
import * as vscode from 'vscode';
import type { AgentStatus, Approval, OutcomeAgentStats } from '../../protocol/types';
import { OUTCOME_WINDOW_SECONDS } from '../../protocol/outcome';
import { countText, msText, percentText, usdText, windowText } from '../../common/outcome-format';
import { ageText, clockTime } from '../../common/time-format';
import { STATE_LABELS, describeAgent, displayState, mcpBadge, mcpClientOf, type AgentDisplayState } from '../model/agent-display';
import { AgentTreeModel, type AgentFilter, type AgentTreeNode } from '../model/agent-tree-model';
import type { FleetStore } from '../model/fleet-store';
import { staleThresholdSeconds } from '../settings';

const ICONS: Record<AgentDisplayState, [string, string?]> = {
  starting: ['loading~spin'],
  running: ['pulse', 'charts.green'],
  waiting: ['bell-dot', 'charts.yellow'],
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
  /** Each agent row as last drawn (state, text, children), to redraw only rows whose look changed. */
  private readonly drawn = new Map<string, { state: AgentDisplayState; look: string }>();
  /** The oldest pending approval of each agent that has one. */
  private waitingOn = new Map<string, Approval>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: FleetStore) {
    this.model = new AgentTreeModel(store);
    this.disposables.push(
      this.changed,
      store.onDidChange((change) => {
        const flipped = change.approvals ? this.updateWaiting() : [];
        if (change.agents === 'all') return this.fire(this.model.rebuild());
        // Stats pushes come every second while an agent works: only a flipped alert, or the first
        // figures of an agent (its tooltip gains them), show in its row; looksDifferent drops the rest.
        const statsOf = change.outcomeStats === 'all' ? [...this.drawn.keys()] : [...change.outcomeStats];
        const statsChanged = statsOf.filter((id) => this.drawn.has(id));
        const refresh = this.model.update(new Set([...change.agents, ...flipped, ...statsChanged]));
        this.fire(refresh && refresh.filter((node) => node.kind !== 'agent' || this.looksDifferent(node.agentId)));
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

  setFilter(filter: AgentFilter): void {
    this.model.filter = filter;
    void vscode.commands.executeCommand('setContext', 'switchboard.agentsHideFinished', filter.hideFinished);
    void vscode.commands.executeCommand('setContext', 'switchboard.agentsFiltered', filter.workflows !== undefined);
    this.fire(this.model.rebuild());
  }

  /** The pending approval an agent waits on, if any. */
  approvalOf(agentId: string): Approval | undefined {
    return this.waitingOn.get(agentId);
  }

  /** Time passing turns agents stale: redraw the rows whose state flipped (a local clock check, no daemon call). */
  refreshStale(): void {
    const flipped = [...this.drawn.keys()]
      .filter((id) => this.looksDifferent(id))
      .map((id) => this.model.agentNode(id))
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
      item.description = `${alive} of ${node.agentIds.size} alive`;
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = 'workflow';
      return item;
    }
    if (node.kind === 'signal') {
      const { signal, count } = node;
      const item = new vscode.TreeItem(count > 1 ? `${signal.type} ×${count}` : signal.type, vscode.TreeItemCollapsibleState.None);
      item.id = `signal:${node.agentId}:${signal.type}:${signal.source}:${signal.target === '*'}`;
      const age = ageText(Date.now() - node.oldestSentAt);
      item.description = `from ${signal.source}${signal.target === '*' ? ' (broadcast)' : ''} · ${count > 1 ? 'oldest ' : ''}${age} ago`;
      item.tooltip = new vscode.MarkdownString(count > 1 ? `${count} pending; the newest:\n\n` : '').appendCodeblock(JSON.stringify(signal.payload, null, 2), 'json');
      item.iconPath = new vscode.ThemeIcon(signal.target === '*' ? 'broadcast' : 'mail');
      item.contextValue = 'signal.pending';
      return item;
    }
    const agent = this.store.agents.get(node.agentId);
    // A row asked for just as a snapshot replaced the fleet: drawn again with the next refresh.
    if (!agent) return new vscode.TreeItem(node.agentId);
    const { state, look } = this.lookOf(agent, node.signalCount);
    this.drawn.set(agent.agentId, { state, look });
    const item = new vscode.TreeItem(
      agent.agentId,
      node.signalCount > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `agent:${agent.agentId}`;
    item.description = this.descriptionOf(agent, state);
    const [icon, color] = ICONS[state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `agent.${state}`;
    item.accessibilityInformation = { label: `${agent.agentId}, ${STATE_LABELS[state]}, ${item.description}` };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: AgentTreeNode): vscode.TreeItem {
    if (node.kind !== 'agent') return item;
    const agent = this.store.agents.get(node.agentId);
    if (agent) {
      const state = this.drawn.get(agent.agentId)?.state ?? agent.status;
      item.tooltip = agentTooltip(agent, state, this.waitingOn.get(agent.agentId), this.store.outcomeStats.get(agent.agentId));
    }
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private descriptionOf(agent: AgentStatus, state: AgentDisplayState): string {
    const approval = state === 'waiting' ? this.waitingOn.get(agent.agentId) : undefined;
    // The MCP badge before the progress: a narrow sidebar cuts the description's end.
    const badge = mcpBadge(agent);
    const described = badge ? `${badge} · ${describeAgent(agent)}` : describeAgent(agent);
    const text = approval ? `waiting: ${approval.type} · ${described}` : described;
    return this.store.outcomeStats.get(agent.agentId)?.alerting ? `high error rate · ${text}` : text;
  }

  private lookOf(agent: AgentStatus, signalCount: number): { state: AgentDisplayState; look: string } {
    const approval = this.waitingOn.get(agent.agentId);
    const state = displayState(agent, staleThresholdSeconds(), Date.now(), approval !== undefined);
    // Whether it has figures is part of the look: its tooltip, built on hover, shows them once redrawn.
    const figures = this.store.outcomeStats.has(agent.agentId);
    return { state, look: `${state}\n${this.descriptionOf(agent, state)}\n${signalCount}\n${approval?.requestId ?? ''}\n${figures}` };
  }

  private looksDifferent(agentId: string): boolean {
    const agent = this.store.agents.get(agentId);
    const node = this.model.agentNode(agentId);
    if (!agent || !node) return false;
    return this.drawn.get(agentId)?.look !== this.lookOf(agent, node.signalCount).look;
  }

  /** Recomputes which agents wait on an approval; returns those whose answer changed. */
  private updateWaiting(): string[] {
    const next = new Map<string, Approval>();
    for (const approval of this.store.approvals.values()) {
      const known = next.get(approval.agentId);
      if (!known || approval.requestedAt < known.requestedAt) next.set(approval.agentId, approval);
    }
    const flipped = [...new Set([...next.keys(), ...this.waitingOn.keys()])].filter((id) => next.get(id)?.requestId !== this.waitingOn.get(id)?.requestId);
    this.waitingOn = next;
    return flipped;
  }

  private fire(refresh: AgentTreeNode[] | undefined): void {
    if (refresh && refresh.length === 0) return;
    this.changed.fire(refresh);
  }
}

function agentTooltip(agent: AgentStatus, state: AgentDisplayState, approval: Approval | undefined, stats: OutcomeAgentStats | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${agent.agentId}** — $(${ICONS[state][0].replace('~spin', '')}) ${STATE_LABELS[state]}\n\n`);
  md.appendMarkdown(`${describeAgent(agent)}\n\n`);
  const mcp = mcpClientOf(agent);
  if (mcp) {
    // The client's name is whatever it sent in initialize: text, not Markdown.
    md.appendMarkdown('$(plug) Joined through MCP');
    if (mcp.name) md.appendText(` from ${mcp.name}${mcp.version ? ` ${mcp.version}` : ''}`);
    md.appendMarkdown(' (`switchboard mcp`)\n\n');
  }
  if (approval) md.appendMarkdown(`Waiting for approval: **${approval.type}** (${approval.risk} risk), asked at ${clockTime(approval.requestedAt)}\n\n`);
  // A live agent's row is not redrawn on every beat, so neither is this: no "last beat" that would go stale.
  const beat = agent.alive && state !== 'stale' ? 'beating' : `last beat at ${clockTime(agent.lastBeatAt)}`;
  md.appendMarkdown(`Started at ${clockTime(agent.startedAt)} · ${beat} · ttl ${agent.ttlSeconds}s\n\n`);
  if (stats) appendOutcomes(md, stats);
  if (Object.keys(agent.metadata).length > 0) md.appendCodeblock(JSON.stringify(agent.metadata, null, 2), 'json');
  return md;
}

/** The agent's outcome figures over the daemon's default window, as of the moment the tooltip is built (it is not redrawn). */
function appendOutcomes(md: vscode.MarkdownString, stats: OutcomeAgentStats): void {
  md.appendMarkdown(`**Outcomes, last ${windowText(OUTCOME_WINDOW_SECONDS)}** (at ${clockTime(Date.now())})${stats.alerting ? ' — $(warning) error rate over its alert threshold' : ''}\n\n`);
  md.appendMarkdown(`${countText(stats.count)} outcomes · ${percentText(stats.successRate)} success · ${percentText(stats.errorRate)} errors\n\n`);
  md.appendMarkdown(`p50 ${msText(stats.p50Ms)} · p95 ${msText(stats.p95Ms)} · ${countText(stats.tokensUsed)} tokens · ${usdText(stats.costUsd)}\n\n`);
}
