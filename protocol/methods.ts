/** Every RPC method with its params and result types: the one table the daemon, SDK and CLI share. */
import type { MethodName, ParamsOf } from './schemas';
import type { AgentStatus, Approval, HelloResult, Page, Signal, StreamEvent } from './types';

interface Results {
  hello: HelloResult;
  'agent.start': AgentStatus;
  'agent.beat': AgentStatus;
  'agent.stop': AgentStatus;
  'agent.get': AgentStatus | null;
  'agent.list': AgentStatus[];
  'agent.stale': AgentStatus[];
  'signal.send': Signal;
  'signal.broadcast': Signal;
  'signal.wait': Signal | null;
  'signal.check': Signal | null;
  'signal.pending': Signal[];
  'signal.clear': { cleared: number };
  'approval.create': Approval;
  'approval.request': Approval;
  'approval.wait': Approval;
  'approval.respond': Approval;
  'approval.pending': Approval[];
  'approval.get': Approval | null;
  'event.publish': { id: string };
  'event.recent': StreamEvent[];
  /** Extension to SPEC §4: every event type published so far. */
  'event.types': string[];
  subscribe: { subscriptionId: string };
  unsubscribe: { unsubscribed: boolean };
}

/** Listings that answer one Page instead of the whole array when called with `limit`: method → item. */
interface PagedItems {
  'agent.stale': AgentStatus;
  'signal.pending': Signal;
  'approval.pending': Approval;
  'event.types': string;
}

export type { MethodName, ParamsOf };
export type PagedMethod = keyof PagedItems;
/** The result of a call with these params: a Page for a paged listing given `limit`, else Results[M]. */
export type ResultOf<M extends MethodName, P = ParamsOf<M>> = M extends PagedMethod
  ? P extends { limit: number }
    ? Page<PagedItems[M]>
    : Results[M]
  : Results[M];

/** Blocking methods: the SDK gives them no client-side deadline shorter than their own timeout. */
export const BLOCKING_METHODS: ReadonlySet<string> = new Set(['signal.wait', 'approval.request', 'approval.wait']);

/** Every method name at run time (the SDK builds its namespaces from it without loading the schemas). */
export const METHOD_NAMES = [
  'hello',
  'agent.start',
  'agent.beat',
  'agent.stop',
  'agent.get',
  'agent.list',
  'agent.stale',
  'signal.send',
  'signal.broadcast',
  'signal.wait',
  'signal.check',
  'signal.pending',
  'signal.clear',
  'approval.create',
  'approval.request',
  'approval.wait',
  'approval.respond',
  'approval.pending',
  'approval.get',
  'event.publish',
  'event.recent',
  'event.types',
  'subscribe',
  'unsubscribe',
] as const satisfies readonly MethodName[];

// Compile-time proof that METHOD_NAMES lists every method.
type Missing = Exclude<MethodName, (typeof METHOD_NAMES)[number]>;
export const METHOD_NAMES_COMPLETE: [Missing] extends [never] ? true : Missing = true;
