/** The approvals domain: approval.* methods, the expiry sweep, and wake-ups of approval.wait / request. */
import { RETENTION } from '../domain/deps';
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { Waiters } from '../hub/waiters';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { approvalHandlers } from './handlers';

export const approvalsModule: DomainModule = {
  name: 'approvals',
  create(deps) {
    const { redis, keys } = deps;
    /** approval.wait / approval.request callers, keyed by request id. */
    const waiters = new Waiters();
    return {
      handlers: approvalHandlers(deps, waiters),
      channels: [
        {
          name: keys.channels.approvals,
          topics: () => ['approvals'],
          wake: (frame) => {
            if (frame.type !== 'approval.requested') waiters.notify(frame.key);
          },
          wakeAll: () => waiters.notifyAll(),
        },
      ],
      sweeps: [
        () =>
          scripts.approvalsExpire.run(
            redis,
            { pending: keys.approvalsPending },
            { requestPrefix: keys.approvalPrefix, batch: SWEEP_BATCH, retentionMs: RETENTION.decidedApprovalMs, channel: keys.channels.approvals },
          ),
      ],
      gauges: [
        {
          name: 'switchboard_approvals_pending',
          help: 'Pending approval requests (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.zcard(keys.approvalsPending)),
        },
      ],
    };
  },
};
