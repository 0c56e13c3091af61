/** The workflows domain: workflow.* methods and the workflows topic (every change is published by the scripts). */
import type { DomainModule } from '../domain/module';
import { redisCall } from '../store/redis';
import { workflowHandlers } from './handlers';

export const workflowsModule: DomainModule = {
  name: 'workflows',
  create(deps) {
    const { redis, keys } = deps;
    return {
      handlers: workflowHandlers(deps),
      channels: [{ name: keys.channels.workflows, topics: () => ['workflows'] }],
      gauges: [
        {
          name: 'switchboard_workflows',
          help: 'Workflows started and still kept (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.zcard(keys.workflowIds)),
        },
      ],
    };
  },
};
