/**
 * What the Safety view shows: recent blocked / warned / refused decisions, the circuit breakers
 * and the budgets, kept from a snapshot (`safety.audit`, `breaker.list`, `budget.list`) and the
 * `safety` topic's pushes after it. Plain TypeScript (no vscode import) so it is tested in Node.
 * Changes are coalesced and handed to listeners at most every `flushMs`, naming the groups that
 * changed and what was pushed that may deserve a notification (a snapshot never notifies: what
 * happened before the editor connected is in the view, not in a toast).
 */
import type { AuditEntry, Breaker, Budget, PushedEvent } from '../../protocol/types';
import { ChangeBatcher } from '../model/change-batcher';
import { fromAudit, fromDecision, fromDenied, type Incident } from './incidents';

export type SafetyEvent = Extract<PushedEvent, { topic: 'safety' }>;
export type SafetyGroup = 'incidents' | 'breakers' | 'budgets';
export const SAFETY_GROUPS: readonly SafetyGroup[] = ['incidents', 'breakers', 'budgets'];

/** The newest incidents kept (and asked of `safety.audit`): the view is a glance, the CLI's `audit` the record. */
export const INCIDENTS_SHOWN = 50;

export interface SafetySnapshot {
  /** Each part is undefined when the daemon could not answer it (an older daemon: -32601). */
  audit?: AuditEntry[];
  breakers?: Breaker[];
  budgets?: Budget[];
}

export interface SafetyChange {
  groups: Set<SafetyGroup>;
  /** Pushed since the last flush: blocked content, breakers that opened, budgets that crossed 80 % or 100 %. */
  blocked: Incident[];
  opened: Breaker[];
  crossed: Budget[];
  /** Versions pushed by `rules.changed` / `policy.changed` (the open documents compare theirs). */
  versions: { rules?: number; policy?: number };
}

export class SafetyModel {
  /** Newest first. */
  private list: Incident[] = [];
  readonly breakers = new Map<string, Breaker>();
  readonly budgets = new Map<string, Budget>();
  /** Groups whose method the daemon does not have: the view says so instead of "nothing yet". */
  readonly unavailable = new Set<SafetyGroup>();
  /** When each group was last loaded or pushed to (its tooltips say "as of"). */
  readonly asOf = new Map<SafetyGroup, number>();

  private readonly changes: ChangeBatcher<SafetyChange>;

  constructor(
    flushMs = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.changes = new ChangeBatcher(emptyChange, flushMs);
  }

  onDidChange(listener: (change: SafetyChange) => void): { dispose(): void } {
    return this.changes.onDidChange(listener);
  }

  incidents(): readonly Incident[] {
    return this.list;
  }

  breakerList(): Breaker[] {
    return [...this.breakers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  budgetList(): Budget[] {
    return [...this.budgets.values()].sort((a, b) => a.scope.localeCompare(b.scope));
  }

  applySnapshot(snapshot: SafetySnapshot): void {
    const at = this.now();
    const parts: [SafetyGroup, unknown[] | undefined][] = [['incidents', snapshot.audit], ['breakers', snapshot.breakers], ['budgets', snapshot.budgets]];
    for (const [group, part] of parts) {
      if (part === undefined) this.unavailable.add(group);
      else {
        this.unavailable.delete(group);
        this.asOf.set(group, at);
      }
      this.touch(group);
    }
    // The audit is the record; pushes that came while it loaded are merged in, not lost.
    if (snapshot.audit) this.merge(snapshot.audit.map(fromAudit).filter((incident) => incident !== undefined), true);
    if (snapshot.breakers) replace(this.breakers, snapshot.breakers, (breaker) => breaker.name);
    if (snapshot.budgets) replace(this.budgets, snapshot.budgets, (budget) => budget.scope);
  }

  applyEvent(event: SafetyEvent): void {
    switch (event.type) {
      case 'safety.blocked':
      case 'safety.warned': {
        const incident = fromDecision(event.type === 'safety.blocked' ? 'blocked' : 'warned', event.data);
        if (this.merge([incident], false) && incident.kind === 'blocked') this.pending.blocked.push(incident);
        return;
      }
      case 'policy.denied':
        this.merge([fromDenied(event.data)], false);
        return;
      case 'breaker.opened':
      case 'breaker.half_open':
      case 'breaker.closed':
        this.setBreaker(event.data);
        if (event.type === 'breaker.opened') this.pending.opened.push(event.data);
        return;
      case 'budget.warning':
      case 'budget.exceeded':
        this.budgets.set(event.data.scope, event.data);
        this.pending.crossed.push(event.data);
        this.pushed('budgets');
        return;
      case 'budget.changed':
        // Set anew (a raised limit): shown, not told.
        this.budgets.set(event.data.scope, event.data);
        this.pushed('budgets');
        return;
      case 'rules.changed':
        this.pending.versions.rules = event.data.newVersion;
        this.schedule();
        return;
      case 'policy.changed':
        this.pending.versions.policy = event.data.newVersion;
        this.schedule();
        return;
      default:
        // Tool registrations are not shown here.
        return;
    }
  }

  /** A breaker as the daemon answered it (a reset) or pushed it. */
  setBreaker(breaker: Breaker): void {
    this.breakers.set(breaker.name, breaker);
    this.pushed('breakers');
  }

  /** Emits the coalesced change now (tests; and the timer). */
  flush(): void {
    this.changes.flush();
  }

  dispose(): void {
    this.changes.dispose();
  }

  /** Adds incidents not listed yet, newest first, cut to INCIDENTS_SHOWN; true when any was new. */
  private merge(incidents: Incident[], snapshot: boolean): boolean {
    const known = new Set(this.list.map((incident) => incident.key));
    const fresh = incidents.filter((incident) => !known.has(incident.key));
    if (fresh.length === 0 && !snapshot) return false;
    this.list = [...this.list, ...fresh].sort((a, b) => b.ts - a.ts).slice(0, INCIDENTS_SHOWN);
    if (!snapshot) this.pushed('incidents');
    return fresh.length > 0;
  }

  private pushed(group: SafetyGroup): void {
    this.asOf.set(group, this.now());
    this.touch(group);
  }

  private touch(group: SafetyGroup): void {
    this.pending.groups.add(group);
    this.schedule();
  }

  private get pending(): SafetyChange {
    return this.changes.pending;
  }

  private schedule(): void {
    this.changes.schedule();
  }
}

function replace<T>(map: Map<string, T>, items: T[], keyOf: (item: T) => string): void {
  map.clear();
  for (const item of items) map.set(keyOf(item), item);
}

function emptyChange(): SafetyChange {
  return { groups: new Set(), blocked: [], opened: [], crossed: [], versions: {} };
}
