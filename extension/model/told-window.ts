/**
 * Notifications told in proportion (docs/ux.md): a kind of notice is told once per key (an agent,
 * a queue, a run…) in a window, the repeats go to the log. A ToldWindow remembers when each key
 * was last told; given a workspace Memento, it keeps the open windows across a window reload, which
 * starts a new extension host that must not tell them again.
 */
import type { Memento } from 'vscode';

/** Notices of one key within this window are told once. */
export const FAILURE_WINDOW_MS = 10 * 60_000;

export class ToldWindow {
  private readonly toldAt: Map<string, number>;

  constructor(
    private readonly saved?: { memento: Memento; key: string },
    private readonly now: () => number = Date.now,
  ) {
    this.toldAt = new Map(Object.entries(saved?.memento.get<Record<string, number>>(saved.key, {}) ?? {}));
  }

  /** How long ago the key was told, while its window is open; else undefined. */
  toldAgoMs(key: string): number | undefined {
    const ago = this.now() - (this.toldAt.get(key) ?? -Infinity);
    return ago < FAILURE_WINDOW_MS ? ago : undefined;
  }

  /** Whether the key was not told within the window; marks it told (and saves the open windows). */
  firstTime(key: string): boolean {
    if (this.toldAgoMs(key) !== undefined) return false;
    const now = this.now();
    this.toldAt.set(key, now);
    // Only windows still open are worth keeping: an older one would be told anew anyway.
    for (const [told, at] of this.toldAt) if (now - at >= FAILURE_WINDOW_MS) this.toldAt.delete(told);
    if (this.saved) void this.saved.memento.update(this.saved.key, Object.fromEntries(this.toldAt));
    return true;
  }
}
