/**
 * The safety domain: the validator with its live rule set, enforcement on the payload entry points
 * (a call hook), the tool registry and policy, circuit breakers and budgets fed by outcomes, and
 * the audit trail. docs/safety.md says what each guarantees.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { MethodName } from '../../protocol/schemas';
import type { Handlers } from '../domain/context';
import type { DomainModule } from '../domain/module';
import { AuditTrail } from './audit';
import { policyPart } from './policy/policy-part';
import { DEFAULT_RULES } from './validator/default-rules';
import { compileRules } from './validator/validator';

const SAFETY_METHODS = [
  'safety.validate',
  'safety.rules.get',
  'safety.rules.set',
  'safety.audit',
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
    // Until the rules part lands: the default rule set stands for the live one, and no gate yet.
    const defaultRules = compileRules(DEFAULT_RULES, 0);
    const policy = policyPart(deps, { audit, gates: [], liveRules: () => defaultRules });
    return {
      handlers: { ...stubs, ...policy.handlers },
      channels: [
        {
          name: deps.keys.channels.safety,
          topics: () => ['safety'],
          wake: (frame) => policy.onFrame(frame),
          wakeAll: () => policy.onResubscribed(),
        },
      ],
      sweeps: [() => policy.sweep()],
      start: () => policy.start(),
    };
  },
};
