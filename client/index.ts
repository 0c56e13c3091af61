/** `switchboard/client`: the agent SDK. */
export { SwitchboardClient, type ClientOptions, type Subscription, type SubscribeOptions } from './client';
export { Heartbeat, type HeartbeatOptions } from './heartbeat';
export { Worker, type WorkerOptions, type JobHandler, type JobContext } from './worker';
export { workflowStepOf, type WorkflowStepContext } from './workflow-step';
export {
  ActionDispatcher,
  TimeoutError,
  type Action,
  type ActionReport,
  type DispatchHooks,
  type DispatchOptions,
  type DispatchResult,
  type DispatcherOptions,
} from './dispatch';
export { PolicyDeniedError, ApprovalRejectedError } from './tool-policy';
export { SafetyGuard, BreakerOpenError, BudgetExceededError } from './safety-guard';
export { withLock, withPermit, NotAcquiredError, LeaseLostError, type LeaseOptions, type LockContext, type PermitContext } from './coordination';
export { chooseTier, type TierChoice } from './choose-tier';
export { ask, type AskOptions, type Answer } from './ask';
export { ConnectionError, type ConnectionState } from './connection';
export { discoverDaemon, DaemonNotFoundError, type Endpoint } from './discovery';
export { RpcError, ErrorCode } from '../protocol/errors';
export type * from '../protocol/types';
export type { MethodName, ParamsOf, ResultOf } from '../protocol/methods';
export { capabilityQueue, capabilityQueues, type CapabilityRef } from '../protocol/capability';
