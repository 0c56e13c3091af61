/**
 * Expires agents whose deadline passed and approvals whose time ran out. Every daemon sweeps; the
 * scripts are atomic, so each expiry happens (and is published) once whichever daemon gets there.
 */
import type Redis from 'ioredis';
import { RECENTLY_ENDED_MS } from '../../protocol/limits';
import { RETENTION } from '../deps';
import type { Logger } from '../runtime/logger';
import type { Keys } from '../store/keys';
import { runScript } from '../store/redis';

export const SWEEP_INTERVAL_MS = 250;
const BATCH = 500;

export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly log: Logger,
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => this.log.warn(`expiry sweep failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs until nothing more is due. */
  async sweep(): Promise<void> {
    const { keys } = this;
    await this.drain('agentsExpire', [keys.agentsExpiry, keys.agentsBeats, keys.agentsEnded, keys.agentsListed], [
      keys.agentPrefix,
      BATCH,
      RETENTION.endedAgentMs,
      RECENTLY_ENDED_MS,
      keys.channels.agents,
    ]);
    await this.drain('approvalsExpire', [keys.approvalsPending], [keys.approvalPrefix, BATCH, RETENTION.decidedApprovalMs, keys.channels.approvals]);
  }

  /** Calls an expiry script (whose ARGV[2] is the batch size) while it reports a full batch. */
  private async drain(script: 'agentsExpire' | 'approvalsExpire', scriptKeys: string[], args: (string | number)[]): Promise<void> {
    while (Number(await runScript(this.redis, script, scriptKeys, args)) === BATCH);
  }
}
