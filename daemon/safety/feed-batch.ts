/**
 * The outcomes one event-loop turn feeds to breakers or budgets, as one script call answering the
 * transitions it made ("<event type>", "<JSON>" pairs), which are then audited and announced
 * (AuditTrail: the entry and its event in one step, so whoever sees the event can read the entry).
 * Feeding never waits and never throws: a failed script call (Redis down) is counted as lost.
 */
import { TickBatch } from '../store/tick-batch';

export type Item = (string | number)[];

export class FeedBatch {
  /** Feeds whose script call failed: those outcomes never reached their breakers or budgets. */
  lost = 0;
  private readonly batch: TickBatch<Item>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(run: (values: Item) => Promise<unknown>, announce: (changes: string[]) => Promise<unknown>, perBatch: number) {
    this.batch = new TickBatch(async (items) => {
      const changes = (await run(items.flat())) as string[];
      await announce(changes);
      return items.map(() => null);
    }, perBatch);
  }

  add(item: Item): void {
    const done: Promise<void> = this.batch.add(item).then(
      () => this.inFlight.delete(done),
      () => {
        this.lost++;
        this.inFlight.delete(done);
      },
    ) as Promise<void>;
    this.inFlight.add(done);
  }

  /** Sends what is gathered now: a read after it sees every outcome fed before. */
  flush(): void {
    this.batch.flush();
  }

  /** Resolves once every outcome fed so far has had its effect, audit entries included. */
  async settled(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
  }
}
