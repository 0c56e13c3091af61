/**
 * Token and cost budgets per agent (`agent:<name>`) and per workflow (`workflow:<id>`) over a
 * period, fed by outcome.record (docs/safety.md "Circuit breakers and budgets"). The outcomes of one event-loop
 * turn add to their budgets in one script call; the warnings and refusals it answers are then
 * audited and announced together.
 */
import { RpcError, ErrorCode } from '../../protocol/errors';
import type { ParamsOf } from '../../protocol/methods';
import { BUDGET_WARN_FRACTION } from '../../protocol/safety';
import type { Budget } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import { COST_UNITS_PER_USD } from '../store/outcome-buckets';
import { scripts } from '../store/scripts';
import type { AuditTrail } from './audit';
import { FeedBatch } from './feed-batch';
import type { PolicyGate } from './policy-gate';

/** Outcomes per script call at most (each feeds up to two budgets). */
const PER_BATCH = 256;

export class Budgets {
  readonly batch: FeedBatch;

  /** @param clock epoch ms for tests; absent, the scripts use the Redis server's clock */
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly clock?: () => number,
  ) {
    this.batch = new FeedBatch(
      (values) => scripts.budgetsRecord.run(deps.redis, this.keys(), this.args(), values),
      (changes) => this.announce(changes),
      PER_BATCH,
    );
  }

  /** Adds one outcome's use to its agent's and workflow's budgets; never waits, never throws. */
  feed(agentName: string, workflowId: string | undefined, tokens: number, costUsd: number): void {
    if (tokens <= 0 && costUsd <= 0) return;
    const cost = Math.round(costUsd * COST_UNITS_PER_USD);
    const item: (string | number)[] = [`agent:${agentName}`, tokens, cost];
    if (workflowId !== undefined) item.push(`workflow:${workflowId}`, tokens, cost);
    this.batch.add(item);
  }

  async set(p: ParamsOf<'budget.set'>, by: string): Promise<Budget> {
    if (p.tokens === undefined && p.costUsd === undefined) {
      throw new RpcError(ErrorCode.InvalidParams, 'invalid params: a budget needs tokens or costUsd (or both)', { field: 'tokens', rule: 'tokensOrCost' });
    }
    this.batch.flush();
    const [json, ...changes] = (await scripts.budgetSet.run(this.deps.redis, this.keys(), {
      ...this.args(),
      scope: p.scope,
      tokens: p.tokens ?? '',
      costUnits: p.costUsd === undefined ? '' : Math.round(p.costUsd * COST_UNITS_PER_USD),
      periodMs: p.periodSeconds * 1000,
    })) as string[];
    const budget = JSON.parse(json!) as Budget;
    const detail = { by, tokens: p.tokens, costUsd: p.costUsd, periodSeconds: p.periodSeconds };
    await Promise.all([
      this.audit.record({ kind: 'budget_set', subject: p.scope, detail }, { type: 'budget.changed', data: budget, key: p.scope }),
      this.announce(changes),
    ]);
    return budget;
  }

  /** The budgets of these scopes (null where none), or every budget by scope when none are named. */
  async read(scopes: string[] = []): Promise<(Budget | null)[]> {
    this.batch.flush(); // use fed before this call counts first
    const { now, prefix } = this.args();
    const json = (await scripts.budgetsRead.run(this.deps.redis, this.keys(), { prefix, now, warn: BUDGET_WARN_FRACTION }, scopes)) as (string | null)[];
    return json.map((text) => (text === null ? null : (JSON.parse(text) as Budget)));
  }

  private keys() {
    return { scopes: this.deps.keys.budgetScopes };
  }

  private args() {
    return { prefix: this.deps.keys.budgetPrefix, now: this.clock?.() ?? '', warn: BUDGET_WARN_FRACTION };
  }

  /** Audits and announces warnings and refusals, in order (one connection, sent at once). */
  private announce(changes: string[]): Promise<unknown> {
    const recorded: Promise<string>[] = [];
    for (let i = 0; i < changes.length; i += 2) {
      const type = changes[i] as 'budget.warning' | 'budget.exceeded';
      const budget = JSON.parse(changes[i + 1]!) as Budget;
      const detail = { used: budget.used, tokens: budget.tokens, costUsd: budget.costUsd, periodStart: budget.periodStart };
      recorded.push(this.audit.record({ kind: type.replace('.', '_'), subject: budget.scope, detail }, { type, data: budget, key: budget.scope }));
    }
    return Promise.all(recorded);
  }
}

/**
 * policy.check's budget gate: a call whose agent's or workflow's budget is spent in this period is
 * refused, or needs approval when the policy entry says overBudget "approve".
 */
export function budgetGate(budgets: Budgets): PolicyGate {
  return async (call) => {
    const scopes = [`agent:${call.agentId}`, ...(call.workflowId === undefined ? [] : [`workflow:${call.workflowId}`])];
    const spent = (await budgets.read(scopes)).find((budget) => budget?.state === 'exceeded');
    if (!spent) return null;
    const reason = `budget ${spent.scope} is spent for this period (until ${new Date(spent.periodStart + spent.periodSeconds * 1000).toISOString()})`;
    if (call.overBudget === 'approve') return { allowed: true, requiresApproval: true, reason, rule: 'budget' };
    return { allowed: false, requiresApproval: false, reason, rule: 'budget' };
  };
}
