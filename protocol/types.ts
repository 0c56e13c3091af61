/** Result shapes of the wire protocol (SPEC §4). Times are epoch milliseconds. */
import type { DaemonLimits } from './limits';
import type { OutcomeSeverity, OutcomeStatus } from './outcome';
import type { Direction, RuleAction, SafetyLevel, SafetySeverity, ToolFlag } from './safety';
import type { SafetyPolicyDoc, SafetyRuleDoc } from './schemas';
import type { Tier } from './tier';
import type { CapabilityRef } from './capability';

export type { OutcomeSeverity, OutcomeStatus };

export type AgentState = 'starting' | 'running' | 'completed' | 'failed' | 'cancelled' | 'expired';
export type FinalAgentState = 'completed' | 'failed' | 'cancelled';

export interface AgentStatus {
  agentId: string;
  status: AgentState;
  progress: number;
  currentTask: string | null;
  metadata: Record<string, unknown>;
  startedAt: number;
  lastBeatAt: number;
  ttlSeconds: number;
  alive: boolean;
}

export interface Signal {
  signalId: string;
  type: string;
  source: string;
  /** An agent id, or "*" for a broadcast. */
  target: string;
  payload: unknown;
  sentAt: number;
  expiresAt: number;
}

export type Risk = 'low' | 'medium' | 'high';
export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired';

export interface Approval {
  requestId: string;
  agentId: string;
  type: string;
  context: unknown;
  risk: Risk;
  status: ApprovalState;
  responder?: string;
  reason?: string;
  requestedAt: number;
  decidedAt?: number;
  expiresAt: number;
  /** A question (docs/approvals.md "Questions"): the answer is one of these… */
  choices?: string[];
  /** …or any JSON value valid against this schema. */
  answerSchema?: Record<string, unknown>;
  /** What an expired question answers. */
  default?: unknown;
  /** The answer: the responder's (approved), or the default (expired). */
  answer?: unknown;
}

export interface StreamEvent {
  id: string;
  type: string;
  data: unknown;
  ts: number;
}

export type Priority = 'high' | 'normal' | 'low';
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'dead';

export interface Job {
  jobId: string;
  queue: string;
  payload: unknown;
  priority: Priority;
  state: JobState;
  /** Deliveries so far (a received job has attempts ≥ 1). */
  attempts: number;
  maxAttempts: number;
  enqueuedAt: number;
  /** When a delayed job (or one waiting out its backoff) becomes receivable. */
  runAt?: number;
  /** The fencing token of the current delivery: only it can extend, ack or nack the job. */
  receipt?: string;
  /** Who holds the current delivery. */
  consumer?: string;
  visibleUntil?: number;
  /** *Extension*: the job's own visibility (a workflow step's timeoutMs), used by every delivery whatever the receiver asks for; the SDK's Worker leases it for no longer. */
  visibilityMs?: number;
  lastError?: string;
  result?: unknown;
  /** When the job completed or went dead. */
  finishedAt?: number;
}

export interface QueueStats {
  waiting: { high: number; normal: number; low: number };
  delayed: number;
  active: number;
  /** Completed jobs still kept (the newest queueCompletedKept). */
  completed: number;
  dead: number;
  /** *Extension*: jobs completed since the queue was created (not reduced by purge or trimming). */
  completedTotal: number;
  /** *Extension*: the queue's maxLength (its own, or the daemon's maxQueueLength). */
  maxLength: number;
}

export interface QueueSummary extends QueueStats {
  queue: string;
}

/** One recorded outcome: the fields of outcome.record as sent, plus these three. */
export interface OutcomeEvent {
  eventId: string;
  /** When it was recorded (Redis clock, epoch ms). */
  timestamp: number;
  severity: OutcomeSeverity;
  agentName: string;
  actionType: string;
  status: OutcomeStatus;
  durationMs: number;
  latencyMs?: number;
  llmLatencyMs?: number;
  tokensUsed?: number;
  costUsd?: number;
  output?: unknown;
  errorMessage?: string;
  errorType?: string;
  stackTrace?: string;
  runId?: string;
  correlationId?: string;
  workflowId?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

/** Counts, rates and duration percentiles of the outcomes in a window. */
export interface OutcomeStats {
  count: number;
  /** success / count (0 when count is 0). */
  successRate: number;
  /** (failure + timeout) / count (0 when count is 0). */
  errorRate: number;
  /** Duration percentiles (nearest rank) from a log histogram: within 4.5 % for durations ≥ 1 ms, 0.5 ms under; null when count is 0. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Exact mean duration (to 1 µs); null when count is 0. */
  avgMs: number | null;
  tokensUsed: number;
  /** Summed to 1e-9 USD. */
  costUsd: number;
  /** Count of each status: for stacked bars without another call. */
  byStatus: Record<OutcomeStatus, number>;
}

export interface OutcomeAgentStats extends OutcomeStats {
  agentName: string;
  /** Whether the agent's failure-rate alert is on (over the alert's own 300 s window). */
  alerting: boolean;
  /** The agent's latest outcome (epoch ms). */
  lastAt: number;
}

/** outcome.stats: each agent with outcomes in the window, by name, and the whole fleet's figures merged. */
export interface OutcomeStatsResult {
  /** The window actually covered: windowSeconds rounded up to whole 10 s buckets (the newest one still filling). */
  windowSeconds: number;
  /** Redis clock when read (epoch ms). */
  at: number;
  agents: OutcomeAgentStats[];
  fleet: OutcomeStats;
}

/** *Extension*: outcome.timeline — figures per step of a window, for charts. */
export interface OutcomeTimeline {
  /** The window actually covered: whole steps, the newest one ending with the 10 s bucket still filling. */
  windowSeconds: number;
  stepSeconds: number;
  /** When the first step starts (epoch ms); step i starts stepSeconds × i later. */
  start: number;
  /** Redis clock when read (epoch ms). */
  at: number;
  /** Each agent with outcomes in the window, by name. */
  agents: OutcomeTimelineSeries[];
}

/** One agent's figures, one entry per step, oldest first. */
export interface OutcomeTimelineSeries {
  agentName: string;
  count: number[];
  /** failure + timeout. */
  errors: number[];
  /** null where the step has no outcomes. */
  p95Ms: (number | null)[];
  tokensUsed: number[];
  costUsd: number[];
}

/** alert.failure_rate and alert.recovered data. */
export interface OutcomeAlert {
  agentName: string;
  /** The error rate at the transition, over the last `windowSeconds`. */
  errorRate: number;
  count: number;
  errors: number;
  /** The threshold the rate crossed (outcomeAlertPercent / 100); recovery is at half of it. */
  threshold: number;
  windowSeconds: number;
  at: number;
}

export interface HelloResult {
  daemonVersion: string;
  protocolVersion: string;
  daemonId: string;
  /** The limits this daemon enforces (docs/protocol.md "Limits"), so a client can size its calls. */
  limits: DaemonLimits;
}

/** `events:*` (every event type) is an addition to SPEC §4. */
export type Topic = 'agents' | 'signals' | 'approvals' | 'outcomes' | 'queues' | 'safety' | 'coordination' | 'workflows' | `events:${string}`;

/** Event types pushed on each topic, with the data each carries. */
export interface TopicEvents {
  agents: { 'agent.started': AgentStatus; 'agent.beat': AgentStatus; 'agent.stopped': AgentStatus; 'agent.expired': AgentStatus };
  signals: { 'signal.sent': Signal; 'signal.consumed': SignalConsumed; 'signal.cleared': SignalsCleared };
  approvals: { 'approval.requested': Approval; 'approval.approved': Approval; 'approval.rejected': Approval; 'approval.expired': Approval };
  queues: {
    /** Jobs were enqueued (one frame per enqueue call, or per coalesced batch of one queue). */
    'queue.enqueued': QueueJobsChanged;
    /** A job failed its last attempt (or was nacked without retry, or its visibility ran out on its last one). */
    'job.dead': Job;
    /** A nacked job or one whose visibility ran out waits to be delivered again. */
    'job.retrying': Job;
    'job.replayed': Job;
    'queue.purged': { queue: string; state: JobState; removed: number };
    /** The queue's counts, pushed at most once a second while they change (sampled by the daemon). */
    'queue.stats': QueueSummary;
  };

  safety: {
    /** Content refused by a block rule (the text itself is never carried: only where and why). */
    'safety.blocked': SafetyDecision;
    /** Content let through with warn / redact / approve findings. */
    'safety.warned': SafetyDecision;
    /** A policy.check that refused a call (or sent it for approval). */
    'policy.denied': PolicyDecisionEvent;
    'rules.changed': VersionChange;
    'policy.changed': VersionChange;
    'breaker.opened': Breaker;
    'breaker.half_open': Breaker;
    'breaker.closed': Breaker;
    /** A budget's use passed 80 % in this period. */
    'budget.warning': Budget;
    /** A budget's use reached 100 % in this period: calls in its scope are refused (or need approval). */
    'budget.exceeded': Budget;
    /** *Extension*: a budget was set (its new limits and this period's use), so a local view of spent budgets can follow a raised limit. */
    'budget.changed': Budget;
    'tool.registered': ToolSpec;
    'tool.deprecated': ToolSpec;
  };

  outcomes: {
    /** The outcomes one daemon recorded in one script call (a tick's worth, up to 128), oldest first. */
    'outcome.recorded': OutcomeEvent[];
    'alert.failure_rate': OutcomeAlert;
    'alert.recovered': OutcomeAlert;
    /** One agent's stats over the default window, pushed at most once a second while they change (sampled by each daemon for its subscribers). */
    'outcome.stats': OutcomeAgentStats;
  };
  coordination: {
    'lock.acquired': Lock;
    'lock.renewed': Lock;
    'lock.released': Lock;
    /** The holder's lease ran out without a renew (noticed by a sweep, or by the next acquire). */
    'lock.expired': Lock;
    'semaphore.acquired': PermitEvent;
    'semaphore.renewed': PermitEvent;
    'semaphore.released': PermitEvent;
    'semaphore.expired': PermitEvent;
    /** One more party is waiting at the barrier. */
    'barrier.arrived': BarrierEvent;
    /** The last party arrived: every waiter of that generation is released. */
    'barrier.released': BarrierEvent;
    /** A waiter's timeout passed: its arrival is withdrawn. */
    'barrier.timedout': BarrierEvent;
  };

  workflows: {
    'workflow.started': WorkflowSummary;
    'workflow.paused': WorkflowSummary;
    /** After workflow.resume or workflow.retryStep. */
    'workflow.resumed': WorkflowSummary;
    'workflow.completed': WorkflowSummary;
    'workflow.failed': WorkflowSummary;
    'workflow.cancelled': WorkflowSummary;
    /** A step's job was first delivered. */
    'step.started': WorkflowStepEvent;
    'step.completed': WorkflowStepEvent;
    /** A step's job went dead (its last attempt failed). */
    'step.failed': WorkflowStepEvent;
  };
}

export interface QueueJobsChanged {
  queue: string;
  /** How many jobs this call made receivable now (idempotent repeats are not counted). */
  added: number;
  /** How many it added as delayed (receivable at their runAt). */
  delayed: number;
}

type EventsOn<T extends keyof TopicEvents> = { [K in keyof TopicEvents[T]]: { topic: T; type: K; data: TopicEvents[T][K] } }[keyof TopicEvents[T]];

/**
 * Params of the `event` notification the daemon pushes to a subscription: a union discriminated
 * by topic (and, within a topic, by type), so `if (event.topic === 'agents')` gives an
 * AgentStatus without a cast. `events:<type>` and `events:*` carry the whole Event.
 */
export type PushedEvent = (
  | EventsOn<'agents'>
  | EventsOn<'signals'>
  | EventsOn<'approvals'>
  | EventsOn<'queues'>
  | EventsOn<'outcomes'>
  | EventsOn<'safety'>
  | EventsOn<'coordination'>
  | EventsOn<'workflows'>
  | { topic: `events:${string}`; type: string; data: StreamEvent }
) & { subscriptionId: string; seq: number; ts: number };

export interface SignalConsumed {
  signalId: string;
  type: string;
  source: string;
  target: string;
  /** The agent that consumed it (differs from target for a broadcast). */
  by: string;
}

export interface SignalsCleared {
  agentId: string;
  type: string | null;
  cleared: number;
}

export interface Health {
  status: 'ok' | 'degraded';
  redis: 'up' | 'down';
  version: string;
}

/** `<state-dir>/daemon.json`, written when the daemon is ready. */
export interface DaemonInfo {
  pid: number;
  url: string;
  httpUrl: string;
  redis: string;
  version: string;
  protocolVersion: string;
}

/**
 * One page of a paginated listing (agent.stale, approval.pending, signal.pending, event.types
 * called with `limit`). Pass `nextCursor` back as `cursor` for the next page; null means the end.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type { Direction, RuleAction, SafetyLevel, SafetySeverity, ToolFlag };
export type SafetyRule = SafetyRuleDoc;
export type SafetyPolicy = SafetyPolicyDoc;

/** One rule that matched: where (UTF-16 offsets into the text, end exclusive) and why. */
export interface SafetyFinding {
  ruleId: string;
  category: string;
  severity: SafetySeverity;
  action: RuleAction;
  start: number;
  end: number;
  message: string;
  /** *Extension*: in a payload enforcement checked, the JSON path of the string, number or key the span is in. */
  path?: string;
}

export interface ValidationResult {
  level: SafetyLevel;
  findings: SafetyFinding[];
  /** *Extension*: the findings' severity weights summed, capped at 1 (0: nothing found). */
  score: number;
  /** The text with every redact finding replaced (present when one matched). */
  redacted?: string;
  /** A safe alternative from the first blocking rule that has one. */
  alternative?: string;
  /** *Extension*: an approve rule matched (a tool call with these arguments needs approval). */
  requiresApproval: boolean;
  /** *Extension*: the rule set version that decided. */
  rulesVersion: number;
}

export interface RuleSet {
  /** 0 until the first safety.rules.set: the built-in default set. */
  version: number;
  rules: SafetyRule[];
  updatedAt?: number;
  updatedBy?: string;
}

export interface PolicyDocument {
  /** 0 until the first policy.set: the built-in default (every agent may call every active tool). */
  version: number;
  policy: SafetyPolicy;
  updatedAt?: number;
  updatedBy?: string;
}

export interface PolicyDecision {
  allowed: boolean;
  requiresApproval: boolean;
  reason: string;
  /** *Extension*: what decided (a policy entry, "rate", "breaker", "budget", "args", "tool"). */
  rule?: string;
  /** *Extension*: when refused by the rate limit or an open breaker, when to try again. */
  retryAfterMs?: number;
  /** *Extension*: the call's timeout from the policy entry. */
  timeoutMs?: number;
  /** *Extension*: the arguments with secret fields replaced, as an approval request may show them. */
  args?: Record<string, unknown>;
  /** *Extension*: the registered tool version the ref stood for ("name:version"), once resolved. */
  tool?: string;
  /** *Extension*: that version's capability flags (an approval request's risk follows them). */
  flags?: ToolFlag[];
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface Breaker {
  /** agent:<id> or tool:<name>. */
  name: string;
  state: BreakerState;
  /** Consecutive failures counted now. */
  failures: number;
  openedAt?: number;
  retryAt?: number;
}

export interface ToolSpec {
  name: string;
  version: string;
  schema: Record<string, unknown>;
  flags: ToolFlag[];
  status: 'active' | 'deprecated';
  description?: string;
  registeredAt: number;
  lastUsedAt?: number;
}

export interface Budget {
  /** agent:<id> or workflow:<id>. */
  scope: string;
  tokens?: number;
  costUsd?: number;
  periodSeconds: number;
  /** Start of the current period (epoch ms). */
  periodStart: number;
  used: { tokens: number; costUsd: number };
  state: 'ok' | 'warning' | 'exceeded';
}

export interface AuditEntry {
  /** Stream entry id. */
  id: string;
  ts: number;
  /** blocked, warned, policy_denied, approval_required, breaker_opened, breaker_closed, budget_warning, budget_exceeded, rules_changed, policy_changed, tool_registered… */
  kind: string;
  agentId?: string;
  /** The method or tool the decision was about. */
  subject?: string;
  /** Rule ids, a reason, old → new versions, who: never the content itself. */
  detail: Record<string, unknown>;
}

/** A validation that blocked or warned, as an event carries it: rules and spans, not the text. */
export interface SafetyDecision {
  level: SafetyLevel;
  agentId?: string;
  /** The method whose payload was checked (or "safety.validate"). */
  method: string;
  field?: string;
  findings: SafetyFinding[];
  ts: number;
}

export interface PolicyDecisionEvent extends PolicyDecision {
  agentId: string;
  tool: string;
  ts: number;
}

export interface VersionChange {
  oldVersion: number;
  newVersion: number;
  by?: string;
  ts: number;
}

/** A held lock (a lease): `fencingToken` grows with every grant of the name, never reused. */
export interface Lock {
  name: string;
  owner: string;
  fencingToken: number;
  /** Epoch ms (Redis clock) when the lease ends unless renewed. */
  expiresAt: number;
}

export interface Permit {
  permitId: string;
  /** Epoch ms (Redis clock) when the permit returns by itself unless renewed. */
  expiresAt: number;
}

export interface PermitEvent extends Permit {
  name: string;
  owner: string;
  /** The limit the acquiring call gave. */
  limit: number;
  /** Permits held after this change. */
  held: number;
}

/** One semaphore and its holders (semaphore.list). */
export interface SemaphoreInfo {
  name: string;
  /** The limit of its latest acquire. */
  limit: number;
  holders: (Permit & { owner: string })[];
}

export interface BarrierResult {
  released: boolean;
  /** Parties arrived in this generation (its parties when released). */
  arrived: number;
  /** *Extension*: the generation this wait belonged to (it grows by one at each release). */
  generation: number;
}

export interface BarrierEvent {
  name: string;
  parties: number;
  arrived: number;
  generation: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Whole tokens (or units) left after this take. */
  remaining: number;
  /** 0 when allowed; else how long until the same take would be allowed (ms). */
  retryAfterMs: number;
}

export interface QuotaResult extends RateLimitResult {
  /** Epoch ms when the current fixed period ends (sliding: when the current weighting period ends). */
  resetAt: number;
}

/** Feedback (SPEC §4 "Feedback", docs/feedback.md). */
export type { Tier };

export interface FeedbackRecorded {
  workflow: string;
  stage: string;
  tier: Tier;
  quality: number;
  /** Redis time of the record (epoch ms); the sample counts until the end of the day 6 days later (UTC). */
  recordedAt: number;
  /** As sent; not stored (the stats keep counts and sums only). */
  metadata?: Record<string, unknown>;
}

export type FeedbackTrend = 'improving' | 'declining' | 'stable';

export interface FeedbackStats {
  workflow: string;
  stage: string;
  tier: Tier;
  /** Over the samples of the last 7 days; null without samples. */
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
  /** The newest day's average against the average of the days before it (stable within 0.05, or with one day of samples). */
  trend: FeedbackTrend;
  /** *Extension*: that difference (newest day minus the days before), null with fewer than two days of samples. */
  trendDelta: number | null;
}

export interface TierRecommendation {
  recommendedTier: Tier;
  /** *Extension*: which way the recommendation moves. */
  change: 'upgrade' | 'downgrade' | 'keep';
  reason: string;
  /** 0..1 from the sample counts behind the decision: min(1, count / 20). */
  confidence: number;
  /** *Extension*: the current tier's stats the decision read. */
  current: FeedbackStats;
}

/** Workflows (SPEC §4 "Workflows", docs/workflows.md). */
export type WorkflowStatus = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
/**
 * pending: waits for dependencies; ready: could run but the workflow is paused; queued: its job waits
 * in its queue (or out a retry's backoff); running: its job was delivered; then completed, failed,
 * skipped (a required dependency failed, without stopOnFailure) or cancelled (never ran).
 */
export type WorkflowStepState = 'pending' | 'ready' | 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export interface WorkflowStep {
  name: string;
  queue: string;
  state: WorkflowStepState;
  /** Deliveries of its current job so far. */
  attempts: number;
  optional?: true;
  /** Its current job (`<workflowId>:<step>`, then `:<run>` for a retried step). */
  jobId?: string;
  result?: unknown;
  error?: string;
  startedAt?: number;
  endedAt?: number;
  /** *Extension*: the capability the step names instead of a queue (its `queue` is then `cap:<name>[@<version>]`). */
  capability?: CapabilityRef;
  /** *Extension*: of a capability step, the agent that received its latest delivery. */
  agent?: string;
  /** *Extension*, in workflow.get and the workflow.* answers only (not the step events): the step's definition. */
  dependsOn?: string[];
  maxAttempts?: number;
  /** As given at start; absent when none was (the payload then carries null). */
  input?: unknown;
}

/** A workflow without its steps (workflow.list, the workflows topic). */
export interface WorkflowSummary {
  workflowId: string;
  name: string;
  status: WorkflowStatus;
  stopOnFailure: boolean;
  startedAt: number;
  endedAt?: number;
  stepCount: number;
  /** Steps not yet completed, failed or skipped. */
  openSteps: number;
  /** *Extension*: the capabilities its steps name (`summarize`, `summarize@2`), when any do. */
  capabilities?: string[];
  /** *Extension*: the agents that received its capability steps so far, in the order they first did. */
  agents?: string[];
}

export interface Workflow extends WorkflowSummary {
  steps: WorkflowStep[];
}

export interface WorkflowStepEvent {
  workflowId: string;
  step: WorkflowStep;
}

/** The payload of a workflow step's job. */
export interface WorkflowStepPayload {
  workflowId: string;
  step: string;
  input: unknown;
  /** The result of each dependency that completed, by step name. */
  results: Record<string, unknown>;
}

/** One agent dispatch.route ranks: its score (0..1, higher is better), the components and why. */
export interface RouteCandidate {
  rank: number;
  agentId: string;
  /** The version of the capability it advertises. */
  version: string;
  score: number;
  components: {
    /** 1 / (1 + pending signals in its inbox). */
    queueDepth: number;
    /** 1 − beat age / ttl, at least 0. */
    heartbeat: number;
    /** Success rate over the outcome window; 0.5 without outcomes. */
    successRate: number;
  };
  pendingSignals: number;
  beatAgeMs: number;
  outcomeCount: number;
  degraded: boolean;
  /** Why degraded: "stale heartbeat", "failure-rate alert", "open breaker". */
  degradedReasons: string[];
  explanation: string;
}

/** A barrier with parties waiting (barrier.list): the figures its events carry. */
export type BarrierInfo = BarrierEvent;
