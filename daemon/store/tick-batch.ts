/**
 * Gathers the calls of one kind made in the same turn of the event loop, from any number of
 * connections, and runs them as one script call: many agents' heartbeats then cost one round trip
 * and one script run instead of one each. Every caller gets its own item's reply, or its own error
 * (a script answers an error in place of that item's reply).
 */
import { toRpcError } from './redis';

interface Waiting {
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

export class TickBatch<I> {
  private items: I[] = [];
  private waiting: Waiting[] = [];

  /**
   * @param run one Redis call for all items, answering one reply per item, in order
   * @param maxItems a batch this long runs at once, so one script call stays short
   */
  constructor(
    private readonly run: (items: I[]) => Promise<unknown>,
    private readonly maxItems: number,
  ) {}

  add(item: I): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.items.push(item);
      if (this.items.length === 1) setImmediate(() => this.flush());
      this.waiting.push({ resolve, reject });
      if (this.items.length >= this.maxItems) this.flush();
    });
  }

  /**
   * Sends what is gathered now. Other calls that touch the same records call this first, so that
   * Redis (one connection, in order) runs the earlier beats before them: calls keep their order.
   */
  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    const waiting = this.waiting;
    this.items = [];
    this.waiting = [];
    this.run(items).then(
      (replies) => {
        const list = replies as unknown[];
        waiting.forEach((w, i) => (list[i] instanceof Error ? w.reject(toRpcError(list[i])) : w.resolve(list[i])));
      },
      (error: unknown) => {
        for (const w of waiting) w.reject(error);
      },
    );
  }
}

/**
 * One TickBatch per key, for calls that may share a script call only when they share a key (the
 * jobs of one queue live in one Cluster slot): a key's batch is dropped once it has run.
 */
export class KeyedTickBatch<I> {
  private readonly batches = new Map<string, TickBatch<I>>();

  constructor(
    private readonly run: (key: string, items: I[]) => Promise<unknown>,
    private readonly maxItems: number,
  ) {}

  add(key: string, item: I): Promise<unknown> {
    let batch = this.batches.get(key);
    if (!batch) {
      const created = new TickBatch<I>((items) => {
        if (this.batches.get(key) === created) this.batches.delete(key);
        return this.run(key, items);
      }, this.maxItems);
      this.batches.set(key, (batch = created));
    }
    return batch.add(item);
  }

  /** Sends what is gathered for one key now (a later call on that key must run after it). */
  flush(key: string): void {
    this.batches.get(key)?.flush();
  }
}
