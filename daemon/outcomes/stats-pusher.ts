/**
 * Pushes each agent's stats over the default window (`outcome.stats` on the `outcomes` topic) at
 * most once a second, and only the agents whose stats changed — the figures a dashboard shows,
 * without a call per refresh. An agent whose outcomes all left the window gets one last push with
 * count 0. Each daemon samples for its own subscribers, and only while it has any.
 */
import { OUTCOME_WINDOW_SECONDS } from '../../protocol/outcome';
import type { Deps } from '../domain/deps';
import { BucketSums } from '../store/outcome-buckets';
import { readStats, statsOf } from './stats';

export const STATS_PUSH_MS = 1000;

export class StatsPusher {
  private lastAt = 0;
  private readonly last = new Map<string, string>();

  constructor(private readonly deps: Deps) {}

  /** Called on every sweep; does its work at most once per STATS_PUSH_MS. Returns 0 (it never needs another round). */
  async push(): Promise<number> {
    const { hub } = this.deps;
    if (!hub.hasSubscribers('outcomes')) {
      this.last.clear(); // a new subscriber gets every agent's stats once
      return 0;
    }
    const now = Date.now();
    if (now - this.lastAt < STATS_PUSH_MS) return 0;
    this.lastAt = now;
    const { agents, at } = await readStats(this.deps, OUTCOME_WINDOW_SECONDS);
    const gone = new Set(this.last.keys());
    for (const stats of agents) {
      gone.delete(stats.agentName);
      const json = JSON.stringify(stats);
      if (this.last.get(stats.agentName) === json) continue;
      this.last.set(stats.agentName, json);
      hub.deliver('outcomes', { type: 'outcome.stats', ts: at, key: stats.agentName, json });
    }
    for (const agentName of gone) {
      const { lastAt } = JSON.parse(this.last.get(agentName)!) as { lastAt: number };
      this.last.delete(agentName);
      const json = JSON.stringify({ agentName, ...statsOf(new BucketSums()), alerting: false, lastAt });
      hub.deliver('outcomes', { type: 'outcome.stats', ts: at, key: agentName, json });
    }
    return 0;
  }
}
