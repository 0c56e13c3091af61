/**
 * SafetyGuard: a local view of the open circuit breakers and spent budgets, so that an
 * ActionDispatcher refuses a call that would be refused anyway without a round trip (and without
 * running the action). Loaded with breakers.list and budgets.list, kept current by the `safety`
 * topic, reloaded whenever pushes may have been missed (a reconnect, a seq gap).
 *
 * A half-open breaker is not refused here: its trial calls go through and the daemon counts their
 * outcomes. An open breaker whose retryAt has passed (by this machine's clock) is treated as
 * half-open before its event arrives.
 */
import { EventEmitter } from 'node:events';
import type { Breaker, Budget, PushedEvent } from '../protocol/types';
import type { SwitchboardClient, Subscription } from './client';

export class BreakerOpenError extends Error {
  override name = 'BreakerOpenError';
  constructor(
    readonly breaker: string,
    /** When the breaker lets trial calls through (epoch ms). */
    readonly retryAt: number | undefined,
  ) {
    super(`breaker ${breaker} is open${retryAt === undefined ? '' : ` until ${new Date(retryAt).toISOString()}`}`);
  }
}

export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError';
  constructor(
    readonly scope: string,
    /** When the period ends and the budget is whole again (epoch ms). */
    readonly resetsAt: number,
  ) {
    super(`budget ${scope} is spent until ${new Date(resetsAt).toISOString()}`);
  }
}

/** Emits `change` after each update of its view (a snapshot loaded, an event applied). */
export class SafetyGuard extends EventEmitter<{ change: [] }> {
  private readonly open = new Map<string, Breaker>();
  private readonly spent = new Map<string, Budget>();
  private subscription?: Subscription;
  /** Pushes that came while a snapshot was loading: applied on top of it. */
  private queued?: PushedEvent[];
  private loading: Promise<void> = Promise.resolve();

  private constructor(private readonly client: SwitchboardClient) {
    super();
  }

  /** Subscribes first, then loads the snapshot, so that no change falls between the two. */
  static async start(client: SwitchboardClient): Promise<SafetyGuard> {
    const guard = new SafetyGuard(client);
    guard.queued = [];
    guard.subscription = await client.subscribe(['safety'], (event) => guard.onEvent(event), { onResync: () => void guard.reload().catch(() => undefined) });
    await guard.reload();
    return guard;
  }

  /**
   * Why this call must not run now, or undefined. `tool` (name or name:version), when the action
   * calls one, is checked besides `actionType`: its breaker is the one policy.check consults.
   */
  refusal(agentName: string, actionType: string, workflowId?: string, tool?: string): BreakerOpenError | BudgetExceededError | undefined {
    const now = Date.now();
    const toolName = tool?.split(':')[0];
    const tools = toolName === undefined || toolName === actionType ? [actionType] : [actionType, toolName];
    for (const name of [`agent:${agentName}`, ...tools.map((t) => `tool:${t}`)]) {
      const breaker = this.open.get(name);
      if (breaker && (breaker.retryAt === undefined || breaker.retryAt > now)) return new BreakerOpenError(name, breaker.retryAt);
    }
    for (const scope of [`agent:${agentName}`, ...(workflowId === undefined ? [] : [`workflow:${workflowId}`])]) {
      const budget = this.spent.get(scope);
      const resetsAt = budget ? budget.periodStart + budget.periodSeconds * 1000 : 0;
      if (budget && resetsAt > now) return new BudgetExceededError(scope, resetsAt);
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.subscription?.unsubscribe();
  }

  /** Loads a snapshot after any still loading (a resync may come while the first one loads). */
  private reload(): Promise<void> {
    this.queued ??= [];
    const loaded = this.loading.then(() => this.load());
    this.loading = loaded.catch(() => undefined);
    return loaded;
  }

  private async load(): Promise<void> {
    this.queued ??= [];
    const [breakers, budgets] = await Promise.all([this.client.breakers.list(), this.client.budgets.list()]);
    this.open.clear();
    this.spent.clear();
    for (const breaker of breakers) this.applyBreaker(breaker);
    for (const budget of budgets) this.applyBudget(budget);
    const queued = this.queued;
    this.queued = undefined;
    for (const event of queued) this.apply(event);
    this.emit('change');
  }

  private onEvent(event: PushedEvent): void {
    if (this.queued) this.queued.push(event);
    else {
      this.apply(event);
      this.emit('change');
    }
  }

  private apply(event: PushedEvent): void {
    if (event.topic !== 'safety') return;
    switch (event.type) {
      case 'breaker.opened':
      case 'breaker.half_open':
      case 'breaker.closed':
        return this.applyBreaker(event.data);
      case 'budget.exceeded':
      case 'budget.changed':
        return this.applyBudget(event.data);
    }
  }

  private applyBreaker(breaker: Breaker): void {
    if (breaker.state === 'open') this.open.set(breaker.name, breaker);
    else this.open.delete(breaker.name);
  }

  private applyBudget(budget: Budget): void {
    if (budget.state === 'exceeded') this.spent.set(budget.scope, budget);
    else this.spent.delete(budget.scope);
  }
}
