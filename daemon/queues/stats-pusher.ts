/**
 * Pushes each queue's counts (`queue.stats` on the `queues` topic) at most once a second, and only
 * the queues whose counts changed. Receives and acks publish nothing (they are the hot path, and a
 * frame per job would cost every daemon a message per job), so the counts are sampled instead —
 * by each daemon for its own subscribers, and only while it has any.
 */
import type { Deps } from '../domain/deps';
import { queueSummaries } from './handlers';
import type { QueueRegistry } from './registry';

export const STATS_PUSH_MS = 1000;

export class StatsPusher {
  private lastAt = 0;
  private readonly last = new Map<string, string>();

  constructor(
    private readonly deps: Deps,
    private readonly registry: QueueRegistry,
  ) {}

  /** Called on every sweep; does its work at most once per STATS_PUSH_MS. Returns 0 (it never needs another round). */
  async push(): Promise<number> {
    const { hub } = this.deps;
    if (!hub.hasSubscribers('queues')) {
      this.last.clear(); // a new subscriber gets every queue's counts once
      return 0;
    }
    const now = Date.now();
    if (now - this.lastAt < STATS_PUSH_MS) return 0;
    this.lastAt = now;
    for (const { queue, json } of await queueSummaries(this.deps, this.registry)) {
      if (this.last.get(queue) === json) continue;
      this.last.set(queue, json);
      hub.deliver('queues', { type: 'queue.stats', ts: now, key: queue, json });
    }
    return 0;
  }
}
