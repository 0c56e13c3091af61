/** Limits from SPEC §3, shared by the daemon's validation, the SDK and the docs. */
export const ID_PATTERN = '^[A-Za-z0-9._:@/-]{1,128}$';
export const ID_REGEXP = new RegExp(ID_PATTERN);
/** Largest serialized payload / context / metadata / data value (bytes); the daemon may be configured lower or higher. */
export const DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
/** Largest WebSocket frame or HTTP body (bytes). */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const MAX_TIMEOUT_MS = 3_600_000;
/** agent.list also returns agents that ended or expired this recently. */
export const RECENTLY_ENDED_MS = 10 * 60 * 1000;
export const MAX_RECENT_EVENTS = 1000;
/** event.publish keeps roughly this many entries per type (approximate trimming). */
export const EVENT_STREAM_MAXLEN = 10_000;

/** Longest delay or backoff of a job (7 days). */
export const MAX_DELAY_MS = 7 * 24 * 60 * 60 * 1000;
/** Most jobs one queue.receive may take (`count`). */
export const MAX_RECEIVE_COUNT = 100;
/** Most steps of one workflow. */
export const MAX_WORKFLOW_STEPS = 1000;
/** Most workflows workflow.list answers, newest first. */
export const MAX_WORKFLOW_LIST = 1000;

/** Most items one page of a paginated listing may ask for (`limit`). */
export const MAX_PAGE_LIMIT = 1000;

/**
 * The daemon's configurable limits (SPEC §3, and the hardening the spec leaves to the daemon): one
 * table that gives each its default and meaning. Each is settable in `<state-dir>/config.json`
 * under `limits`, reported by `hello`, counted in /metrics when it refuses something
 * (`switchboard_limit_hits_total`), and listed in docs/protocol.md.
 */
export const LIMITS = {
  maxValueBytes: { default: DEFAULT_MAX_VALUE_BYTES, unit: 'bytes', means: 'largest serialized payload / context / metadata / data value (-32004)' },
  maxReplyBytes: {
    default: 16 * 1024 * 1024,
    unit: 'bytes',
    means: 'largest reply to one message (-32004); a batch answers the calls past it with -32004 and does not run those not yet started',
  },
  maxInFlightPerConnection: {
    default: 16,
    unit: 'messages',
    means: 'messages of one WebSocket connection handled at once (a blocking call stops counting once it waits); past it the daemon stops reading that socket until one is answered',
  },
  maxBufferedBytesPerConnection: {
    default: 8 * 1024 * 1024,
    unit: 'bytes',
    means: 'replies queued for a WebSocket peer that does not read; past it the daemon stops reading that socket until they drain',
  },
  maxSubscriptionsPerConnection: { default: 64, unit: 'subscriptions', means: 'subscriptions one WebSocket connection may hold (-32006)' },
  maxWaitingPerConnection: {
    default: 1000,
    unit: 'calls',
    means: 'blocking calls (the waits of signals, approvals, queues, locks, semaphores and barriers) one connection (over HTTP, one request) may have under way at once; one more is -32006',
  },
  maxCallsPerSecondPerConnection: {
    // a worker acking short jobs makes 10 000+ calls/s on one connection
    default: 50_000,
    unit: 'calls/s',
    means: 'calls one connection may make per second, in bursts of up to twice that (a token bucket); more are -32006 with data.retryAfterMs',
  },
  maxJsonDepth: { default: 64, unit: 'levels', means: 'deepest nesting of arrays and objects inside one request (-32602)' },
  redisCommandTimeoutMs: {
    default: 3_000,
    unit: 'ms',
    means: 'a Redis command not answered within this fails the call with -32005 and turns /healthz degraded',
  },
  maxQueueLength: {
    default: 1_000_000,
    unit: 'jobs',
    means: 'waiting + delayed + active jobs of a queue without its own queue.configure maxLength; enqueue past it is -32006',
  },
  outcomeAlertPercent: {
    default: 10,
    unit: '%',
    means: "an agent's error rate (failure + timeout) over the last 300 s above this publishes alert.failure_rate (once per crossing)",
  },
  outcomeAlertMinCount: { default: 10, unit: 'outcomes', means: 'outcomes an agent needs in the window before its error rate can raise an alert' },
  auditMaxEntries: {
    default: 100_000,
    unit: 'entries',
    means: 'the safety audit trail (safety.audit) keeps about this many of the newest entries; older ones are trimmed',
  },
  eventRetentionMs: {
    default: 7 * 24 * 60 * 60 * 1000,
    unit: 'ms',
    means: 'an event type not published for this long loses its stream and leaves event.types',
  },
  workflowRetentionMs: {
    default: 7 * 24 * 60 * 60 * 1000,
    unit: 'ms',
    means: 'a workflow that ended (completed, failed or cancelled) is deleted this long after its end, and leaves workflow.list (the retention of the daemon that started it)',
  },
} as const satisfies Record<string, { default: number; unit: string; means: string }>;

export type DaemonLimits = { [K in keyof typeof LIMITS]: number };

export const DEFAULT_LIMITS = Object.fromEntries(Object.entries(LIMITS).map(([name, limit]) => [name, limit.default])) as DaemonLimits;

/** Defaults of optional params, shared by the daemon and the SDK (SPEC §4). */
export const DEFAULTS = {
  agentTtlSeconds: 30,
  signalTtlSeconds: 60,
  approvalTimeoutMs: 300_000,
  queueVisibilityMs: 30_000,
  queueMaxAttempts: 3,
  /** queue.dead answers this many without `count`. */
  queueDeadCount: 100,
  /** outcome.recent answers this many without `count`. */
  outcomeRecentCount: 10,
  /** workflow.list answers this many (the newest) without `count`. */
  workflowListCount: 100,
  /** dispatch.route's weights without `weights`. */
  routeWeights: { queueDepth: 0.3, heartbeat: 0.4, successRate: 0.3 },
} as const;

/** Coordination primitives: the shortest and longest lock / permit lease, and their other bounds. */
export const MIN_LEASE_MS = 10;
export const MAX_LEASE_MS = 24 * 60 * 60 * 1000;
export const MAX_SEMAPHORE_LIMIT = 100_000;
export const MAX_BARRIER_PARTIES = 10_000;
export const MAX_QUOTA_PERIOD_MS = 90 * 24 * 60 * 60 * 1000;
