/**
 * A token bucket per connection (a WebSocket, or an HTTP keep-alive socket): one client cannot
 * take the daemon's whole event loop and Redis from the others. Local to this daemon, so it costs
 * no Redis round trip.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { Call, CallHook } from '../domain/call-hook';

interface Bucket {
  tokens: number;
  at: number;
}

export class ConnectionRateLimit implements CallHook {
  readonly name = 'connection rate limit';
  /** Keyed by the connection's session object, so a bucket goes with its connection. */
  private readonly buckets = new WeakMap<object, Bucket>();

  constructor(private readonly perSecond: number) {}

  check({ ctx }: Call): void {
    const burst = this.perSecond * 2;
    const now = performance.now();
    let bucket = this.buckets.get(ctx.session);
    if (!bucket) this.buckets.set(ctx.session, (bucket = { tokens: burst, at: now }));
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterMs = Math.ceil(((1 - bucket.tokens) * 1000) / this.perSecond);
    throw new RpcError(
      ErrorCode.RateLimited,
      `rate limited: this connection makes more than ${this.perSecond} calls/s (maxCallsPerSecondPerConnection); retry in ${retryAfterMs} ms`,
      { rule: 'maxCallsPerSecondPerConnection', limit: this.perSecond, retryAfterMs },
    );
  }
}
