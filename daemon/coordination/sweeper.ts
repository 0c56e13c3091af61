/**
 * Expires agents whose deadline passed, approvals whose time ran out and event types past their
 * retention. Every daemon sweeps; the scripts are atomic, so each expiry happens (and is published)
 * once whichever daemon gets there.
 */
import type Redis from 'ioredis';
import { RECENTLY_ENDED_MS } from '../../protocol/limits';
import { RETENTION } from '../deps';
import type { Logger } from '../../common/logger';
import type { Keys } from '../store/keys';
import { scripts } from '../store/scripts';

export const SWEEP_INTERVAL_MS = 250;
/** While sweeps keep failing (Redis down), a reminder at most this often instead of a line per sweep. */
export const SWEEP_FAILURE_LOG_MS = 30_000;
const BATCH = 500;

export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Sweeps failed in a row, and when the last of them was logged. */
  private failures = 0;
  private failureLoggedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
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
    const now = Date.now();
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

  /** Runs until nothing more is due. */
  async sweep(): Promise<void> {
    const { keys } = this;
    const { redis } = this;
    await this.drain(() =>
      scripts.agentsExpire.run(
        redis,
        { expiry: keys.agentsExpiry, beats: keys.agentsBeats, ended: keys.agentsEnded, listed: keys.agentsListed },
        { agentPrefix: keys.agentPrefix, batch: BATCH, retentionMs: RETENTION.endedAgentMs, listWindowMs: RECENTLY_ENDED_MS, channel: keys.channels.agents },
      ),
    );
    await this.drain(() =>
      scripts.approvalsExpire.run(
        redis,
        { pending: keys.approvalsPending },
        { requestPrefix: keys.approvalPrefix, batch: BATCH, retentionMs: RETENTION.decidedApprovalMs, channel: keys.channels.approvals },
      ),
    );
    // Each publish set its type's end of retention (from the publishing daemon's eventRetentionMs).
    await this.drain(() =>
      scripts.eventTypesExpire.run(redis, { typeExpiry: keys.eventTypesExpiry, typeNames: keys.eventTypes }, { streamPrefix: keys.eventStreamPrefix, batch: BATCH }),
    );
  }

  /** Calls an expiry script (given the batch size) while it reports a full batch. */
  private async drain(sweepOnce: () => Promise<unknown>): Promise<void> {
    while (Number(await sweepOnce()) === BATCH);
  }
}
