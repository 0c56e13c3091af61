/**
 * What the editor knows of the fleet: a snapshot from the daemon, then the pushed deltas on top.
 * Plain TypeScript (no vscode import) so it is tested in Node. Changes are coalesced and handed to
 * listeners at most every `flushMs`, naming what changed, so that 1 000 beats a second become a
 * few element-level tree refreshes, not thousands.
 */
import { ChangeBatcher } from './change-batcher';
import type { AgentStatus, Approval, OutcomeAgentStats, OutcomeAlert, PushedEvent, Signal, StreamEvent } from '../../protocol/types';

export interface FleetChange {
  /** Agents whose rows changed (ids), or 'all' after a snapshot. */
  agents: Set<string> | 'all';
  approvals: boolean;
  signals: boolean;
  events: boolean;
  /** Approvals that arrived since the last flush (for notifications). */
  newApprovals: Approval[];
  /** Agents that failed or expired since the last flush (for notifications). */
  endedBadly: AgentStatus[];
  /** Agents whose outcome stats changed (names), or 'all' after a snapshot. */
  outcomeStats: Set<string> | 'all';
  /** Failure-rate alerts raised or cleared since the last flush, in order (for notifications). */
  alerts: { type: 'alert.failure_rate' | 'alert.recovered'; alert: OutcomeAlert }[];
}

export interface Snapshot {
  agents: AgentStatus[];
  approvals: Approval[];
  events?: StreamEvent[];
  /** Each agent's outcome stats over the default window (outcome.stats). */
  outcomeStats?: OutcomeAgentStats[];
}

/** Signals seen since connecting: pending ones, and the last few consumed. */
export interface SignalRow {
  signal: Signal;
  consumedBy?: string;
  /** Arrival order (signals sent in the same millisecond keep their order). */
  order: number;
}

const MAX_EVENTS = 500;
const MAX_RECENT_SIGNALS = 200;

export class FleetStore {
  readonly agents = new Map<string, AgentStatus>();
  readonly approvals = new Map<string, Approval>();
  /** Pending (unconsumed, unexpired) signals by id, plus recently consumed ones. */
  readonly signals = new Map<string, SignalRow>();
  /** Ids of unconsumed signals by target agent ("*" for broadcasts): rows look theirs up without a scan. */
  private readonly byTarget = new Map<string, Set<string>>();
  private arrivals = 0;
  /** Newest last. */
  readonly events: StreamEvent[] = [];
  /** Outcome stats over the daemon's default window, by agent name (outcome.stats, then its pushes). */
  readonly outcomeStats = new Map<string, OutcomeAgentStats>();

  private readonly changes: ChangeBatcher<FleetChange>;

  constructor(flushMs = 100) {
    this.changes = new ChangeBatcher(emptyChange, flushMs);
  }

  onDidChange(listener: (change: FleetChange) => void): { dispose(): void } {
    return this.changes.onDidChange(listener);
  }

  applySnapshot(snapshot: Snapshot): void {
    this.agents.clear();
    for (const agent of snapshot.agents) this.agents.set(agent.agentId, agent);
    this.approvals.clear();
    for (const approval of snapshot.approvals) if (approval.status === 'pending') this.approvals.set(approval.requestId, approval);
    if (snapshot.events) this.events.splice(0, this.events.length, ...snapshot.events.slice(-MAX_EVENTS));
    if (snapshot.outcomeStats) {
      this.outcomeStats.clear();
      for (const stats of snapshot.outcomeStats) this.outcomeStats.set(stats.agentName, stats);
      this.changes.pending.outcomeStats = 'all';
    }
    this.changes.pending.agents = 'all';
    this.changes.pending.approvals = this.changes.pending.events = this.changes.pending.signals = true;
    this.changes.schedule();
  }

  applyEvent(event: PushedEvent): void {
    switch (event.topic) {
      case 'agents':
        this.applyAgent(event.type, event.data);
        break;
      case 'approvals':
        this.applyApproval(event.type, event.data);
        break;
      case 'signals':
        this.applySignal(event);
        break;
      case 'outcomes':
        if (!this.applyOutcome(event)) return;
        break;
      case 'queues':
      case 'safety':
      case 'coordination':
      case 'workflows':
        return; // the Queues, Safety, Coordination and Workflows features' (their own subscriptions)
      default:
        this.applyStreamEvent(event.data);
    }
    this.changes.schedule();
  }

  /** Alive agents whose last beat is older than the threshold. */
  staleAgents(thresholdSeconds: number, now = Date.now()): AgentStatus[] {
    return [...this.agents.values()].filter((a) => a.alive && now - a.lastBeatAt > thresholdSeconds * 1000);
  }

  pendingSignalsFor(agentId: string): Signal[] {
    const now = Date.now();
    const ids = [...(this.byTarget.get(agentId) ?? []), ...(this.byTarget.get('*') ?? [])];
    return ids
      .map((id) => this.signals.get(id)!)
      .filter((row) => row.signal.expiresAt > now)
      .sort((a, b) => a.order - b.order)
      .map((row) => row.signal);
  }

  /** Emits the coalesced change now (tests; and the timer). */
  flush(): void {
    this.changes.flush();
  }

  dispose(): void {
    this.changes.dispose();
  }

  private applyAgent(type: string, agent: AgentStatus): void {
    this.agents.set(agent.agentId, agent);
    if (this.changes.pending.agents !== 'all') this.changes.pending.agents.add(agent.agentId);
    if (type === 'agent.expired' || (type === 'agent.stopped' && agent.status === 'failed')) this.changes.pending.endedBadly.push(agent);
  }

  /** Stats pushes and alerts; single outcomes are the dashboard's (it listens to the connection). Says whether anything changed. */
  private applyOutcome(event: Extract<PushedEvent, { topic: 'outcomes' }>): boolean {
    if (event.type === 'outcome.stats') {
      const stats = event.data;
      // An agent whose outcomes all left the window gets one last push with count 0.
      if (stats.count === 0) this.outcomeStats.delete(stats.agentName);
      else this.outcomeStats.set(stats.agentName, stats);
      if (this.changes.pending.outcomeStats !== 'all') this.changes.pending.outcomeStats.add(stats.agentName);
      return true;
    }
    if (event.type === 'alert.failure_rate' || event.type === 'alert.recovered') {
      this.changes.pending.alerts.push({ type: event.type, alert: event.data });
      return true;
    }
    return false;
  }

  private applyApproval(type: string, approval: Approval): void {
    if (type === 'approval.requested') {
      this.approvals.set(approval.requestId, approval);
      this.changes.pending.newApprovals.push(approval);
    } else {
      this.approvals.delete(approval.requestId);
      this.changes.pending.newApprovals = this.changes.pending.newApprovals.filter((a) => a.requestId !== approval.requestId);
    }
    this.changes.pending.approvals = true;
  }

  private applySignal(event: Extract<PushedEvent, { topic: 'signals' }>): void {
    if (event.type === 'signal.sent') {
      const signal = event.data;
      this.signals.set(signal.signalId, { signal, order: this.arrivals++ });
      this.index(signal.target).add(signal.signalId);
      this.touchSignalTarget(signal.target);
    } else if (event.type === 'signal.consumed') {
      const consumed = event.data;
      const row = this.signals.get(consumed.signalId);
      // A broadcast stays pending for the others; a direct signal is gone.
      if (row && consumed.target !== '*') {
        row.consumedBy = consumed.by;
        this.byTarget.get(consumed.target)?.delete(consumed.signalId);
      }
      this.touchSignalTarget(consumed.by);
    } else {
      const cleared = event.data;
      for (const [id, row] of this.signals) {
        if (row.signal.target === cleared.agentId && (cleared.type === null || row.signal.type === cleared.type)) {
          this.signals.delete(id);
          this.byTarget.get(cleared.agentId)?.delete(id);
        }
      }
      this.touchSignalTarget(cleared.agentId);
    }
    this.trimSignals();
    this.changes.pending.signals = true;
  }

  private index(target: string): Set<string> {
    let ids = this.byTarget.get(target);
    if (!ids) this.byTarget.set(target, (ids = new Set()));
    return ids;
  }

  private touchSignalTarget(agentId: string): void {
    if (this.changes.pending.agents === 'all') return;
    if (agentId === '*') this.changes.pending.agents = 'all';
    else if (this.agents.has(agentId)) this.changes.pending.agents.add(agentId);
  }

  /** Drops expired signals, and all but the newest consumed ones. */
  private trimSignals(): void {
    const now = Date.now();
    for (const [id, row] of this.signals) {
      if (row.consumedBy || row.signal.expiresAt > now) continue;
      this.signals.delete(id);
      this.byTarget.get(row.signal.target)?.delete(id);
    }
    const consumed = [...this.signals.entries()].filter(([, row]) => row.consumedBy);
    for (const [id] of consumed.slice(0, Math.max(0, consumed.length - MAX_RECENT_SIGNALS))) this.signals.delete(id);
  }

  private applyStreamEvent(event: StreamEvent): void {
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.changes.pending.events = true;
  }
}

function emptyChange(): FleetChange {
  return { agents: new Set(), approvals: false, signals: false, events: false, newApprovals: [], endedBadly: [], outcomeStats: new Set(), alerts: [] };
}
