/** Awaiting pushed events instead of sleeping. */
import type { SwitchboardClient } from '../../client/client';
import type { PushedEvent, Topic } from '../../protocol/types';

export interface EventLog {
  events: PushedEvent[];
  /** Resolves with the first event (already seen or still to come) matching the predicate. */
  next(predicate: (event: PushedEvent) => boolean, timeoutMs?: number): Promise<PushedEvent>;
  /** Resolves once `count` events match. */
  count(predicate: (event: PushedEvent) => boolean, count: number, timeoutMs?: number): Promise<PushedEvent[]>;
}

export async function record(client: SwitchboardClient, topics: Topic[]): Promise<EventLog> {
  const events: PushedEvent[] = [];
  const waiters = new Set<() => void>();
  await client.subscribe(topics, (event) => {
    events.push(event);
    for (const check of [...waiters]) check();
  });
  const count = (predicate: (event: PushedEvent) => boolean, n: number, timeoutMs = 10_000) =>
    new Promise<PushedEvent[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${n} matching events; saw ${events.length} events`));
      }, timeoutMs);
      function check() {
        const matching = events.filter(predicate);
        if (matching.length < n) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(matching);
      }
      waiters.add(check);
      check();
    });
  return {
    events,
    count,
    next: async (predicate, timeoutMs) => (await count(predicate, 1, timeoutMs))[0]!,
  };
}
