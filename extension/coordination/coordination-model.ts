/**
 * What the editor knows of the coordination primitives held or waited on now: locks with their
 * holder and fencing token, semaphores with their permits, barriers with their arrivals. A
 * snapshot (lock.list, semaphore.list, barrier.list) and the `coordination` pushes on top. Plain
 * TypeScript (no vscode import) so it is tested in Node. Changes are coalesced and handed to
 * listeners at most every `flushMs`, naming the rows that changed.
 */
import type { BarrierInfo, Lock, PushedEvent, SemaphoreInfo } from '../../protocol/types';
import { ChangeBatcher } from '../model/change-batcher';

export type CoordinationEvent = Extract<PushedEvent, { topic: 'coordination' }>;

/** A row's key: its kind and name ("lock:deploy"). */
export type RowKey = `${'lock' | 'semaphore' | 'barrier'}:${string}`;

export interface CoordinationSnapshot {
  locks: Lock[];
  semaphores: SemaphoreInfo[];
  barriers: BarrierInfo[];
}

export interface CoordinationChange {
  /** Rows whose content changed, or 'all' after a snapshot. */
  rows: Set<RowKey> | 'all';
}

export class CoordinationModel {
  readonly locks = new Map<string, Lock>();
  /** Semaphore → its limit and permits by id. */
  readonly semaphores = new Map<string, { limit: number; holders: Map<string, SemaphoreInfo['holders'][number]> }>();
  readonly barriers = new Map<string, BarrierInfo>();

  /** Pushes applied, counted; and those applied since the oldest snapshot still on its way (to replay on its answer). */
  private pushes = 0;
  private log: { at: number; event: CoordinationEvent }[] = [];
  /** Snapshots asked for (a mark each, rising) and still on their way: mark → the push count then. */
  private marks = 0;
  private readonly outstanding = new Map<number, number>();
  private appliedMark = 0;

  private readonly changes: ChangeBatcher<CoordinationChange>;

  constructor(flushMs = 100) {
    this.changes = new ChangeBatcher<CoordinationChange>(() => ({ rows: new Set() }), flushMs);
  }

  onDidChange(listener: (change: CoordinationChange) => void): { dispose(): void } {
    return this.changes.onDidChange(listener);
  }

  isEmpty(): boolean {
    return this.locks.size === 0 && this.semaphores.size === 0 && this.barriers.size === 0;
  }

  /** One semaphore as the listing gives it, its holders by when their permits end. */
  semaphore(name: string): SemaphoreInfo | undefined {
    const semaphore = this.semaphores.get(name);
    return semaphore && { name, limit: semaphore.limit, holders: [...semaphore.holders.values()].sort((a, b) => a.expiresAt - b.expiresAt) };
  }

  /** A mark to take just before asking for a snapshot, and to hand to `applySnapshot` with its answer. */
  mark(): number {
    this.outstanding.set(++this.marks, this.pushes);
    return this.marks;
  }

  /**
   * The three listings, asked for at `mark`. The pushes that came after the mark are applied again
   * on top, in order: the daemon may have read a listing before or after any of them, and each
   * push sets (or clears) the whole state of what it names, so replaying them leaves each lock,
   * permit and barrier as its latest push says. An answer older than one applied already is dropped.
   */
  applySnapshot(snapshot: CoordinationSnapshot, mark: number): void {
    const since = this.outstanding.get(mark) ?? this.pushes;
    const replay = this.log.filter((entry) => entry.at > since).map((entry) => entry.event);
    this.abandon(mark);
    if (mark < this.appliedMark) return;
    this.appliedMark = mark;
    this.locks.clear();
    this.semaphores.clear();
    this.barriers.clear();
    for (const lock of snapshot.locks) this.locks.set(lock.name, lock);
    for (const { name, limit, holders } of snapshot.semaphores) this.semaphores.set(name, { limit, holders: new Map(holders.map((h) => [h.permitId, h])) });
    for (const barrier of snapshot.barriers) this.barriers.set(barrier.name, barrier);
    for (const event of replay) this.apply(event);
    this.changes.pending.rows = 'all';
    this.changes.schedule();
  }

  /** The snapshot asked for at `mark` will not come (it failed, or its client was replaced). */
  abandon(mark: number): void {
    this.outstanding.delete(mark);
    const oldest = Math.min(...this.outstanding.values());
    this.log = this.log.filter((entry) => entry.at > oldest);
  }

  applyEvent(event: CoordinationEvent): void {
    this.pushes++;
    if (this.outstanding.size > 0) this.log.push({ at: this.pushes, event });
    const row = this.apply(event);
    const { pending } = this.changes;
    if (pending.rows !== 'all') pending.rows.add(row);
    this.changes.schedule();
  }

  /** Emits the coalesced change now (tests; and the timer). */
  flush(): void {
    this.changes.flush();
  }

  dispose(): void {
    this.changes.dispose();
  }

  private apply(event: CoordinationEvent): RowKey {
    switch (event.type) {
      case 'lock.acquired':
      case 'lock.renewed':
        this.locks.set(event.data.name, event.data);
        return `lock:${event.data.name}`;
      case 'lock.released':
      case 'lock.expired': {
        // An older grant's end says nothing about a newer grant of the name.
        const held = this.locks.get(event.data.name);
        if (held && held.fencingToken <= event.data.fencingToken) this.locks.delete(event.data.name);
        return `lock:${event.data.name}`;
      }
      case 'semaphore.acquired':
      case 'semaphore.renewed': {
        const { name, permitId, owner, expiresAt, limit } = event.data;
        const semaphore = this.semaphores.get(name) ?? { limit, holders: new Map() };
        semaphore.limit = limit;
        semaphore.holders.set(permitId, { permitId, owner, expiresAt });
        this.semaphores.set(name, semaphore);
        return `semaphore:${name}`;
      }
      case 'semaphore.released':
      case 'semaphore.expired': {
        const semaphore = this.semaphores.get(event.data.name);
        semaphore?.holders.delete(event.data.permitId);
        if (semaphore?.holders.size === 0) this.semaphores.delete(event.data.name);
        return `semaphore:${event.data.name}`;
      }
      case 'barrier.arrived':
      case 'barrier.timedout':
        // A generation's state is in each of its events; one whose waiters all gave up is gone.
        if (event.data.arrived > 0) this.barriers.set(event.data.name, event.data);
        else this.barriers.delete(event.data.name);
        return `barrier:${event.data.name}`;
      case 'barrier.released':
        this.barriers.delete(event.data.name);
        return `barrier:${event.data.name}`;
    }
  }
}
