/**
 * Which items of a domain exist (names, locks, semaphores), and when each next needs the sweeper.
 * Both live in their own slot (`{sb:queues}`, `{sb:coordination}`), apart from the items' keys, so
 * they are written beside an item's script rather than inside it: the names set once per item and
 * daemon, the due times as hints — a hint that is late or lost only delays what the sweeper does
 * for an item nobody uses (a queue receiver promotes and redelivers due jobs itself, an acquire
 * frees an expired lock itself).
 */
import type Redis from 'ioredis';
import { redisCall } from './redis';

/** The two keys of one registry: a set of names and a sorted set of name → due time. */
export interface RegistryKeys {
  names: string;
  due: string;
}

export class DueRegistry {
  private readonly named = new Set<string>();
  /** The due time this daemon last hinted per name, so a busy one does not hint on every call. */
  private readonly hinted = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RegistryKeys,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Records an item's name (once per daemon). */
  known(name: string): void {
    if (this.named.has(name)) return;
    this.named.add(name);
    this.redis.sadd(this.keys.names, name).catch((error: Error) => {
      this.named.delete(name);
      this.onError(error);
    });
  }

  /** Asks the sweeper to visit an item by `at` (epoch ms), unless an earlier visit is already asked for. */
  dueAt(name: string, at: number): void {
    const hinted = this.hinted.get(name);
    if (hinted !== undefined && hinted <= at && hinted > Date.now()) return;
    this.hinted.set(name, at);
    this.redis.zadd(this.keys.due, 'LT', at, name).catch(this.onError);
  }

  /** Asks for a visit at the next sweep (after a change whose due time the daemon did not read). */
  dueSoon(name: string): void {
    this.hinted.delete(name);
    this.dueAt(name, Date.now());
  }

  /** Items whose visit is due, at most `batch`. */
  due(batch: number): Promise<string[]> {
    return redisCall(this.redis, () => this.redis.zrangebyscore(this.keys.due, '-inf', Date.now(), 'LIMIT', 0, batch));
  }

  /** After a visit: the item's next due time, or 0 for none. */
  async visited(name: string, nextDue: number): Promise<void> {
    this.hinted.delete(name);
    if (nextDue > 0) await redisCall(this.redis, () => this.redis.zadd(this.keys.due, nextDue, name));
    else await redisCall(this.redis, () => this.redis.zrem(this.keys.due, name));
  }

  names(): Promise<string[]> {
    return redisCall(this.redis, () => this.redis.smembers(this.keys.names));
  }
}
