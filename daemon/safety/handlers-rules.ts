/** safety.validate, safety.rules.get / set and safety.audit: the validator and its live rules, and the audit trail. */
import type { Handlers } from '../domain/context';
import type { AuditTrail } from './audit';
import type { LiveRules } from './live-rules';
import { validate } from './validator/validator';

type RuleHandlers = Pick<Handlers, 'safety.validate' | 'safety.rules.get' | 'safety.rules.set' | 'safety.audit'>;

/** Entries safety.audit answers when no count is given. */
export const DEFAULT_AUDIT_COUNT = 100;

export function ruleHandlers(rules: LiveRules, audit: AuditTrail): RuleHandlers {
  return {
    // A dry run: nothing is audited or announced (enforcement audits what it decides).
    'safety.validate': async ({ text, agentId, direction }) => validate(rules.current, text, { agentId, direction }),
    'safety.rules.get': () => rules.read(),
    'safety.rules.set': async ({ rules: set, expectedVersion, by }) => ({ version: await rules.replace(set, expectedVersion, by) }),
    'safety.audit': ({ count, kind }) => audit.read(count ?? DEFAULT_AUDIT_COUNT, kind),
  };
}
