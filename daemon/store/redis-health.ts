/**
 * Whether Redis answers. A connection can be "ready" while Redis is stalled (paused, swapping,
 * busy with a long script), so a PING every interval, bounded by the command timeout, decides too.
 */
import type Redis from 'ioredis';
import { redisCall } from './redis';

export const HEALTH_PROBE_INTERVAL_MS = 1_000;

export class RedisHealth {
  private answering = true;
  private probing = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly connections: readonly Redis[], private readonly commands: Redis) {}

  start(intervalMs = HEALTH_PROBE_INTERVAL_MS): void {
    this.timer = setInterval(() => void this.probe(), intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get up(): boolean {
    return this.answering && this.connections.every((connection) => connection.status === 'ready');
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await redisCall(this.commands, () => this.commands.ping());
      this.answering = true;
    } catch {
      this.answering = false;
    } finally {
      this.probing = false;
    }
  }
}
