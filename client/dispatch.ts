/**
 * ActionDispatcher: runs an agent action, times it, runs hooks around it, turns a throw into a
 * `failure` (with its stack) and an overrun into a `timeout`, and records the outcome — without
 * waiting for the daemon. The outcome gets its eventId here and leaves as a batched call: the
 * client sends the calls of one event-loop turn as one JSON-RPC batch (as few frames as the frame
 * limit allows), so an action costs the caller no round trip, and a thousand in a turn one write.
 * The outcome is built when the action ends (what it did then), but its call is made after the
 * callers' continuations of that turn have run: actions ending together (timers of one tick) do
 * not wait for each other's records.
 *
 * Requests, not notifications, so that nothing is lost quietly: an outcome whose reply does not
 * come (the connection dropped) is sent again — while disconnected the client holds it until the
 * connection is open — and the eventId, an idempotency key, keeps it recorded once even if the
 * first send got through. At most maxBuffered outcomes wait for their reply; more are dropped and
 * counted. `flush()` resolves once every outcome dispatched so far is stored.
 *
 * With a SafetyGuard (opt-in), a call whose agent or tool breaker is open, or whose agent or
 * workflow budget is spent, is refused at once: fn and the hooks do not run, nothing is recorded
 * (the action did not happen, and a refusal must not feed the breaker), and the result is
 * "cancelled" with a BreakerOpenError or BudgetExceededError.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ErrorCode, RpcError } from '../protocol/errors';
import { DEFAULT_MAX_VALUE_BYTES, ID_REGEXP } from '../protocol/limits';
import type { ParamsOf } from '../protocol/methods';
import { MAX_OUTCOME_DURATION_MS, type OutcomeStatus } from '../protocol/outcome';
import type { SwitchboardClient } from './client';
import { ConnectionError } from './connection';
import { ApprovalRejectedError, authorizeToolCall, PolicyDeniedError } from './tool-policy';
import type { SafetyGuard } from './safety-guard';

type OutcomeParams = ParamsOf<'outcome.record'>;
/** What an action may report about itself while it runs (an LLM call's tokens and cost…). */
export type ActionReport = Pick<OutcomeParams, 'tokensUsed' | 'costUsd' | 'latencyMs' | 'llmLatencyMs' | 'metadata'>;

/** What the action function is given. */
export interface Action {
  readonly agentName: string;
  readonly actionType: string;
  readonly eventId: string;
  /** Aborted when the action times out (or options.signal aborts): stop working, the result is ignored. */
  readonly signal: AbortSignal;
  /** Adds to what the outcome will carry. */
  report(fields: ActionReport): void;
}

export interface DispatchResult<T> {
  status: OutcomeStatus;
  /** fn's result (undefined unless status is "success"). */
  output: T | undefined;
  eventId: string;
  durationMs: number;
  /** What fn threw (failure), or the TimeoutError / abort reason. */
  error?: unknown;
}

/** Run around every action: `before` in order, then fn, then `after` in reverse order (even after a failure). */
export interface DispatchHooks {
  /** A throw here fails the action without running fn. */
  before?(action: Action): void | Promise<void>;
  after?(action: Action, result: DispatchResult<unknown>): void | Promise<void>;
}

export interface DispatchOptions {
  tags?: string[];
  workflowId?: string;
  correlationId?: string;
  runId?: string;
  metadata?: Record<string, unknown>;
  /** After this long the action is a `timeout`: its signal aborts and its result is ignored. */
  timeoutMs?: number;
  /** Aborting it cancels the action (status "cancelled"). */
  signal?: AbortSignal;
  hooks?: DispatchHooks;
  /** What of fn's result to record as output (default: the result itself, when it fits in maxValueBytes). */
  output?(result: unknown): unknown;
  /**
   * The tool this action calls (name or name:version): policy.check decides first. Refused → fn
   * does not run and the result is "cancelled" with a PolicyDeniedError; needing approval → an
   * approval request is filed and awaited (rejected or expired: "cancelled", ApprovalRejectedError).
   * The policy entry's timeoutMs applies when timeoutMs is not given. Without it, no round trip.
   */
  tool?: string;
  /** The tool call's arguments (checked by the policy; default {}). */
  args?: Record<string, unknown>;
  /** How long a human has to approve the tool call (default: the daemon's approval timeout). */
  approvalTimeoutMs?: number;
}

export interface DispatcherOptions {
  /** Hooks for every action of this dispatcher (outside the per-call ones). */
  hooks?: DispatchHooks;
  /** Outcomes waiting for their reply at most (default 10 000; a long outage); beyond, new ones are dropped. */
  maxBuffered?: number;
  /** An outcome the daemon refused (it is not sent again). */
  onError?(error: Error, outcome: ParamsOf<'outcome.record'>): void;
  /** Refuses, without a round trip, what open breakers and spent budgets would refuse (SafetyGuard.start(client)). */
  guard?: SafetyGuard;
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The longest text fields a record may carry (protocol/schemas.ts). */
const TEXT_LIMITS = { errorMessage: 8192, errorType: 200, stackTrace: 32_768 } as const;

export class ActionDispatcher {
  /** Outcomes dropped because maxBuffered were waiting for their reply (a long outage). */
  dropped = 0;
  /** Actions the guard refused (not run, not recorded). */
  refused = 0;
  /** Each outcome sent and not yet stored, until the daemon answers it. */
  private readonly unanswered = new Set<Promise<void>>();
  /** Outcomes built and not yet sent (they go on the next check phase, see above). */
  private toSend: OutcomeParams[] = [];
  private readonly maxBuffered: number;

  constructor(
    private readonly client: SwitchboardClient,
    private readonly options: DispatcherOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** Outcomes not yet stored as far as this dispatcher knows (to be sent, sent, or waiting for the connection). */
  get pending(): number {
    return this.toSend.length + this.unanswered.size;
  }

  async dispatch<T>(agentName: string, actionType: string, fn: (action: Action) => T | Promise<T>, options: DispatchOptions = {}): Promise<DispatchResult<T>> {
    for (const [field, value] of [['agentName', agentName], ['actionType', actionType], ...(options.tags ?? []).map((tag) => ['tags', tag])]) {
      // The daemon would refuse it after the caller has moved on (onError): refuse it here, to the caller.
      if (!ID_REGEXP.test(value!)) throw new TypeError(`${field} "${value}" must match ${ID_REGEXP.source}`);
    }
    const eventId = randomUUID();
    const refused = this.options.guard?.refusal(agentName, actionType, options.workflowId, options.tool);
    if (refused) {
      this.refused++;
      return { status: 'cancelled', output: undefined, eventId, durationMs: 0, error: refused };
    }
    const controller = new AbortController();
    const reported: ActionReport = {};
    const action: Action = { agentName, actionType, eventId, signal: controller.signal, report: (fields) => Object.assign(reported, fields) };
    const hooks = [this.options.hooks, options.hooks].filter((h): h is DispatchHooks => h !== undefined);

    let result: DispatchResult<T>;
    let started = performance.now();
    try {
      let runOptions = options;
      if (options.tool !== undefined) {
        const decision = await authorizeToolCall(this.client, {
          agentId: agentName,
          tool: options.tool,
          ...(options.args ? { args: options.args } : {}),
          ...(options.workflowId ? { workflowId: options.workflowId } : {}),
          ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}),
        });
        if (options.timeoutMs === undefined && decision.timeoutMs !== undefined) runOptions = { ...options, timeoutMs: decision.timeoutMs };
      }
      for (const hook of hooks) await hook.before?.(action);
      started = performance.now();
      result = await this.run(fn, action, controller, runOptions);
    } catch (error) {
      const refused = error instanceof PolicyDeniedError || error instanceof ApprovalRejectedError;
      result = { status: refused ? 'cancelled' : 'failure', output: undefined, eventId, durationMs: performance.now() - started, error };
    }
    try {
      for (const hook of [...hooks].reverse()) await hook.after?.(action, result);
    } finally {
      this.queue(this.outcomeOf(action, result, reported, options)); // what the action did, whatever an after hook does
    }
    return result;
  }

  /** Resolves once every outcome dispatched so far is stored (waiting for the connection if it is down). */
  async flush(): Promise<void> {
    this.sendQueued();
    while (this.unanswered.size > 0) await Promise.all(this.unanswered);
  }

  private async run<T>(fn: (action: Action) => T | Promise<T>, action: Action, controller: AbortController, options: DispatchOptions): Promise<DispatchResult<T>> {
    const started = performance.now();
    const done = (status: OutcomeStatus, output: T | undefined, error?: unknown): DispatchResult<T> => ({
      status,
      output,
      eventId: action.eventId,
      durationMs: performance.now() - started,
      ...(error === undefined ? {} : { error }),
    });
    let timer: NodeJS.Timeout | undefined;
    const stop = new Promise<DispatchResult<T>>((resolve) => {
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const error = new TimeoutError(`${action.actionType} timed out after ${options.timeoutMs} ms`);
          controller.abort(error);
          resolve(done('timeout', undefined, error));
        }, options.timeoutMs);
      }
      const cancel = () => {
        controller.abort(options.signal!.reason);
        resolve(done('cancelled', undefined, options.signal!.reason));
      };
      if (options.signal?.aborted) cancel();
      else options.signal?.addEventListener('abort', cancel, { once: true });
    });
    const work = (async () => fn(action))().then(
      (output) => done('success', output),
      (error: unknown) => done('failure', undefined, error),
    );
    try {
      return await Promise.race([work, stop]);
    } finally {
      clearTimeout(timer);
    }
  }

  private outcomeOf(action: Action, result: DispatchResult<unknown>, reported: ActionReport, options: DispatchOptions): OutcomeParams {
    const error = result.error;
    // A refused tool call is cancelled, and its outcome says by what.
    const refused = error instanceof PolicyDeniedError || error instanceof ApprovalRejectedError;
    const failed = result.status === 'failure' || result.status === 'timeout' || refused;
    const output = result.status === 'success' ? (options.output ? options.output(result.output) : result.output) : undefined;
    const metadata = reported.metadata ?? options.metadata;
    const outcome: OutcomeParams = {
      eventId: action.eventId,
      agentName: action.agentName,
      actionType: action.actionType,
      status: result.status,
      durationMs: Math.min(result.durationMs, MAX_OUTCOME_DURATION_MS),
      ...reported,
      metadata: this.fits(metadata) ? metadata : undefined,
      output: this.fits(output) ? output : undefined,
      tags: options.tags,
      workflowId: options.workflowId,
      correlationId: options.correlationId,
      runId: options.runId,
    };
    if (failed && error !== undefined) {
      const named = error instanceof Error ? error : undefined;
      outcome.errorMessage = truncate(named?.message ?? String(error), TEXT_LIMITS.errorMessage);
      outcome.errorType = truncate(named?.name || named?.constructor.name || typeof error, TEXT_LIMITS.errorType);
      if (named?.stack && !refused) outcome.stackTrace = truncate(named.stack, TEXT_LIMITS.stackTrace);
    }
    return outcome;
  }

  /** Whether a value can go as output or metadata (JSON, within the daemon's maxValueBytes). */
  private fits(value: unknown): boolean {
    if (value === undefined) return false;
    try {
      const text = JSON.stringify(value);
      return text !== undefined && Buffer.byteLength(text) <= (this.client.daemon?.limits.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES);
    } catch {
      return false; // not JSON (a cycle, a BigInt): recorded without it
    }
  }

  private queue(outcome: OutcomeParams): void {
    if (this.toSend.push(outcome) === 1) setImmediate(() => this.sendQueued());
  }

  private sendQueued(): void {
    const outcomes = this.toSend;
    this.toSend = [];
    for (const outcome of outcomes) this.record(outcome);
  }

  private record(outcome: OutcomeParams): void {
    if (this.unanswered.size >= this.maxBuffered) {
      this.dropped++;
      return;
    }
    const stored: Promise<void> = this.send(outcome).finally(() => this.unanswered.delete(stored));
    this.unanswered.add(stored);
  }

  /** Until stored: a lost reply or a busy daemon sends it again (the eventId keeps it recorded once); a refusal is reported. */
  private async send(outcome: OutcomeParams): Promise<void> {
    for (;;) {
      try {
        await this.client.call('outcome.record', outcome, { batch: true });
        return;
      } catch (error) {
        if (error instanceof RpcError && error.code === ErrorCode.RateLimited) {
          await new Promise((resolve) => setTimeout(resolve, Number(error.data?.retryAfterMs ?? 100)));
        } else if (!(error instanceof ConnectionError) || this.client.state === 'closed') {
          this.options.onError?.(error as Error, outcome);
          return;
        }
      }
    }
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
