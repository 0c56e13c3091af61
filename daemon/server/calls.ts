/** Tracks calls in flight so that shutdown can end blocking ones early and wait for the replies. */
export class InFlight {
  readonly shutdown = new AbortController();
  private count = 0;
  private drained?: () => void;

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
      if (this.count === 0) this.drained?.();
    }
  }

  /** Aborts blocking calls (they answer with what they have) and waits for every reply, at most `ms`. */
  async drain(ms: number): Promise<void> {
    this.shutdown.abort();
    if (this.count === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
