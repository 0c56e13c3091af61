/**
 * Keeps an agent alive: starts it, beats on an interval with its latest progress, stops it at the end.
 *
 * Routine beats go as JSON-RPC notifications (the daemon sends no reply frame for them). Two
 * thirds of a ttl after the last request, and whenever the last request was not acknowledged (a
 * reconnect, a refusal), the beat is a request instead: its answer tells the heartbeat that the
 * record lapsed and the agent must register again, or that its beats are refused, which a
 * notification cannot — and it comes a third of a ttl before the agent would expire.
 */
import { DEFAULTS } from '../protocol/limits';
import { EventEmitter } from 'node:events';
import { ErrorCode, RpcError } from '../protocol/errors';
import type { ParamsOf } from '../protocol/methods';
import type { AgentStatus, FinalAgentState } from '../protocol/types';
import type { SwitchboardClient } from './client';

export interface HeartbeatOptions {
  ttlSeconds?: number;
  metadata?: Record<string, unknown>;
  /** Default: a third of the ttl, so two beats may be lost before the agent expires. */
  intervalMs?: number;
}

type Report = Omit<ParamsOf<'agent.beat'>, 'agentId'>;

export class Heartbeat extends EventEmitter<{ beat: [AgentStatus]; error: [Error] }> {
  private timer?: NodeJS.Timeout;
  private report: Report = {};
  private readonly ttlSeconds: number;
  /** performance.now() when the last request (start or beat) was sent. */
  private lastRequestAt = -Infinity;
  /** Whether the daemon acknowledged the last request that was answered (false before the first, after a refusal or a reconnect). */
  private confirmed = false;
  private readonly onState = () => (this.confirmed = false);

  constructor(
    private readonly client: SwitchboardClient,
    readonly agentId: string,
    private readonly options: HeartbeatOptions = {},
  ) {
    super();
    this.ttlSeconds = options.ttlSeconds ?? DEFAULTS.agentTtlSeconds;
  }

  /** Registers the agent and starts beating. */
  async start(): Promise<AgentStatus> {
    const status = await this.register();
    const intervalMs = this.options.intervalMs ?? (this.ttlSeconds * 1000) / 3;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.client.on('state', this.onState);
    return status;
  }

  /** Changes what the next beats report; beats now so the editor sees it at once. */
  update(report: Report): Promise<AgentStatus> {
    this.report = { ...this.report, ...report };
    return this.beat();
  }

  /** Beats now as a request, resolving with the agent's status (registering it again if its record lapsed). */
  async beat(): Promise<AgentStatus> {
    this.lastRequestAt = performance.now();
    try {
      const status = await this.client.agents.beat({ agentId: this.agentId, ...this.report });
      this.confirmed = true;
      this.emit('beat', status);
      return status;
    } catch (error) {
      this.confirmed = false;
      // The record lapsed (e.g. a long sleep): register again rather than die.
      if (error instanceof RpcError && error.code === ErrorCode.NotFound) return this.register();
      if (this.listenerCount('error') > 0) this.emit('error', error as Error);
      throw error;
    }
  }

  async stop(finalStatus: FinalAgentState = 'completed'): Promise<AgentStatus> {
    clearInterval(this.timer);
    this.client.off('state', this.onState);
    return this.client.agents.stop({ agentId: this.agentId, finalStatus });
  }

  private tick(): void {
    const confirmedRecently = this.confirmed && performance.now() - this.lastRequestAt < (this.ttlSeconds * 1000 * 2) / 3;
    if (confirmedRecently && this.client.notify('agent.beat', { agentId: this.agentId, ...this.report })) return;
    void this.beat().catch(() => {});
  }

  private async register(): Promise<AgentStatus> {
    this.lastRequestAt = performance.now();
    const status = await this.client.agents.start({ agentId: this.agentId, ttlSeconds: this.ttlSeconds, metadata: this.options.metadata });
    this.confirmed = true;
    return status;
  }
}
