/**
 * Runs the domain modules' sweeps (agents past their deadline, approvals whose time ran out,
 * event types past their retention…). Every daemon sweeps; the scripts are atomic, so each
 * expiry happens (and is published) once whichever daemon gets there.
 */
import type { Logger } from '../../common/logger';
import { SWEEP_BATCH, type Sweep } from '../domain/module';

export const SWEEP_INTERVAL_MS = 250;
/** While sweeps keep failing (Redis down), a reminder at most this often instead of a line per sweep. */
export const SWEEP_FAILURE_LOG_MS = 30_000;

export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Sweeps failed in a row, and when the last of them was logged. */
  private failures = 0;
  private failureLoggedAt = 0;

  constructor(
    private readonly sweeps: readonly Sweep[],
    private readonly log: Logger,
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(
          () => this.succeeded(),
          (error: unknown) => this.failed(error as Error),
        )
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private failed(error: Error): void {
    this.failures++;
    const now = performance.now();
    if (this.failures > 1 && now - this.failureLoggedAt < SWEEP_FAILURE_LOG_MS) return;
    this.failureLoggedAt = now;
    const count = this.failures > 1 ? ` (${this.failures} sweeps in a row)` : '';
    this.log.warn(`expiry sweep failed${count}: ${error.message}`);
  }

  private succeeded(): void {
    if (this.failures === 0) return;
    this.log.warn(`expiry sweep works again after ${this.failures} failed sweeps`);
    this.failures = 0;
  }

  /** Runs each sweep until nothing more is due. */
  async sweep(): Promise<void> {
    for (const sweepOnce of this.sweeps) while (Number(await sweepOnce()) === SWEEP_BATCH);
  }
}
