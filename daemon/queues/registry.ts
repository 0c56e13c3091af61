/**
 * Which queues exist, and when each next needs the sweeper. Both live in their own slot
 * (`{sb:queues}`), apart from the queues' keys, so they are written beside a queue's script rather
 * than inside it: the names set once per queue and daemon, the due times as hints — a hint that is
 * late or lost only delays what the sweeper does for a queue nobody receives from (a receiver
 * promotes and redelivers due jobs itself).
 */
import type Redis from 'ioredis';
import type { Keys } from '../store/keys';
import { redisCall } from '../store/redis';

export class QueueRegistry {
  private readonly named = new Set<string>();
  /** The due time this daemon last hinted per queue, so a busy queue does not hint on every receive. */
  private readonly hinted = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Records a queue's name (once per daemon). */
  known(queue: string): void {
    if (this.named.has(queue)) return;
    this.named.add(queue);
    this.redis.sadd(this.keys.queueNames, queue).catch((error: Error) => {
      this.named.delete(queue);
      this.onError(error);
    });
  }

  /** Asks the sweeper to visit a queue by `at` (epoch ms), unless an earlier visit is already asked for. */
  dueAt(queue: string, at: number): void {
    const hinted = this.hinted.get(queue);
    if (hinted !== undefined && hinted <= at && hinted > Date.now()) return;
    this.hinted.set(queue, at);
    this.redis.zadd(this.keys.queuesDue, 'LT', at, queue).catch(this.onError);
  }

  /** Asks for a visit at the next sweep (after a change whose due time the daemon did not read). */
  dueSoon(queue: string): void {
    this.hinted.delete(queue);
    this.dueAt(queue, Date.now());
  }

  /** Queues whose visit is due, at most `batch`. */
  due(batch: number): Promise<string[]> {
    return redisCall(this.redis, () => this.redis.zrangebyscore(this.keys.queuesDue, '-inf', Date.now(), 'LIMIT', 0, batch));
  }

  /** After a visit: the queue's next due time, or 0 for none. */
  async visited(queue: string, nextDue: number): Promise<void> {
    this.hinted.delete(queue);
    if (nextDue > 0) await redisCall(this.redis, () => this.redis.zadd(this.keys.queuesDue, nextDue, queue));
    else await redisCall(this.redis, () => this.redis.zrem(this.keys.queuesDue, queue));
  }

  names(): Promise<string[]> {
    return redisCall(this.redis, () => this.redis.smembers(this.keys.queueNames));
  }
}
