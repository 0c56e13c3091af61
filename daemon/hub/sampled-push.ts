/**
 * Pushes figures the hot path does not publish (queue depths, agents' outcome stats) to this
 * daemon's subscribers of a topic: sampled at most once per interval, each key only when its JSON
 * changed, and only while the daemon has such subscribers, since each daemon samples for its own.
 *
 * "Changed" is measured against what was last pushed, so a client that learned newer figures
 * from a snapshot (the list call it makes on subscribing or after a seq gap) could be left with
 * them: figures that go back to the value last pushed (1 dead → 0 → 1 between two samples) are
 * not pushed again. So a snapshot handed out (`snapshotTaken`) makes the next sample push every
 * key, whatever was pushed before, to the connection that took it: the others' figures are as
 * last pushed (a CLI listing the queues costs the editors nothing).
 */
import type { EventHub, PushTarget } from './hub';

export interface Sample {
  key: string;
  json: string;
}

export interface SampledPushOptions {
  hub: EventHub;
  topic: string;
  /** The pushed event's type. */
  type: string;
  /** The figures now, and the time they are of (epoch ms). */
  read(): Promise<{ ts: number; samples: Sample[] }>;
  /** What to push once for a key that is no longer sampled (omitted: nothing). */
  gone?(key: string, lastJson: string): string;
  everyMs?: number;
}

export class SampledPush {
  private lastAt = 0;
  private readonly last = new Map<string, string>();
  /** Connections that took a snapshot no full push has followed yet (a failed read leaves them owed). */
  private readonly owed = new Set<PushTarget>();

  constructor(private readonly options: SampledPushOptions) {}

  /**
   * A client read a snapshot of these figures (call it once they are read): the next sample pushes
   * every key to its connection (see above). A caller with no connection (HTTP) cannot subscribe:
   * nothing is owed to it.
   */
  snapshotTaken(target: PushTarget | undefined): void {
    if (target) this.owed.add(target);
  }

  /** A sweep (daemon/domain/module.ts): does its work at most once per interval; returns 0, it never needs another round. */
  async push(): Promise<number> {
    const { hub, topic, type, everyMs = 1000 } = this.options;
    if (!hub.hasSubscribers(topic)) {
      this.last.clear(); // a new subscriber gets every key's figures once
      this.owed.clear(); // and so does a connection that read a snapshot, once it subscribes
      return 0;
    }
    const now = Date.now();
    if (now - this.lastAt < everyMs) return 0;
    this.lastAt = now;
    // Only snapshots handed out before this read began: one read after it pushes for a later one.
    const owed = [...this.owed];
    const { ts, samples } = await this.options.read();
    for (const target of owed) this.owed.delete(target);
    const gone = new Set(this.last.keys());
    for (const { key, json } of samples) {
      gone.delete(key);
      const frame = { type, ts, key, json };
      if (this.last.get(key) === json) {
        for (const target of owed) hub.deliverTo(target, topic, frame);
        continue;
      }
      this.last.set(key, json);
      hub.deliver(topic, frame);
    }
    for (const key of gone) {
      const json = this.options.gone?.(key, this.last.get(key)!);
      this.last.delete(key);
      if (json !== undefined) hub.deliver(topic, { type, ts, key, json });
    }
    return 0;
  }
}
