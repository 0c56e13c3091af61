/** Keeps an agent alive: starts it, beats on an interval with its latest progress, stops it at the end. */
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
    this.timer = setInterval(() => void this.beat().catch(() => {}), intervalMs);
    return status;
  }

  /** Changes what the next beats report; beats now so the editor sees it at once. */
  update(report: Report): Promise<AgentStatus> {
    this.report = { ...this.report, ...report };
    return this.beat();
  }

  async beat(): Promise<AgentStatus> {
    try {
      const status = await this.client.agents.beat({ agentId: this.agentId, ...this.report });
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
    return this.client.agents.stop({ agentId: this.agentId, finalStatus });
  }

  private register(): Promise<AgentStatus> {
    return this.client.agents.start({ agentId: this.agentId, ttlSeconds: this.ttlSeconds, metadata: this.options.metadata });
  }
}
