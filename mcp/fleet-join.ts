/**
 * The session joining the fleet, in three steps: the agent registered (its heartbeat started), the
 * MCP tools known to the daemon's tool registry, the resources following the fleet's pushes. A
 * step that got through is kept; one that failed (the daemon restarting, Redis away for a moment)
 * runs again when the next tool call asks for the join, so a session that joined in a bad second
 * heals instead of failing every call for good.
 */
import type { Logger } from '../common/logger';
import type { SwitchboardClient } from '../client/client';
import type { Heartbeat } from '../client/heartbeat';
import type { FleetResources } from './resources';
import { registerTools } from './tool-registry';
import { TOOLS, type ToolContext } from './tools';

/** Work run again on the next run() after it failed, and never again once it got through (concurrent runs share one attempt). */
class RetryableStep<T> {
  /** The attempt in flight or the one that got through; none after a failure. */
  attempt?: Promise<T>;

  constructor(private readonly work: () => Promise<T>) {}

  run(): Promise<T> {
    return (this.attempt ??= this.work().catch((error: unknown) => {
      this.attempt = undefined;
      throw error;
    }));
  }
}

export class FleetJoin {
  private readonly register: RetryableStep<unknown>;
  private readonly join: RetryableStep<ToolContext>;

  constructor(client: SwitchboardClient, heartbeat: Heartbeat, resources: FleetResources, log: Logger) {
    const agentId = heartbeat.agentId;
    this.register = new RetryableStep(() => heartbeat.start());
    const tools = new RetryableStep(() => registerTools(client, TOOLS));
    const following = new RetryableStep(() => resources.start());
    this.join = new RetryableStep(async () => {
      try {
        await this.register.run();
        await Promise.all([tools.run(), following.run()]);
      } catch (error) {
        log.error(`cannot join agent ${agentId} to the fleet (tried again on the next tool call): ${(error as Error).message}`);
        throw error;
      }
      log.info(`agent ${agentId} joined the fleet`);
      return { client, agentId, heartbeat };
    });
  }

  /** The joined session, joining now what had not got through. */
  joined(): Promise<ToolContext> {
    return this.join.run();
  }

  /** The agent's registration, if one is in flight or got through: the end of the session stops the agent then. */
  get registration(): Promise<unknown> | undefined {
    return this.register.attempt;
  }
}
