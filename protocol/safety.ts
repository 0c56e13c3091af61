/**
 * What the safety core's words mean (SPEC "Safety"): levels, rule actions and severities, tool
 * capability flags, the argument fields that never leave the daemon in clear, the entry points
 * enforcement checks, and the breaker and budget defaults. Shared by the schemas, the daemon and
 * the SDK; docs/safety.md explains them.
 */

export const SAFETY_LEVELS = ['safe', 'warning', 'blocked'] as const;
export type SafetyLevel = (typeof SAFETY_LEVELS)[number];

/**
 * What a matching rule does: `block` makes the text `blocked`; `warn` makes it a `warning`;
 * `redact` makes it a `warning` and replaces the match in what is stored and sent; `approve`
 * makes it a `warning` that, in a tool call's arguments, turns the call into an approval request.
 */
export const RULE_ACTIONS = ['block', 'warn', 'redact', 'approve'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type SafetySeverity = (typeof SEVERITIES)[number];
/** A validation's score is the sum of its findings' weights, capped at 1 (0 = nothing found). */
export const SEVERITY_WEIGHT: Record<SafetySeverity, number> = { low: 0.1, medium: 0.3, high: 0.6, critical: 1 };

/** The default rule set's categories; a rule set may use others. */
export const SAFETY_CATEGORIES = ['crisis', 'secret', 'personal_data', 'destructive', 'prompt_injection'] as const;

export const DIRECTIONS = ['input', 'output'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const TOOL_FLAGS = ['network', 'filesystem', 'shell'] as const;
export type ToolFlag = (typeof TOOL_FLAGS)[number];

/**
 * Object keys whose values are secrets wherever they appear (tool arguments, payloads): their
 * values are replaced by REDACTED before anything is stored, sent or logged. Matched
 * case-insensitively as a whole key or a `_`/`-` separated part (`api_key`, `X-Auth-Token`).
 */
export const REDACTED_FIELDS = ['api_key', 'apikey', 'token', 'password', 'passwd', 'secret', 'auth', 'authorization'] as const;
export const REDACTED = '[REDACTED]';

/**
 * The payload fields enforcement passes through the validator (SPEC "Safety"), per method. A
 * `list[].field` names that field of each item of a list param (each checked as `list[i].field`).
 */
export const ENFORCED_FIELDS = {
  'signal.send': ['payload'],
  'signal.broadcast': ['payload'],
  'approval.create': ['context'],
  'approval.request': ['context'],
  'outcome.record': ['output'],
  'event.publish': ['data'],
  'workflow.start': ['steps[].input'],
} as const;

/** Largest text safety.validate takes (characters). */
export const MAX_VALIDATE_CHARS = 256 * 1024;
/** Most rules one rule set may hold. */
export const MAX_RULES = 500;

/** A budget warns (a `budget.warning` event) once its use passes this fraction, and refuses at 1. */
export const BUDGET_WARN_FRACTION = 0.8;

/** Breaker settings a policy may override (SafetyPolicy.breakers). */
export const BREAKER_DEFAULTS = {
  /** Consecutive failures (failure or timeout outcomes) that open the breaker. */
  consecutiveFailures: 5,
  /** Or: an error rate above this percentage over windowSeconds, once minCalls were made. */
  errorRatePercent: 50,
  windowSeconds: 60,
  minCalls: 10,
  /** How long an open breaker refuses before it lets trial calls through (half-open). */
  coolDownSeconds: 30,
  /** Trial calls a half-open breaker lets through; all succeeding closes it, one failing opens it again. */
  halfOpenTrials: 3,
} as const;

/** Most audit entries one safety.audit may ask for. */
export const MAX_AUDIT_COUNT = 1000;
