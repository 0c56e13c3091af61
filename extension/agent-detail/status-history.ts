/**
 * The statuses (and tasks) the editor has seen each agent in, for its details page: the daemon
 * keeps only the current one. A sample is added when status or task changes, not on every beat.
 */
import type { FleetChange, FleetStore } from '../model/fleet-store';
import type { StatusSample } from '../../webview/agent-detail/protocol';

const KEPT_PER_AGENT = 30;

export class StatusHistory {
  private readonly samples = new Map<string, StatusSample[]>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: FleetStore) {
    this.subscription = store.onDidChange((change: FleetChange) => {
      for (const agentId of change.agents === 'all' ? store.agents.keys() : change.agents) this.note(agentId);
    });
  }

  of(agentId: string): StatusSample[] {
    return this.samples.get(agentId) ?? [];
  }

  private note(agentId: string): void {
    const agent = this.store.agents.get(agentId);
    if (!agent) return;
    let samples = this.samples.get(agentId);
    if (!samples) this.samples.set(agentId, (samples = []));
    const last = samples.at(-1);
    if (last && last.status === agent.status && last.task === agent.currentTask) return;
    samples.push({ at: agent.status === 'starting' ? agent.startedAt : agent.lastBeatAt, status: agent.status, task: agent.currentTask ?? null });
    if (samples.length > KEPT_PER_AGENT) samples.shift();
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
