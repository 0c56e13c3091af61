/**
 * What an outcome means (SPEC "Outcomes"): its statuses, which of them count as errors, the
 * severity each gets, and the window the per-agent stats and alerts are kept over. Shared by the
 * schemas, the daemon's scripts (store/outcome-buckets.ts generates their Lua table from here)
 * and the SDK.
 */
export const OUTCOME_STATUSES = ['success', 'failure', 'partial', 'timeout', 'cancelled', 'pending'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
export type OutcomeSeverity = 'info' | 'warning' | 'error' | 'critical';

/** Statuses counted in errorRate (and in the failure-rate alert). */
export const ERROR_STATUSES: readonly OutcomeStatus[] = ['failure', 'timeout'];

/**
 * The severity of each status. An error (failure, timeout) recorded while its agent's failure-rate
 * alert is on is `critical` instead: it is part of a pattern, not a one-off.
 */
export const SEVERITY_OF_STATUS: Record<OutcomeStatus, Exclude<OutcomeSeverity, 'critical'>> = {
  success: 'info',
  partial: 'warning',
  pending: 'warning',
  cancelled: 'warning',
  failure: 'error',
  timeout: 'error',
};

/** Stats are kept in time buckets of this many seconds: a window is a whole number of them. */
export const OUTCOME_BUCKET_SECONDS = 10;
/** Largest outcome.stats window. */
export const MAX_OUTCOME_WINDOW_SECONDS = 3600;
/** outcome.stats's default window, and the window of the failure-rate alert. */
export const OUTCOME_WINDOW_SECONDS = 300;
/** The alert turns off again once the error rate is at most this fraction of its threshold (hysteresis). */
export const OUTCOME_RECOVERY_FRACTION = 0.5;
/** outcome.record keeps roughly this many outcomes (all agents together) for outcome.recent. */
export const OUTCOME_STREAM_MAXLEN = 10_000;
/** Most outcomes one outcome.recent may ask for. */
export const MAX_RECENT_OUTCOMES = 1000;
/** Most tags on one outcome. */
export const MAX_OUTCOME_TAGS = 32;
/** Longest durationMs (and latencyMs, llmLatencyMs) of one outcome: a day. */
export const MAX_OUTCOME_DURATION_MS = 86_400_000;
/** A client-given eventId is remembered this long: the same one again within it records nothing. */
export const OUTCOME_DEDUPE_MS = OUTCOME_WINDOW_SECONDS * 1000;
