/** Every RPC method with its params and result types: the one table the daemon, SDK and CLI share. */
import { EVENT_STREAM_MAXLEN } from './limits';
import type { MethodName, ParamsOf } from './schemas';
import type {
  AgentStatus,
  RouteCandidate,
  Approval,
  AuditEntry,
  BarrierInfo,
  BarrierResult,
  Lock,
  Permit,
  QuotaResult,
  RateLimitResult,
  SemaphoreInfo,
  Breaker,
  Budget,
  FeedbackRecorded,
  FeedbackStats,
  HelloResult,
  Job,
  OutcomeEvent,
  OutcomeStatsResult,
  OutcomeTimeline,
  Page,
  PolicyDecision,
  PolicyDocument,
  QueueStats,
  QueueSummary,
  RuleSet,
  Signal,
  StreamEvent,
  TierRecommendation,
  ToolSpec,
  ValidationResult,
  Workflow,
  WorkflowSummary,
} from './types';

interface Results {
  hello: HelloResult;
  'agent.start': AgentStatus;
  'agent.beat': AgentStatus;
  'agent.stop': AgentStatus;
  'agent.get': AgentStatus | null;
  'agent.list': AgentStatus[];
  'agent.stale': AgentStatus[];
  'signal.send': Signal;
  'signal.broadcast': Signal;
  'signal.wait': Signal | null;
  'signal.check': Signal | null;
  'signal.pending': Signal[];
  'signal.clear': { cleared: number };
  'approval.create': Approval;
  'approval.request': Approval;
  'approval.wait': Approval;
  'approval.respond': Approval;
  'approval.pending': Approval[];
  'approval.get': Approval | null;
  'event.publish': { id: string };
  'event.recent': StreamEvent[];
  /** Extension to SPEC §4: every event type published so far. */
  'event.types': string[];
  subscribe: { subscriptionId: string };
  unsubscribe: { unsubscribed: boolean };
  'queue.enqueue': Job;
  /** A Job or null; an array of Jobs (maybe empty) when called with `count`. */
  'queue.receive': Job | null | Job[];
  'queue.extend': Job;
  'queue.ack': Job;
  'queue.nack': Job;
  'queue.release': Job;
  'queue.stats': QueueStats;
  'queue.list': QueueSummary[];
  'queue.dead': Job[];
  'queue.replay': Job;
  'queue.purge': { removed: number };
  'queue.configure': QueueStats;
  'outcome.record': OutcomeEvent;
  'outcome.recent': OutcomeEvent[];
  'outcome.stats': OutcomeStatsResult;
  'outcome.timeline': OutcomeTimeline;
  'safety.validate': ValidationResult;
  'safety.rules.get': RuleSet;
  'safety.rules.set': { version: number };
  'safety.audit': AuditEntry[];
  'policy.get': PolicyDocument;
  'policy.set': { version: number };
  'policy.check': PolicyDecision;
  'breaker.list': Breaker[];
  'breaker.reset': Breaker;
  'tool.register': ToolSpec;
  'tool.list': ToolSpec[];
  'tool.deprecate': ToolSpec;
  'budget.set': Budget;
  'budget.get': Budget | null;
  'budget.list': Budget[];
  'lock.acquire': Lock | null;
  'lock.renew': Lock;
  'lock.release': { released: true };
  'lock.list': Lock[];
  'semaphore.acquire': Permit | null;
  'semaphore.renew': Permit;
  'semaphore.release': { released: true };
  'semaphore.list': SemaphoreInfo[];
  'barrier.wait': BarrierResult;
  'ratelimit.take': RateLimitResult;
  'quota.take': QuotaResult;
  'feedback.record': FeedbackRecorded;
  'feedback.stats': FeedbackStats;
  'feedback.recommend': TierRecommendation;
  'workflow.start': Workflow;
  'workflow.get': Workflow | null;
  'workflow.list': WorkflowSummary[];
  'workflow.cancel': Workflow;
  'workflow.pause': Workflow;
  'workflow.resume': Workflow;
  'workflow.retryStep': Workflow;
  'dispatch.route': RouteCandidate[];
  'barrier.list': BarrierInfo[];
}

/** Listings that answer one Page instead of the whole array when called with `limit`: method → item. */
interface PagedItems {
  'agent.stale': AgentStatus;
  'signal.pending': Signal;
  'approval.pending': Approval;
  'event.types': string;
}

export type { MethodName, ParamsOf };
export type PagedMethod = keyof PagedItems;
/** The result of a call with these params: a Page for a paged listing given `limit`, else Results[M]. */
export type ResultOf<M extends MethodName, P = ParamsOf<M>> = M extends PagedMethod
  ? P extends { limit: number }
    ? Page<PagedItems[M]>
    : Results[M]
  : M extends 'queue.receive'
    ? P extends { count: number }
      ? Job[]
      : Job | null
    : Results[M];

interface MethodInfo {
  /**
   * Blocking methods (they wait for a change): the SDK gives them no client-side deadline shorter
   * than their own timeout. `waitMs`: blocking only when called with waitMs > 0.
   */
  blocking?: true | 'waitMs';
  /** The result, as docs/protocol.md shows it. */
  result: string;
  /** What it does, for docs/protocol.md. */
  doc: string;
}

/**
 * One entry per method: the SDK's namespaces, the blocking set and the generated docs come from
 * here, and `satisfies` makes a method without an entry (or an entry without a schema) a type error.
 */
export const METHODS = {
  hello: {
    result: '`{daemonVersion, protocolVersion, daemonId, limits}`',
    doc: 'Optional first call on a connection; a different major version is -32009. `limits` are the values of the table under Limits.',
  },
  'agent.start': { result: 'AgentStatus', doc: 'Registers an agent (or registers it again from scratch); status `starting`.' },
  'agent.beat': { result: 'AgentStatus', doc: 'Heartbeat: pushes the deadline out by the ttl. Unknown agent -32002; stopped agent -32003; an expired agent is revived.' },
  'agent.stop': { result: 'AgentStatus', doc: 'Ends the agent with its final status. Already stopped -32003.' },
  'agent.get': { result: 'AgentStatus \\| null', doc: 'One agent; records of ended agents are kept 1 hour.' },
  'agent.list': { result: 'AgentStatus[]', doc: 'Alive agents plus those ended or expired in the last 10 minutes; one consistent snapshot.' },
  'agent.stale': { result: 'AgentStatus[], or Page with `limit`', doc: 'Alive agents whose last beat is older than the threshold, longest silent first.' },
  'signal.send': { result: 'Signal', doc: 'A signal for one agent.' },
  'signal.broadcast': { result: 'Signal', doc: 'A signal (target `"*"`) every agent may consume once, for itself; not delivered to its sender.' },
  'signal.wait': { blocking: true, result: 'Signal \\| null', doc: 'Blocks until a matching signal arrives (woken by push) or the timeout passes (null). Works as an HTTP long poll.' },
  'signal.check': { result: 'Signal \\| null', doc: 'The oldest matching signal, without waiting.' },
  'signal.pending': { result: 'Signal[], or Page with `limit`', doc: 'Every signal the agent could still take, oldest first.' },
  'signal.clear': { result: '`{cleared}`', doc: 'Drops pending signals (broadcasts only for this agent).' },
  'approval.create': { result: 'Approval', doc: 'Files a pending request.' },
  'approval.request': { blocking: true, result: 'Approval', doc: 'create + wait until decided or expired (expiry is a rejection: status `expired`).' },
  'approval.wait': { blocking: true, result: 'Approval', doc: 'Waits for a decision; answers with the request as it stands at the timeout. Unknown id -32002.' },
  'approval.respond': { result: 'Approval', doc: 'The one answer a request gets; a second is -32003, an unknown id -32002.' },
  'approval.pending': { result: 'Approval[], or Page with `limit`', doc: 'Pending requests, soonest to expire first.' },
  'approval.get': { result: 'Approval \\| null', doc: 'One request; decided requests are kept 7 days.' },
  'event.publish': { result: '`{id}`', doc: `Appends to the type's Redis Stream (capped near ${EVENT_STREAM_MAXLEN} entries) and pushes to \`events:<type>\`.` },
  'event.recent': { result: 'Event[]', doc: 'Recent events of one type, newest last.' },
  'event.types': { result: 'string[], or Page with `limit`', doc: '*Extension to SPEC §4*: the event types published within `eventRetentionMs`, by name (for the CLI and the Events view).' },
  subscribe: { result: '`{subscriptionId}`', doc: 'WebSocket only: pushes `event` notifications for the topics.' },
  unsubscribe: { result: '`{unsubscribed: true}`', doc: "Ends one of this connection's subscriptions; another's is -32002." },
  'queue.enqueue': {
    result: 'Job',
    doc: 'Adds a job (state `waiting`, or `delayed` with delayMs). The same jobId while that job exists answers it unchanged. Over maxLength -32006.',
  },
  'queue.receive': {
    blocking: 'waitMs',
    result: 'Job \\| null, or Job[] with `count`',
    doc: 'Takes the next jobs (high, then normal, then low; FIFO within) and makes them invisible for visibilityMs; each delivery gets a new receipt and attempts + 1. With waitMs it blocks until a job arrives (woken by push, from any daemon). From a capability queue (`cap:…`, workflow steps naming a capability) only a live agent advertising it, with its agent id as consumer (-32602 otherwise).',
  },
  'queue.extend': { result: 'Job', doc: 'Pushes visibleUntil out (lease extension). A stale receipt -32003, an unknown job -32002.' },
  'queue.ack': { result: 'Job', doc: 'Completes the delivery (state `completed`, with result). A stale receipt -32003 and nothing changes.' },
  'queue.nack': {
    result: 'Job',
    doc: 'Fails the delivery: the job waits its backoff (`delayed`) and is delivered again, or goes `dead` after maxAttempts (or at once with retry false). A stale receipt -32003.',
  },
  'queue.release': {
    result: 'Job',
    doc: '*Extension to SPEC §4*: hands a delivery back undone (a stopping worker\'s prefetched jobs): the job waits at the head of its line and the delivery does not count as an attempt. A stale receipt -32003.',
  },
  'queue.stats': { result: 'QueueStats', doc: 'Counts by state (waiting by priority).' },
  'queue.list': { result: 'QueueSummary[]', doc: 'Every queue with its counts, by name.' },
  'queue.dead': { result: 'Job[]', doc: 'Dead jobs with their lastError, most recently dead first.' },
  'queue.replay': { result: 'Job', doc: 'A dead job waits again with a fresh set of attempts. Not dead -32003.' },
  'queue.purge': { result: '`{removed}`', doc: 'Removes every job in one state (dead, completed, waiting or delayed).' },
  'queue.configure': { result: 'QueueStats', doc: "*Extension to SPEC §4*: sets the queue's maxLength (else the daemon's maxQueueLength)." },
  'outcome.record': {
    result: 'OutcomeEvent',
    doc: 'Records what an agent action did: appended to the capped outcomes stream, counted in the agent\'s rolling stats, pushed on `outcomes`; may raise or clear the agent\'s failure-rate alert. A repeated eventId answers the first record.',
  },
  'outcome.recent': { result: 'OutcomeEvent[]', doc: 'Recent outcomes matching every filter given, newest last (from the newest ~10 000 of all agents).' },
  'outcome.stats': {
    result: 'OutcomeStatsResult',
    doc: 'Per agent with outcomes in the window (by name) and for the fleet: count, rates, duration percentiles (from a log histogram, within 4.5 %), tokens, cost.',
  },
  'outcome.timeline': {
    result: 'OutcomeTimeline',
    doc: "*Extension to SPEC §4*: per agent with outcomes in the window, each step's count, errors, p95 duration, tokens and cost, oldest first (from the 10 s stats buckets): a dashboard's history.",
  },
  'safety.validate': {
    result: 'ValidationResult',
    doc: 'Runs the live rule set over the text: level (safe, warning, blocked), findings with UTF-16 spans, the redacted text, a safe alternative. Changes nothing.',
  },
  'safety.rules.get': { result: 'RuleSet', doc: 'The live rule set and its version (0: the built-in default set).' },
  'safety.rules.set': {
    result: '`{version}`',
    doc: 'Replaces the rule set if expectedVersion is the live version (else -32003); every daemon applies it within 1 s. An invalid set is refused whole (-32602 naming the rule and why) and the old one stays.',
  },
  'safety.audit': { result: 'AuditEntry[]', doc: 'The audit trail (decisions and changes, never the content), newest last.' },
  'policy.get': { result: 'PolicyDocument', doc: 'The tool policy and its version (0: the built-in default).' },
  'policy.set': { result: '`{version}`', doc: 'Replaces the policy if expectedVersion is the live version (else -32003); refused whole when invalid.' },
  'policy.check': {
    result: 'PolicyDecision',
    doc: "Whether the agent may call the tool now: the policy entry, the tool registry, the argument rules and validator, the rate limit (takes a token), open breakers and spent budgets. An allowed call's token is taken.",
  },
  'breaker.list': { result: 'Breaker[]', doc: 'Every circuit breaker that has seen a failure, by name.' },
  'breaker.reset': { result: 'Breaker', doc: 'Closes the breaker and clears its counts. Unknown name -32002.' },
  'tool.register': { result: 'ToolSpec', doc: 'Registers (or re-registers, active again) a tool version with its argument schema and capability flags.' },
  'tool.list': { result: 'ToolSpec[]', doc: 'Every registered tool version, by name then version.' },
  'tool.deprecate': { result: 'ToolSpec', doc: 'Marks a tool version deprecated: policy.check refuses it. Unknown -32002.' },
  'budget.set': { result: 'Budget', doc: 'Sets the token and/or cost budget (at least one) of an agent or workflow per period (fed by outcomes; periods aligned to epoch multiples).' },
  'budget.get': { result: 'Budget \\| null', doc: "One budget with this period's use." },
  'budget.list': { result: 'Budget[]', doc: '*Extension to SPEC §4*: every budget with its use, by scope.' },
  'lock.acquire': {
    blocking: 'waitMs',
    result: 'Lock \\| null',
    doc: 'Takes the lock for ttlMs, with a fencing token larger than any earlier grant of the name; null when held (after waitMs, woken by push when it is released or expires). Not reentrant.',
  },
  'lock.renew': { result: 'Lock', doc: 'Pushes the lease out to now + ttlMs. Not the current holder and token (expired, or granted again since) -32003, nothing changes.' },
  'lock.release': { result: '`{released: true}`', doc: 'Frees the lock and wakes its waiters. Not the current holder and token -32003, nothing changes.' },
  'lock.list': { result: 'Lock[]', doc: 'Every lock held now, by name.' },
  'semaphore.acquire': {
    blocking: 'waitMs',
    result: 'Permit \\| null',
    doc: 'One of `limit` permits for ttlMs; null when all are held (after waitMs, woken by push). Expired permits return by themselves.',
  },
  'semaphore.renew': { result: 'Permit', doc: '*Extension to SPEC §4*: pushes the permit out to now + ttlMs. Expired or released -32003.' },
  'semaphore.release': { result: '`{released: true}`', doc: 'Returns the permit and wakes a waiter. Expired or released -32003.' },
  'semaphore.list': { result: 'SemaphoreInfo[]', doc: '*Extension to SPEC §4*: every semaphore with permits held, with its holders, by name.' },
  'barrier.wait': {
    blocking: true,
    result: 'BarrierResult',
    doc: 'Arrives and waits until `parties` have arrived (released true for all of them, and the barrier is reusable) or the timeout passes (released false; the arrival is withdrawn). Another parties count than the waiting ones -32003.',
  },
  'ratelimit.take': {
    result: 'RateLimitResult',
    doc: 'Takes cost tokens from a token bucket in Redis (refilled at rate per second up to burst, on the Redis clock) shared by every daemon.',
  },
  'quota.take': {
    result: 'QuotaResult',
    doc: '*Extension to SPEC §4*: takes cost units of a quota of `limit` per period, over fixed periods or a sliding window, shared by every daemon.',
  },
  'feedback.record': { result: 'FeedbackRecorded', doc: "Counts a quality score in today's bucket of the workflow stage and tier (kept 7 days)." },
  'feedback.stats': { result: 'FeedbackStats', doc: 'avg, min, max, count and trend of the scores of the last 7 days (nulls and count 0 without any).' },
  'feedback.recommend': {
    result: 'TierRecommendation',
    doc: 'Upgrade when avg < 0.7; downgrade when avg > 0.9 and the lower tier averages > 0.85; else keep. Confidence min(1, count / 20).',
  },
  'workflow.start': {
    result: 'Workflow',
    doc: 'Starts a DAG of steps, each a job on its queue once its dependencies completed (payload `{workflowId, step, input, results}`). A step names a `queue` or a `capability` `{name, version?}` (its job goes to `cap:<name>[@<version>]`, which only live agents advertising it receive from). A cycle, an unknown or repeated name, a step with both or neither of queue and capability, or a capability no live agent advertises is -32602 naming the step; inputs pass safety enforcement; an existing workflowId answers that workflow.',
  },
  'workflow.get': { result: 'Workflow \\| null', doc: 'One workflow with the state, result or error of every step.' },
  'workflow.list': { result: 'WorkflowSummary[]', doc: 'Workflows newest first, without their steps.' },
  'workflow.cancel': { result: 'Workflow', doc: 'Ends a running or paused workflow: waiting steps leave their queues, running ones are recorded but advance nothing. Ended -32003.' },
  'workflow.pause': { result: 'Workflow', doc: '*Extension to SPEC §4*: no further step is enqueued until resume (queued and running steps go on). Not running -32003.' },
  'workflow.resume': { result: 'Workflow', doc: '*Extension to SPEC §4*: enqueues the steps that became ready while paused. Not paused -32003.' },
  'workflow.retryStep': {
    result: 'Workflow',
    doc: '*Extension to SPEC §4*: runs a failed, cancelled or skipped step again and reopens the workflow; completed steps never run again. Other states -32003.',
  },
  'dispatch.route': {
    result: 'RouteCandidate[]',
    doc: '*Extension to SPEC §4*: live agents advertising the capability (and version), best first, each with its score (queue depth 30 %, heartbeat age 40 %, success rate 30 % by default) and why; none → [].',
  },
  'barrier.list': { result: 'BarrierInfo[]', doc: '*Extension to SPEC §4*: every barrier with parties waiting now (arrived of parties, its generation), by name.' },
} as const satisfies Record<MethodName, MethodInfo>;

/** Method prefixes that become SDK namespaces (`agent.start` → `client.agents.start`): one line per domain. */
export const NAMESPACES = {
  agent: 'agents',
  signal: 'signals',
  approval: 'approvals',
  event: 'events',
  queue: 'queues',
  outcome: 'outcomes',
  safety: 'safety',
  policy: 'policy',
  breaker: 'breakers',
  tool: 'tools',
  budget: 'budgets',
  lock: 'locks',
  semaphore: 'semaphores',
  barrier: 'barriers',
  ratelimit: 'ratelimits',
  quota: 'quotas',
  feedback: 'feedback',
  workflow: 'workflows',
  dispatch: 'routing',
} as const;

/** Every method name at run time (the SDK builds its namespaces from it without loading the schemas). */
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export const BLOCKING_METHODS: ReadonlySet<string> = new Set(
  METHOD_NAMES.filter((method) => (METHODS[method] as MethodInfo).blocking),
);

/** Methods blocking only with waitMs > 0 (queue.receive, lock.acquire, semaphore.acquire). */
export const WAIT_MS_METHODS: ReadonlySet<string> = new Set(METHOD_NAMES.filter((method) => (METHODS[method] as MethodInfo).blocking === 'waitMs'));

/**
 * Whether a call may wait for a change: a blocking method, except one of WAIT_MS_METHODS without
 * `waitMs`, which answers at once (it must not count as parked, nor leave the connection's
 * in-flight count, as a waiting call does).
 */
export function isBlockingCall(method: string, params: unknown): boolean {
  if (!BLOCKING_METHODS.has(method)) return false;
  if (!WAIT_MS_METHODS.has(method)) return true;
  const waitMs = (params as { waitMs?: unknown } | undefined)?.waitMs;
  return typeof waitMs === 'number' && waitMs > 0;
}
