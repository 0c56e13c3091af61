/**
 * The safety domain: the validator with its live rule set, enforcement on the payload entry points
 * (a call hook), the tool registry and policy, circuit breakers and budgets fed by outcomes, and
 * the audit trail. docs/safety.md says what each guarantees.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { MethodName } from '../../protocol/schemas';
import type { Handlers } from '../domain/context';
import type { DomainModule } from '../domain/module';
import { UserError } from '../../common/user-error';
import { AuditTrail } from './audit';
import { Enforcement } from './enforcement';
import { ruleHandlers } from './handlers-rules';
import { LiveRules } from './live-rules';
import { policyPart } from './policy/policy-part';

const SAFETY_METHODS = [
  'policy.get',
  'policy.set',
  'policy.check',
  'breaker.list',
  'breaker.reset',
  'tool.register',
  'tool.list',
  'tool.deprecate',
  'budget.set',
  'budget.get',
  'budget.list',
] as const satisfies readonly MethodName[];

export const safetyModule: DomainModule = {
  name: 'safety',
  create(deps) {
    // Being built (issue #9): each method answers -32601 until its part lands.
    const notYet = () => Promise.reject(new RpcError(ErrorCode.MethodNotFound, 'not built yet'));
    const stubs = Object.fromEntries(SAFETY_METHODS.map((method) => [method, notYet])) as Partial<Handlers>;
    const audit = new AuditTrail(deps);
    const rules = new LiveRules(deps);
    const policy = policyPart(deps, { audit, gates: [], liveRules: () => rules.current });
    return {
      handlers: { ...stubs, ...ruleHandlers(rules, audit), ...policy.handlers },
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
      sweeps: [() => rules.sweep(), () => policy.sweep()],
      hooks: deps.safety.enforcement ? [new Enforcement(rules, audit)] : [],
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
    if (error instanceof RpcError && error.code === ErrorCode.InvalidParams) throw new UserError(`${by}: ${error.message.replace(/^invalid params: /, '')}`);
    throw error;
  }
}
