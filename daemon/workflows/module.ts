/** The workflows domain: workflow.* methods and the workflows topic (every change is published by the scripts), and the index's retention sweep. */
import type { DomainModule } from '../domain/module';
import { redisCall } from '../store/redis';
import { workflowHandlers } from './handlers';
import { indexPrune } from './index-prune';

export const workflowsModule: DomainModule = {
  name: 'workflows',
  create(deps) {
    const { redis, keys } = deps;
    return {
      handlers: workflowHandlers(deps),
      channels: [{ name: keys.channels.workflows, topics: () => ['workflows'] }],
      sweeps: [indexPrune(deps)],
      gauges: [
        {
          name: 'switchboard_workflows',
          help: 'Workflows in the index: running, and ended within their retention (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.zcard(keys.workflowIds)),
        },
      ],
    };
  },
};
