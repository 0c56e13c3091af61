/**
 * The blocking calls of one connection (a WebSocket, or one HTTP request): how many there are,
 * for the maxWaitingPerConnection limit, and one abort listener that ends all their waits when the
 * caller leaves or the daemon shuts down. A listener per call on the connection's one AbortSignal
 * cost memory per parked call and tripped Node's MaxListeners warning past ten.
 */
export class WaitingCalls {
  private count = 0;
  private readonly ends = new Set<() => void>();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener(
      'abort',
      () => {
        for (const end of this.ends) end();
        this.ends.clear();
      },
      { once: true },
    );
  }

  /** The caller left or the daemon is shutting down: no call should start waiting. */
  get ended(): boolean {
    return this.signal.aborted;
  }

  /** Counts one more blocking call in, unless `max` already are; says whether it did. */
  enter(max: number): boolean {
    if (this.count >= max) return false;
    this.count += 1;
    return true;
  }

  leave(): void {
    this.count -= 1;
  }

  /** Calls `end` once when the connection ends; the function returned cancels that. */
  onEnd(end: () => void): () => void {
    this.ends.add(end);
    return () => this.ends.delete(end);
  }
}
