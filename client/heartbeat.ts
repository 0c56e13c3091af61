/**
 * Keeps an agent alive: starts it, beats on an interval with its latest progress, stops it at the end.
 *
 * Routine beats go as JSON-RPC notifications (the daemon sends no reply frame for them). Once per
 * ttl, and whenever the daemon has not acknowledged a beat for that long (a reconnect, a sleep of
 * the machine), the beat is a request instead: its answer tells the heartbeat that the record
 * lapsed and the agent must register again, which a notification cannot.
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
  /** performance.now() when the daemon last acknowledged this agent's start or beat (-Infinity: never, or since a reconnect). */
  private lastAckAt = -Infinity;
  private readonly onState = () => (this.lastAckAt = -Infinity);

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
    try {
      const status = await this.client.agents.beat({ agentId: this.agentId, ...this.report });
      this.lastAckAt = performance.now();
      this.emit('beat', status);
      return status;
    } catch (error) {
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
    const acknowledgedRecently = performance.now() - this.lastAckAt < this.ttlSeconds * 1000;
    if (acknowledgedRecently && this.client.notify('agent.beat', { agentId: this.agentId, ...this.report })) return;
    void this.beat().catch(() => {});
  }

  private async register(): Promise<AgentStatus> {
    const status = await this.client.agents.start({ agentId: this.agentId, ttlSeconds: this.ttlSeconds, metadata: this.options.metadata });
    this.lastAckAt = performance.now();
    return status;
  }
}
