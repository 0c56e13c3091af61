/**
 * The Agents view's nodes, kept as stable objects (VS Code refreshes a tree element by identity)
 * and grouped by workflow or flat. `update` answers which nodes to refresh: the changed agents
 * themselves, or their parent when membership or order of a level changed.
 */
import type { AgentStatus, Signal } from '../../protocol/types';
import { NO_WORKFLOW, compareAgents, workflowOf } from './agent-display';

export interface GroupNode {
  kind: 'group';
  workflow: string;
  agentIds: Set<string>;
}

export interface AgentNode {
  kind: 'agent';
  agentId: string;
  /** Number of pending signals shown as children (0 = leaf). */
  signalCount: number;
}

/** Pending signals of one type from one sender (to this agent, or broadcast), shown as one row. */
export interface SignalNode {
  kind: 'signal';
  agentId: string;
  /** The newest of them. */
  signal: Signal;
  count: number;
  oldestSentAt: number;
}

/** Which agents the view shows. */
export interface AgentFilter {
  /** Hide agents that have ended (completed, failed, cancelled, expired). */
  hideFinished: boolean;
  /** Only these workflows (undefined: all). */
  workflows?: ReadonlySet<string>;
}

export const NO_FILTER: AgentFilter = { hideFinished: false };

export type AgentTreeNode = GroupNode | AgentNode | SignalNode;

/** What the tree must refresh: `undefined` = everything, else these nodes (a node's refresh redraws its children too). */
export type Refresh = AgentTreeNode[] | undefined;

export interface AgentSource {
  agents: ReadonlyMap<string, AgentStatus>;
  pendingSignalsFor(agentId: string): Signal[];
}

export class AgentTreeModel {
  private readonly agentNodes = new Map<string, AgentNode>();
  private readonly groupNodes = new Map<string, GroupNode>();
  private readonly groupOf = new Map<string, string>();
  /** Alive or not, as last placed: a change moves the row (alive rows sort first). */
  private readonly aliveOf = new Map<string, boolean>();
  /** Let through by the filter or not, as last placed. */
  private readonly shownOf = new Map<string, boolean>();
  filter: AgentFilter = NO_FILTER;

  constructor(
    private readonly source: AgentSource,
    public grouped = true,
  ) {}

  /** Whether the filter lets an agent through. */
  shows(agent: AgentStatus): boolean {
    if (this.filter.hideFinished && !agent.alive) return false;
    return !this.filter.workflows || this.filter.workflows.has(workflowOf(agent));
  }

  /** Agents the filter hides now. */
  hiddenCount(): number {
    let hidden = 0;
    for (const agent of this.source.agents.values()) if (!this.shows(agent)) hidden++;
    return hidden;
  }

  /** Rebuilds every node (after a snapshot or a grouping toggle). */
  rebuild(): Refresh {
    this.agentNodes.clear();
    this.groupNodes.clear();
    this.groupOf.clear();
    this.aliveOf.clear();
    this.shownOf.clear();
    for (const agent of this.source.agents.values()) this.place(agent);
    return undefined;
  }

  /** Applies changed agents; returns the nodes to refresh. */
  update(agentIds: Iterable<string>): Refresh {
    const refresh = new Set<AgentTreeNode>();
    let root = false;
    for (const agentId of agentIds) {
      const agent = this.source.agents.get(agentId);
      if (!agent) continue;
      let node = this.agentNodes.get(agentId);
      const oldGroup = this.groupOf.get(agentId);
      const newGroup = workflowOf(agent);
      if (!node || oldGroup !== newGroup) {
        // New row, or it moved between groups: the levels that hold it change.
        if (oldGroup !== undefined) {
          const group = this.groupNodes.get(oldGroup)!;
          group.agentIds.delete(agentId);
          if (group.agentIds.size === 0) {
            this.groupNodes.delete(oldGroup);
            root = true;
          } else refresh.add(group);
        }
        const groupExisted = this.groupNodes.has(newGroup);
        node = this.place(agent);
        if (!this.grouped || !groupExisted) root = true;
        else refresh.add(this.groupNodes.get(newGroup)!);
      }
      if (this.aliveOf.get(agentId) !== agent.alive) {
        this.aliveOf.set(agentId, agent.alive);
        if (this.grouped) refresh.add(this.groupNodes.get(newGroup)!);
        else root = true;
      }
      node.signalCount = this.source.pendingSignalsFor(agentId).length;
      const shown = this.shows(agent);
      if (this.shownOf.get(agentId) !== shown) {
        // Filtered in or out: its level (and maybe its group's presence) changes.
        this.shownOf.set(agentId, shown);
        root = true;
      }
      if (shown) refresh.add(node);
    }
    if (root) return undefined;
    // A refreshed group redraws its agents: drop those.
    const groups = new Set([...refresh].filter((n): n is GroupNode => n.kind === 'group').map((g) => g.workflow));
    return [...refresh].filter((n) => n.kind !== 'agent' || !groups.has(this.groupOf.get(n.agentId)!));
  }

  children(parent?: AgentTreeNode): AgentTreeNode[] {
    if (!parent) {
      if (!this.grouped) return this.sortedAgents(this.agentNodes.keys());
      // Named workflows by name; agents without one last, under "(no workflow)".
      return [...this.groupNodes.values()]
        .filter((group) => this.filter === NO_FILTER || [...group.agentIds].some((id) => this.shownOf.get(id)))
        .sort((a, b) => Number(a.workflow === NO_WORKFLOW) - Number(b.workflow === NO_WORKFLOW) || a.workflow.localeCompare(b.workflow));
    }
    if (parent.kind === 'group') return this.sortedAgents(parent.agentIds);
    if (parent.kind === 'agent') return this.signalRows(parent.agentId);
    return [];
  }

  /** Pending signals of one type from one sender collapse into one row with a count. */
  private signalRows(agentId: string): SignalNode[] {
    const rows = new Map<string, SignalNode>();
    for (const signal of this.source.pendingSignalsFor(agentId)) {
      const key = `${signal.type}\n${signal.source}\n${signal.target === '*'}`;
      const row = rows.get(key);
      if (!row) rows.set(key, { kind: 'signal', agentId, signal, count: 1, oldestSentAt: signal.sentAt });
      else {
        row.count++;
        if (signal.sentAt >= row.signal.sentAt) row.signal = signal;
        row.oldestSentAt = Math.min(row.oldestSentAt, signal.sentAt);
      }
    }
    return [...rows.values()];
  }

  parentOf(node: AgentTreeNode): AgentTreeNode | undefined {
    if (node.kind === 'signal') return this.agentNodes.get(node.agentId);
    if (node.kind === 'agent' && this.grouped) return this.groupNodes.get(this.groupOf.get(node.agentId)!);
    return undefined;
  }

  agentNode(agentId: string): AgentNode | undefined {
    return this.agentNodes.get(agentId);
  }

  private place(agent: AgentStatus): AgentNode {
    let node = this.agentNodes.get(agent.agentId);
    if (!node) {
      node = { kind: 'agent', agentId: agent.agentId, signalCount: 0 };
      this.agentNodes.set(agent.agentId, node);
    }
    const workflow = workflowOf(agent);
    this.groupOf.set(agent.agentId, workflow);
    this.aliveOf.set(agent.agentId, agent.alive);
    this.shownOf.set(agent.agentId, this.shows(agent));
    let group = this.groupNodes.get(workflow);
    if (!group) this.groupNodes.set(workflow, (group = { kind: 'group', workflow, agentIds: new Set() }));
    group.agentIds.add(agent.agentId);
    node.signalCount = this.source.pendingSignalsFor(agent.agentId).length;
    return node;
  }

  private sortedAgents(ids: Iterable<string>): AgentNode[] {
    const agents = this.source.agents;
    // Between a new snapshot and the rebuild it causes, nodes may name agents that are gone:
    // VS Code can ask for children in that window (that was "reading 'alive'" after Connect).
    const shown = [...ids].filter((id) => {
      const agent = agents.get(id);
      return agent !== undefined && (this.filter === NO_FILTER || this.shows(agent));
    });
    return shown.sort((a, b) => compareAgents(agents.get(a)!, agents.get(b)!)).map((id) => this.agentNodes.get(id)!);
  }
}
