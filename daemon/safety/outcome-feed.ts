/**
 * What breakers and budgets give the safety module: their handlers, the call hook that feeds them
 * from every outcome.record that succeeded (after its reply, without holding it up), the sweep
 * that turns open breakers half-open, and their gauges.
 */
import type { ParamsOf } from '../../protocol/methods';
import { ERROR_STATUSES } from '../../protocol/outcome';
import type { CallHook } from '../domain/call-hook';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import type { DomainGauge, Sweep } from '../domain/module';
import { redisCall } from '../store/redis';
import type { AuditTrail } from './audit';
import { Breakers, type BreakerSettings } from './breakers';
import { Budgets } from './budgets';

type FeedHandlers = Pick<Handlers, 'breaker.list' | 'breaker.reset' | 'budget.set' | 'budget.get' | 'budget.list'>;

export interface OutcomeFedParts {
  breakers: Breakers;
  budgets: Budgets;
  handlers: FeedHandlers;
  hook: CallHook;
  sweep: Sweep;
  gauges: DomainGauge[];
}

export function outcomeFedParts(deps: Deps, audit: AuditTrail, settings: () => BreakerSettings): OutcomeFedParts {
  const breakers = new Breakers(deps, audit, settings);
  const budgets = new Budgets(deps, audit);
  return {
    breakers,
    budgets,
    handlers: {
      'breaker.list': () => breakers.list(),
      'breaker.reset': (p, ctx) => breakers.reset(p.name, ctx.session.client ?? ctx.transport),
      'budget.set': (p, ctx) => budgets.set(p, ctx.session.client ?? ctx.transport),
      'budget.get': async (p) => (await budgets.read([p.scope]))[0] ?? null,
      'budget.list': async () => (await budgets.read()).filter((budget) => budget !== null),
    },
    hook: {
      name: 'safety-outcome-feed',
      after({ method, params, ctx }) {
        if (method !== 'outcome.record' || ctx.repeated) return;
        const p = params as ParamsOf<'outcome.record'>;
        breakers.feed(p.agentName, p.actionType, ERROR_STATUSES.includes(p.status));
        budgets.feed(p.agentName, p.workflowId, p.tokensUsed ?? 0, p.costUsd ?? 0);
      },
    },
    sweep: () => breakers.sweep(),
    gauges: [
      {
        name: 'switchboard_breakers_open',
        help: 'Circuit breakers open now (all daemons on this Redis)',
        read: () => redisCall(deps.redis, () => deps.redis.zcard(deps.keys.breakersOpen)),
      },
      {
        name: 'switchboard_safety_feeds_lost',
        help: 'Outcomes this daemon could not feed to breakers and budgets (Redis unreachable), since it started',
        read: async () => breakers.batch.lost + budgets.batch.lost,
      },
    ],
  };
}
