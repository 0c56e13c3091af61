/**
 * Local wake-ups for blocking calls (signal.wait, approval.wait). A call arms a waiter for a key
 * *before* it reads Redis, so a change published after that read always wakes it; the hub
 * notifies keys as pub/sub messages arrive from any daemon.
 */
export interface Armed {
  /** Resolves true when notified, false when the time runs out or the signal aborts. */
  wait(ms: number, signal: AbortSignal): Promise<boolean>;
  disarm(): void;
}

export class Waiters {
  private readonly armed = new Map<string, Set<() => void>>();

  arm(key: string): Armed {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let set = this.armed.get(key);
    if (!set) this.armed.set(key, (set = new Set()));
    set.add(wake);
    const disarm = () => {
      const current = this.armed.get(key);
      if (current?.delete(wake) && current.size === 0) this.armed.delete(key);
    };
    return {
      disarm,
      wait: (ms, signal) =>
        new Promise<boolean>((resolve) => {
          if (signal.aborted) return finish(false);
          const timer = setTimeout(() => finish(false), ms);
          const onAbort = () => finish(false);
          signal.addEventListener('abort', onAbort, { once: true });
          void woken.then(() => finish(true));
          function finish(notified: boolean) {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            disarm();
            resolve(notified);
          }
        }),
    };
  }

  notify(key: string): void {
    const set = this.armed.get(key);
    if (!set) return;
    this.armed.delete(key);
    for (const wake of set) wake();
  }

  notifyAll(): void {
    const sets = [...this.armed.values()];
    this.armed.clear();
    for (const set of sets) for (const wake of set) wake();
  }

  get size(): number {
    let n = 0;
    for (const set of this.armed.values()) n += set.size;
    return n;
  }
}

/** Repeats `attempt` until it yields a value, waking on `key`, until `timeoutMs` has passed (then undefined). */
export async function waitUntil<T>(
  waiters: Waiters,
  key: string,
  timeoutMs: number,
  signal: AbortSignal,
  attempt: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const armed = waiters.arm(key);
    let found: T | undefined;
    try {
      found = await attempt();
    } catch (error) {
      armed.disarm();
      throw error;
    }
    const left = deadline - Date.now();
    if (found !== undefined || left <= 0) {
      armed.disarm();
      return found;
    }
    if (!(await armed.wait(left, signal))) return undefined;
  }
}
