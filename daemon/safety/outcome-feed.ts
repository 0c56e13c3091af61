/**
 * What breakers and budgets give the safety module: their handlers, the call hook that feeds them
 * from every outcome.record that succeeded (after its reply, without holding it up), and the sweep
 * that turns open breakers half-open.
 */
import type { ParamsOf } from '../../protocol/methods';
import { ERROR_STATUSES } from '../../protocol/outcome';
import type { CallHook } from '../domain/call-hook';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import type { Sweep } from '../domain/module';
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
      after({ method, params }) {
        if (method !== 'outcome.record') return;
        const p = params as ParamsOf<'outcome.record'>;
        breakers.feed(p.agentName, p.actionType, ERROR_STATUSES.includes(p.status));
        budgets.feed(p.agentName, p.workflowId, p.tokensUsed ?? 0, p.costUsd ?? 0);
      },
    },
    sweep: () => breakers.sweep(),
  };
}
