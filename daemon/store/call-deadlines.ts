/**
 * One timeout for every Redis call of a connection, without a timer per call. ioredis's own
 * `commandTimeout` arms a setTimeout per command (about 9 % of heartbeat throughput in
 * bench/heartbeat.ts); here every call has the same timeout, so deadlines fall due in the order
 * calls start, and one interval that looks at the oldest unsettled call is enough.
 *
 * A call past its deadline is answered -32005 at once; Redis may still carry it out later (a
 * timeout cannot tell), which the error says.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';

interface Pending {
  /** performance.now() time: monotonic, so a jump of the wall clock neither fails calls early nor holds them longer. */
  deadline: number;
  /** Cleared once the call settles. */
  reject?: (error: Error) => void;
}

/** Smallest pause between two looks at the queue. */
const MIN_CHECK_MS = 10;

export class CallDeadlines {
  private queue: Pending[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {}

  within<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { deadline: performance.now() + this.timeoutMs, reject };
      this.queue.push(pending);
      this.timer ??= setInterval(() => this.check(), Math.max(MIN_CHECK_MS, this.timeoutMs / 10)).unref();
      work.then(
        (value) => {
          pending.reject = undefined;
          resolve(value);
        },
        (error: unknown) => {
          pending.reject = undefined;
          reject(error);
        },
      );
    });
  }

  private check(): void {
    const now = performance.now();
    while (this.head < this.queue.length) {
      const pending = this.queue[this.head]!;
      if (pending.reject && pending.deadline > now) break;
      pending.reject?.(timedOut(this.timeoutMs));
      pending.reject = undefined;
      this.head += 1;
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      clearInterval(this.timer);
      this.timer = undefined;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

function timedOut(timeoutMs: number): RpcError {
  return new RpcError(
    ErrorCode.RedisUnavailable,
    `Redis unavailable: no answer within ${timeoutMs} ms (redisCommandTimeoutMs); the call may or may not have taken effect`,
    { rule: 'redisCommandTimeoutMs', limit: timeoutMs },
  );
}
