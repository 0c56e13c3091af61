/** The agents domain: agent.* methods, the expiry sweep (and the agent.list window), the live-agents gauge. */
import { RECENTLY_ENDED_MS } from '../../protocol/limits';
import { RETENTION } from '../domain/deps';
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { agentHandlers } from './handlers';

export const agentsModule: DomainModule = {
  name: 'agents',
  create(deps) {
    const { redis, keys } = deps;
    return {
      handlers: agentHandlers(deps),
      channels: [{ name: keys.channels.agents, topics: () => ['agents'] }],
      sweeps: [
        () =>
          scripts.agentsExpire.run(
            redis,
            keys.agentIndexes,
            { agentPrefix: keys.agentPrefix, batch: SWEEP_BATCH, retentionMs: RETENTION.endedAgentMs, listWindowMs: RECENTLY_ENDED_MS, channel: keys.channels.agents },
          ),
      ],
      gauges: [
        {
          name: 'switchboard_agents_live',
          help: 'Alive agents (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.zcard(keys.agentIndexes.expiry)),
        },
      ],
    };
  },
};
