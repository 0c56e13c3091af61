/**
 * Reads of one thing at a time per key (a queue's dead jobs, a workflow): asked again while a read
 * of that key is on its way, it reads once more after it (whatever was pushed meanwhile is then
 * in), so a burst of pushes costs one more read, not one each. `read` answers whether to go on
 * (false: no client, or it failed and logged why).
 */
export class ReloadUntilQuiet {
  private readonly loading = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly read: (key: string) => Promise<boolean>) {}

  /** Resolves once a read that began after this call has ended. */
  run(key: string): Promise<void> {
    const running = this.loading.get(key);
    if (running) {
      this.again.add(key);
      return running;
    }
    const load = this.untilQuiet(key).finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    return load;
  }

  private async untilQuiet(key: string): Promise<void> {
    do {
      this.again.delete(key);
      if (!(await this.read(key))) return;
    } while (this.again.has(key));
  }
}
