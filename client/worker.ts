/**
 * Runs a queue's jobs: receives, runs up to `concurrency` at once, extends the lease of what it
 * holds while it runs, acks what succeeds, nacks what throws (with the stack), and on stop finishes
 * what runs and hands back what it had not started.
 *
 * For short jobs, `prefetch` holds that many more jobs than it runs, received `count` at a time; the
 * acks of a turn of the event loop and the next receive go to the daemon as one JSON-RPC batch.
 * Prefetched jobs wait their turn with their visibility running (extended like the running ones), so
 * keep prefetch small where jobs take long: other workers cannot take them meanwhile.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DEFAULTS, MAX_RECEIVE_COUNT } from '../protocol/limits';
import { ErrorCode, RpcError } from '../protocol/errors';
import type { Job } from '../protocol/types';
import type { ParamsOf } from '../protocol/methods';
import { backoffDelay } from './backoff';
import type { SwitchboardClient } from './client';
import { ConnectionError } from './connection';
import { workflowStepOf, type WorkflowStepContext } from './workflow-step';

export interface WorkerOptions {
  /** Who receives (default host:pid:random). */
  consumer?: string;
  /** Jobs run at once (default 1). */
  concurrency?: number;
  /** Jobs held beyond those running (default 0). */
  prefetch?: number;
  /** Each delivery's visibility, extended every third of it while held (default 30 s). */
  visibilityMs?: number;
  /** How long one receive waits on an empty queue (default 2 s); stop() may wait this long for it. */
  waitMs?: number;
}

/** What the handler gets besides the job. */
export interface JobContext {
  /** Aborted when the worker loses the job's lease. */
  signal: AbortSignal;
  /** The workflow step the job runs (its input, its dependencies' results, the outcome fields), if it is one. */
  step?: WorkflowStepContext;
}

export type JobHandler = (job: Job, context: JobContext) => unknown;

interface Held {
  job: Job;
  lease: AbortController;
  /** Until when the delivery is surely ours, on this process's monotonic clock (from when receive or the last extend was sent). */
  deadline: number;
  /** How long each lease lasts: the worker's visibility, or the job's own if shorter (a workflow step's timeoutMs). */
  leaseMs: number;
}

export class Worker extends EventEmitter<{ completed: [Job, unknown]; failed: [Job, Error]; error: [Error] }> {
  readonly consumer: string;
  private readonly concurrency: number;
  private readonly prefetch: number;
  private readonly visibilityMs: number;
  private readonly waitMs: number;
  private readonly waiting: Held[] = [];
  private readonly running = new Set<Held>();
  /** Jobs whose ack or nack is on its way: a finished job frees its slot at once, but its lease is still extended and stop() waits for it. */
  private readonly settling = new Map<Held, Promise<unknown>>();
  private receiving?: Promise<void>;
  private leaseTimer?: NodeJS.Timeout;
  /** How often held leases are extended: a third of the shortest lease held so far. */
  private extendEveryMs: number;
  private stopping = false;
  private failures = 0;
  private idle?: () => void;
  private stopped?: Promise<void>;

  constructor(
    private readonly client: SwitchboardClient,
    readonly queue: string,
    private readonly handler: JobHandler,
    options: WorkerOptions = {},
  ) {
    super();
    this.consumer = options.consumer ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.concurrency = options.concurrency ?? 1;
    this.prefetch = options.prefetch ?? 0;
    this.visibilityMs = options.visibilityMs ?? DEFAULTS.queueVisibilityMs;
    this.waitMs = options.waitMs ?? 2_000;
    this.extendEveryMs = this.visibilityMs / 3;
  }

  start(): this {
    if (this.leaseTimer || this.stopping) return this;
    this.leaseTimer = setInterval(() => this.extendLeases(), this.extendEveryMs);
    this.fill();
    return this;
  }

  /** Stops receiving, lets running jobs finish, and hands back the jobs it had not started. */
  stop(): Promise<void> {
    this.stopping = true;
    return (this.stopped ??= (async () => {
      await this.receiving;
      await this.releaseWaiting();
      if (this.running.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
      await Promise.all(this.settling.values());
      clearInterval(this.leaseTimer);
    })());
  }

  /** Jobs held now (running and prefetched). */
  get held(): number {
    return this.running.size + this.waiting.length;
  }

  /** Receives while there is room: without waiting when jobs are likely (batched with this turn's acks), else one waiting receive alone. */
  private fill(): void {
    const want = Math.min(MAX_RECEIVE_COUNT, this.concurrency + this.prefetch - this.held);
    if (this.stopping || this.receiving || want <= 0) return;
    this.receiving = this.receive(want).finally(() => {
      this.receiving = undefined;
      this.fill();
    });
  }

  private async receive(want: number): Promise<void> {
    const params = { queue: this.queue, consumer: this.consumer, visibilityMs: this.visibilityMs, count: want };
    try {
      let sentAt = performance.now();
      let jobs = await this.client.call('queue.receive', params, { batch: true });
      if (jobs.length === 0 && !this.stopping) {
        sentAt = performance.now();
        jobs = await this.client.call('queue.receive', { ...params, waitMs: this.waitMs });
      }
      this.failures = 0;
      for (const job of jobs) {
        const leaseMs = Math.min(this.visibilityMs, job.visibilityMs ?? Infinity);
        this.waiting.push({ job, lease: new AbortController(), deadline: sentAt + leaseMs, leaseMs });
        if (leaseMs / 3 < this.extendEveryMs) this.extendSooner(leaseMs / 3);
      }
      if (this.stopping) return this.releaseWaiting();
      this.runWaiting();
    } catch (error) {
      this.report(error);
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(this.failures++)));
    }
  }

  private runWaiting(): void {
    if (this.stopping) return; // what has not started is handed back
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const held = this.waiting.shift()!;
      // a prefetched job whose lease was lost belongs to another delivery now: not run here
      if (!held.lease.signal.aborted) void this.run(held);
    }
  }

  private async run(held: Held): Promise<void> {
    this.running.add(held);
    const { job } = held;
    const ids = { queue: this.queue, jobId: job.jobId, receipt: job.receipt! };
    let settle: Promise<unknown>;
    try {
      const step = workflowStepOf(job);
      const result = await this.handler(job, step ? { signal: held.lease.signal, step } : { signal: held.lease.signal });
      settle = this.settle(held, 'queue.ack', result === undefined ? ids : { ...ids, result }).then(
        () => this.emit('completed', job, result),
        // an ack no retry can land (a result too large, or not JSON): the job fails with why
        (error: unknown) => (isRetryable(error) ? Promise.reject(error) : this.fail(held, ids, error)),
      );
    } catch (error) {
      settle = this.fail(held, ids, error);
    }
    // The next job starts while this one's ack is on its way (they share a frame with the next receive).
    this.settling.set(
      held,
      settle.catch((error: unknown) => this.report(error)).finally(() => this.settling.delete(held)),
    );
    this.running.delete(held);
    if (this.running.size === 0) this.idle?.();
    this.runWaiting();
    this.fill();
  }

  private fail(held: Held, ids: { queue: string; jobId: string; receipt: string }, error: unknown): Promise<void> {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.emit('failed', held.job, failure);
    return this.settle(held, 'queue.nack', { ...ids, error: (failure.stack ?? failure.message).slice(0, 8192) });
  }

  /**
   * Sends an ack or nack, again after a refusal for rate (-32006), Redis being away (-32005) or a
   * dropped connection, while the delivery is surely still ours: the receipt makes a repeat
   * harmless, and a job whose ack never lands runs again.
   */
  private async settle<M extends 'queue.ack' | 'queue.nack'>(held: Held, method: M, params: ParamsOf<M>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.call(method, params, { batch: true });
        return;
      } catch (error) {
        const retryAfterMs = isRetryable(error) ? retryDelay(error, attempt) : undefined;
        if (retryAfterMs === undefined || this.client.state === 'closed' || performance.now() + retryAfterMs > held.deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      }
    }
  }

  /** Extends leases at least every `everyMs` from now on (a job with a shorter lease arrived). */
  private extendSooner(everyMs: number): void {
    this.extendEveryMs = everyMs;
    if (!this.leaseTimer || this.stopping) return;
    clearInterval(this.leaseTimer);
    this.leaseTimer = setInterval(() => this.extendLeases(), everyMs);
  }

  /** Extends every delivery held: running, prefetched, and those whose ack is on its way. */
  private extendLeases(): void {
    for (const held of [...this.running, ...this.waiting, ...this.settling.keys()]) {
      if (held.lease.signal.aborted) continue;
      const { job } = held;
      const sentAt = performance.now();
      this.client.call('queue.extend', { queue: this.queue, jobId: job.jobId, receipt: job.receipt!, visibilityMs: held.leaseMs }, { batch: true }).then(
        () => (held.deadline = sentAt + held.leaseMs),
        (error: unknown) => {
          // superseded (its visibility ran out before this extension) or gone: another delivery owns the job now
          if (error instanceof RpcError && (error.code === ErrorCode.Conflict || error.code === ErrorCode.NotFound)) held.lease.abort(error);
          this.report(error);
        },
      );
    }
  }

  /** An 'error' event for listeners; an EventEmitter without one would throw it. */
  private report(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(String(error)));
  }

  private async releaseWaiting(): Promise<void> {
    // newest first: each goes to the head of the line, so the oldest ends up received first again
    const handBack = this.waiting.splice(0).reverse();
    await Promise.all(
      handBack.map(({ job }) =>
        this.client.call('queue.release', { queue: this.queue, jobId: job.jobId, receipt: job.receipt! }, { batch: true }).catch((error: unknown) => this.report(error)),
      ),
    );
  }
}

/** A refusal that sending the same call again may get past: rate, Redis away, a dropped connection. */
function isRetryable(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  return error instanceof RpcError && (error.code === ErrorCode.RateLimited || error.code === ErrorCode.RedisUnavailable);
}

/** How long to wait before sending a refused ack again. */
function retryDelay(error: unknown, attempt: number): number {
  if (error instanceof RpcError && error.code === ErrorCode.RateLimited) return Number(error.data?.retryAfterMs ?? 100);
  return backoffDelay(attempt);
}
