/** Result shapes of the wire protocol (SPEC §4). Times are epoch milliseconds. */
import type { DaemonLimits } from './limits';
import type { OutcomeSeverity, OutcomeStatus } from './outcome';

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
export type Topic = 'agents' | 'signals' | 'approvals' | 'outcomes' | 'queues' | 'safety' | `events:${string}`;

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

  outcomes: {
    /** The outcomes one daemon recorded in one script call (a tick's worth, up to 128), oldest first. */
    'outcome.recorded': OutcomeEvent[];
    'alert.failure_rate': OutcomeAlert;
    'alert.recovered': OutcomeAlert;
    /** One agent's stats over the default window, pushed at most once a second while they change (sampled by each daemon for its subscribers). */
    'outcome.stats': OutcomeAgentStats;
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
