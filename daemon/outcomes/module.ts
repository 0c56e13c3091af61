/** The outcomes domain: outcome.* methods, the sweep that lets alerts recover as failures age out, the stats pushes. */
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { outcomeHandlers } from './handlers';
import { StatsPusher } from './stats-pusher';

export const outcomesModule: DomainModule = {
  name: 'outcomes',
  create(deps) {
    const { redis, keys, limits } = deps;
    const stats = new StatsPusher(deps);
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
      handlers: outcomeHandlers(deps),
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
