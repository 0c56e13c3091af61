/**
 * The Agents view's nodes, kept as stable objects (VS Code refreshes a tree element by identity)
 * and grouped by workflow or flat. `update` answers which nodes to refresh: the changed agents
 * themselves, or their parent when membership or order of a level changed.
 */
import type { AgentStatus, Signal } from '../../protocol/types';
import { compareAgents, workflowOf } from './agent-display';

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

export interface SignalNode {
  kind: 'signal';
  agentId: string;
  signal: Signal;
}

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

  constructor(
    private readonly source: AgentSource,
    public grouped = true,
  ) {}

  /** Rebuilds every node (after a snapshot or a grouping toggle). */
  rebuild(): Refresh {
    this.agentNodes.clear();
    this.groupNodes.clear();
    this.groupOf.clear();
    this.aliveOf.clear();
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
      refresh.add(node);
    }
    if (root) return undefined;
    // A refreshed group redraws its agents: drop those.
    const groups = new Set([...refresh].filter((n): n is GroupNode => n.kind === 'group').map((g) => g.workflow));
    return [...refresh].filter((n) => n.kind !== 'agent' || !groups.has(this.groupOf.get(n.agentId)!));
  }

  children(parent?: AgentTreeNode): AgentTreeNode[] {
    if (!parent) {
      if (!this.grouped) return this.sortedAgents(this.agentNodes.keys());
      return [...this.groupNodes.values()].sort((a, b) => a.workflow.localeCompare(b.workflow));
    }
    if (parent.kind === 'group') return this.sortedAgents(parent.agentIds);
    if (parent.kind === 'agent') {
      return this.source.pendingSignalsFor(parent.agentId).map((signal) => ({ kind: 'signal', agentId: parent.agentId, signal }));
    }
    return [];
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
    let group = this.groupNodes.get(workflow);
    if (!group) this.groupNodes.set(workflow, (group = { kind: 'group', workflow, agentIds: new Set() }));
    group.agentIds.add(agent.agentId);
    node.signalCount = this.source.pendingSignalsFor(agent.agentId).length;
    return node;
  }

  private sortedAgents(ids: Iterable<string>): AgentNode[] {
    const agents = this.source.agents;
    return [...ids].sort((a, b) => compareAgents(agents.get(a)!, agents.get(b)!)).map((id) => this.agentNodes.get(id)!);
  }
}
