/**
 * Local wake-ups for blocking calls (signal.wait, approval.wait). A call arms a waiter for a key
 * *before* it reads Redis, so a change published after that read always wakes it; the hub
 * notifies keys as pub/sub messages arrive from any daemon.
 */
import type { WaitingCalls } from './waiting-calls';

export interface Armed {
  /** Resolves true when notified, false when the time runs out or the caller's connection ends. */
  wait(ms: number, calls: WaitingCalls): Promise<boolean>;
  disarm(): void;
}

/**
 * Waiters by key (agent id, request id) within groups; signal.wait groups them by the type it
 * waits for, so a signal wakes only the callers it may satisfy (see EventHub).
 */
export class Waiters {
  /** group → key → wake-ups */
  private readonly armed = new Map<string, Map<string, Set<() => void>>>();

  arm(key: string, group = ''): Armed {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let keys = this.armed.get(group);
    if (!keys) this.armed.set(group, (keys = new Map()));
    let set = keys.get(key);
    if (!set) keys.set(key, (set = new Set()));
    set.add(wake);
    const disarm = () => {
      const groupKeys = this.armed.get(group);
      const current = groupKeys?.get(key);
      if (!groupKeys || !current?.delete(wake) || current.size > 0) return;
      groupKeys.delete(key);
      if (groupKeys.size === 0) this.armed.delete(group);
    };
    return {
      disarm,
      wait: (ms, calls) => {
        if (calls.ended) {
          disarm();
          return Promise.resolve(false);
        }
        return new Promise<boolean>((resolve) => {
          // Only called later (a timer, a wake-up, the connection's end), once everything below is set.
          const finish = (notified: boolean) => {
            clearTimeout(timer);
            stopListening();
            disarm();
            resolve(notified);
          };
          const timer = setTimeout(finish, ms, false);
          const stopListening = calls.onEnd(() => finish(false));
          void woken.then(() => finish(true));
        });
      },
    };
  }

  /** An Armable that arms keys within one group. */
  inGroup(group: string): Armable {
    return { arm: (key) => this.arm(key, group) };
  }

  notify(key: string, group = ''): void {
    const keys = this.armed.get(group);
    const set = keys?.get(key);
    if (!keys || !set) return;
    keys.delete(key);
    if (keys.size === 0) this.armed.delete(group);
    for (const wake of set) wake();
  }

  /** Wakes every key of one group. */
  notifyGroup(group: string): void {
    const keys = this.armed.get(group);
    if (!keys) return;
    this.armed.delete(group);
    for (const set of keys.values()) for (const wake of set) wake();
  }

  notifyAll(): void {
    const groups = [...this.armed.values()];
    this.armed.clear();
    for (const keys of groups) for (const set of keys.values()) for (const wake of set) wake();
  }

  get size(): number {
    let n = 0;
    for (const keys of this.armed.values()) for (const set of keys.values()) n += set.size;
    return n;
  }
}

/** What waitUntil arms before each attempt: a Waiters, or one group of it. */
export interface Armable {
  arm(key: string): Armed;
}

/**
 * Repeats `attempt` until it yields a value, waking on `key`, until `timeoutMs` has passed (then
 * undefined). `lookAgainInMs`, read after each attempt, also wakes it that soon (a delayed job
 * falling due), with no notification.
 */
export async function waitUntil<T>(
  waiters: Armable,
  key: string,
  timeoutMs: number,
  calls: WaitingCalls,
  attempt: () => Promise<T | undefined>,
  lookAgainInMs: () => number | undefined = () => undefined,
): Promise<T | undefined> {
  // Monotonic: a wall-clock jump must not end the wait early or stretch it.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const armed = waiters.arm(key);
    let found: T | undefined;
    try {
      found = await attempt();
    } catch (error) {
      armed.disarm();
      throw error;
    }
    const left = deadline - performance.now();
    if (found !== undefined || left <= 0) {
      armed.disarm();
      return found;
    }
    const lookAgain = lookAgainInMs();
    const early = lookAgain !== undefined && lookAgain < left;
    if (!(await armed.wait(early ? lookAgain : left, calls)) && (!early || calls.ended)) return undefined;
  }
}
