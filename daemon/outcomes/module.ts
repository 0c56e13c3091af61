/** The outcomes domain: outcome.* methods, the sweep that lets alerts recover as failures age out, the stats pushes. */
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { OUTCOME_WINDOW_SECONDS } from '../../protocol/outcome';
import { SampledPush } from '../hub/sampled-push';
import { BucketSums } from '../store/outcome-buckets';
import { outcomeHandlers } from './handlers';
import { readStats, statsOf } from './stats';

export const outcomesModule: DomainModule = {
  name: 'outcomes',
  create(deps) {
    const { redis, keys, limits } = deps;
    // Each agent's stats over the default window, the figures a dashboard shows, without a call
    // per refresh; an agent whose outcomes all left the window gets one last push with count 0.
    const stats = new SampledPush({
      hub: deps.hub,
      topic: 'outcomes',
      type: 'outcome.stats',
      read: async () => {
        const { agents, at } = await readStats(deps, OUTCOME_WINDOW_SECONDS);
        return { ts: at, samples: agents.map((agent) => ({ key: agent.agentName, json: JSON.stringify(agent) })) };
      },
      gone: (agentName, lastJson) =>
        JSON.stringify({ agentName, ...statsOf(new BucketSums()), alerting: false, lastAt: (JSON.parse(lastJson) as { lastAt: number }).lastAt }),
    });
    const settleAlerts = () =>
      scripts.outcomeAlertsSweep.run(
        redis,
        { alerting: keys.outcomeAlerting },
        {
          agentPrefix: keys.outcomeAgentPrefix,
          windowPrefix: keys.outcomeWindowPrefix,
          bucketPrefix: keys.outcomeBucketPrefix,
          alertPercent: limits.outcomeAlertPercent,
          alertMinCount: limits.outcomeAlertMinCount,
          channel: keys.channels.outcomes,
          batch: SWEEP_BATCH,
        },
      );
    return {
      handlers: outcomeHandlers(deps, (target) => stats.snapshotTaken(target)),
      channels: [{ name: keys.channels.outcomes, topics: () => ['outcomes'] }],
      sweeps: [settleAlerts, () => stats.push()],
      gauges: [
        {
          name: 'switchboard_outcome_alerts',
          help: 'Agents whose failure-rate alert is on (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.zcard(keys.outcomeAlerting)),
        },
      ],
    };
  },
};
