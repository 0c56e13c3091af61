/**
 * The safety domain: the validator with its live rule set, enforcement on the payload entry points
 * (a call hook), the tool registry and policy, circuit breakers and budgets fed by outcomes, and
 * the audit trail. docs/safety.md says what each guarantees.
 */
import { ErrorCode, invalidParamsReason, RpcError } from '../../protocol/errors';
import type { MethodName } from '../../protocol/schemas';
import type { Handlers } from '../domain/context';
import type { DomainModule } from '../domain/module';
import { UserError } from '../../common/user-error';
import { BREAKER_DEFAULTS } from '../../protocol/safety';
import { AuditTrail } from './audit';
import { breakerGate } from './breakers';
import { budgetGate } from './budgets';
import { Enforcement } from './enforcement';
import { ruleHandlers } from './handlers-rules';
import { LiveRules } from './live-rules';
import { outcomeFedParts } from './outcome-feed';
import { policyPart } from './policy/policy-part';

const SAFETY_METHODS = [
  'policy.get',
  'policy.set',
  'policy.check',
  'tool.register',
  'tool.list',
  'tool.deprecate',
] as const satisfies readonly MethodName[];

export const safetyModule: DomainModule = {
  name: 'safety',
  create(deps) {
    // Being built (issue #9): each method answers -32601 until its part lands.
    const notYet = () => Promise.reject(new RpcError(ErrorCode.MethodNotFound, 'not built yet'));
    const stubs = Object.fromEntries(SAFETY_METHODS.map((method) => [method, notYet])) as Partial<Handlers>;
    const audit = new AuditTrail(deps);
    const rules = new LiveRules(deps);
    // Breaker settings: the live policy's `breakers` over the defaults, read at every breaker script call.
    const fed = outcomeFedParts(deps, audit, () => ({ ...BREAKER_DEFAULTS, ...policy.live().breakers }));
    // The budget gate first: a call it refuses takes no half-open trial slot.
    const gates = [budgetGate(fed.budgets), breakerGate(fed.breakers)];
    const policy = policyPart(deps, { audit, gates, liveRules: () => rules.current });
    return {
      handlers: { ...stubs, ...ruleHandlers(rules, audit), ...policy.handlers, ...fed.handlers },
      channels: [
        {
          name: deps.keys.channels.safety,
          topics: () => ['safety'],
          wake: (frame) => {
            rules.onFrame(frame);
            policy.onFrame(frame);
          },
          wakeAll: () => {
            rules.syncQuietly();
            policy.onResubscribed();
          },
        },
      ],
      sweeps: [() => rules.sweep(), () => policy.sweep(), fed.sweep],
      gauges: fed.gauges,
      hooks: [...(deps.safety.enforcement ? [new Enforcement(rules, audit)] : []), fed.hook],
      async start() {
        await rules.sync();
        await policy.start();
        const start = deps.safety.startRules;
        if (start) await applyStartRules(rules, start.rules, start.by);
      },
    };
  },
};

/** --safety-rules FILE: made live when it differs from the live set; a bad rule stops the start. */
async function applyStartRules(rules: LiveRules, set: Parameters<LiveRules['replace']>[0], by: string): Promise<void> {
  const live = await rules.read();
  if (JSON.stringify(live.rules) === JSON.stringify(set)) return;
  try {
    await rules.replace(set, live.version, by);
  } catch (error) {
    if (error instanceof RpcError && error.code === ErrorCode.InvalidParams) throw new UserError(`${by}: ${invalidParamsReason(error)}`);
    throw error;
  }
}
