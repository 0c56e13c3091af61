/**
 * Coalesces a model's changes: the model records what changed in `pending` and calls
 * `schedule()`; listeners get one change at most every `flushMs`, so that a burst of pushes is
 * one redraw (and one notification) rather than one each. Plain TypeScript.
 */
export class ChangeBatcher<C> {
  /** The change being collected since the last flush. */
  pending: C;
  private dirty = false;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly listeners = new Set<(change: C) => void>();

  constructor(
    private readonly empty: () => C,
    private readonly flushMs: number,
  ) {
    this.pending = empty();
  }

  onDidChange(listener: (change: C) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  schedule(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Emits the coalesced change now (tests; and the timer). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    const change = this.pending;
    this.pending = this.empty();
    this.dirty = false;
    for (const listener of this.listeners) listener(change);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }
}
