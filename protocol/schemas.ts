/**
 * Param schemas of every RPC method. The daemon validates with them (Ajv), the SDK takes its
 * param types from them, and scripts/gen-protocol-doc.ts turns them into docs/protocol.md.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { ID_PATTERN, MAX_DELAY_MS, MAX_PAGE_LIMIT, MAX_RECEIVE_COUNT, MAX_TIMEOUT_MS, MAX_RECENT_EVENTS } from './limits';
import {
  MAX_OUTCOME_DURATION_MS,
  MAX_OUTCOME_TAGS,
  MAX_OUTCOME_WINDOW_SECONDS,
  MAX_RECENT_OUTCOMES,
  OUTCOME_BUCKET_SECONDS,
  OUTCOME_STATUSES,
  OUTCOME_WINDOW_SECONDS,
} from './outcome';

/** The schema keyword that marks payload fields (see Json below). */
export const PAYLOAD_MARK = 'payload';

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
/**
 * `payload: true` marks a field whose value is arbitrary client JSON: the daemon serializes it
 * once, limits its size (maxValueBytes) and stores the text as sent.
 */
const Json = (description: string) =>
  Type.Unknown({ description: `${description}; any JSON value, at most maxValueBytes serialized`, [PAYLOAD_MARK]: true });
const JsonObject = (description: string) =>
  Type.Record(Type.String(), Type.Unknown(), {
    description: `${description}; a JSON object, at most maxValueBytes serialized`,
    [PAYLOAD_MARK]: true,
  });
const TimeoutMs = (description: string) =>
  Type.Integer({ exclusiveMinimum: 0, maximum: MAX_TIMEOUT_MS, description });
const TtlSeconds = (description: string) => Type.Integer({ minimum: 1, maximum: 86_400, description });
const Params = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: false });
/** A listing that can grow: without `limit` the whole list (as an array), with it one Page. */
const Paged = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Object(
    {
      ...properties,
      limit: Type.Optional(
        Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, description: 'answer one page {items, nextCursor} of at most this many' }),
      ),
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'nextCursor of the previous page (needs limit)' })),
    },
    { additionalProperties: false, dependencies: { cursor: ['limit'] } },
  );

export const TOPIC_PATTERN = `^(agents|signals|approvals|outcomes|queues|safety|events:\\*|events:${ID_PATTERN.slice(1, -1)})$`;

export const schemas = {
  hello: Params({
    client: Type.String({ minLength: 1, maxLength: 200, description: 'client name and version, e.g. "vscode-switchboard/0.1.0"' }),
    protocolVersion: Type.String({ pattern: '^[0-9]+(\\.[0-9]+){0,2}$', description: 'protocol version the client speaks, e.g. "1.0"' }),
  }),

  'agent.start': Params({
    agentId: Id('agent id'),
    metadata: Type.Optional(JsonObject('free-form agent metadata (metadata.workflow groups agents in the editor)')),
    ttlSeconds: Type.Optional(TtlSeconds('seconds without a beat before the agent expires; default 30')),
  }),
  'agent.beat': Params({
    agentId: Id('agent id'),
    status: Type.Optional(Type.Union([Type.Literal('starting'), Type.Literal('running')], { description: 'default "running"' })),
    progress: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'fraction done, 0..1' })),
    currentTask: Type.Optional(
      Type.Union([Type.String({ maxLength: 1024 }), Type.Null()], { description: 'what the agent is doing now; null clears it' }),
    ),
    metadata: Type.Optional(JsonObject('replaces the agent metadata')),
  }),
  'agent.stop': Params({
    agentId: Id('agent id'),
    finalStatus: Type.Union([Type.Literal('completed'), Type.Literal('failed'), Type.Literal('cancelled')]),
  }),
  'agent.get': Params({ agentId: Id('agent id') }),
  'agent.list': Params({}),
  'agent.stale': Paged({
    thresholdSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'alive agents whose last beat is older than this' }),
  }),

  'signal.send': Params({
    from: Id('sending agent id'),
    to: Id('target agent id'),
    type: Id('signal type, e.g. "pause"'),
    payload: Type.Optional(Json('signal payload')),
    ttlSeconds: Type.Optional(TtlSeconds('seconds the signal waits to be consumed; default 60')),
  }),
  'signal.broadcast': Params({
    from: Id('sending agent id'),
    type: Id('signal type'),
    payload: Type.Optional(Json('signal payload')),
    ttlSeconds: Type.Optional(TtlSeconds('seconds the signal waits to be consumed; default 60')),
  }),
  'signal.wait': Params({
    agentId: Id('agent whose signals to wait for'),
    type: Type.Optional(Id('only this signal type')),
    source: Type.Optional(Id('only signals from this agent')),
    timeoutMs: TimeoutMs('how long to wait; null is returned on timeout'),
    consume: Type.Optional(Type.Boolean({ description: 'remove the signal when returned; default true' })),
  }),
  'signal.check': Params({
    agentId: Id('agent whose signals to check'),
    type: Type.Optional(Id('only this signal type')),
    source: Type.Optional(Id('only signals from this agent')),
    consume: Type.Optional(Type.Boolean({ description: 'remove the signal when returned; default false' })),
  }),
  'signal.pending': Paged({ agentId: Id('agent id'), type: Type.Optional(Id('only this signal type')) }),
  'signal.clear': Params({ agentId: Id('agent id'), type: Type.Optional(Id('only this signal type')) }),

  'approval.create': approvalRequestParams(),
  'approval.request': approvalRequestParams(),
  'approval.wait': Params({ requestId: Id('approval request id'), timeoutMs: TimeoutMs('how long to wait for a decision') }),
  'approval.respond': Params({
    requestId: Id('approval request id'),
    approved: Type.Boolean(),
    responder: Type.String({ minLength: 1, maxLength: 200, description: 'who answered' }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  }),
  'approval.pending': Paged({}),
  'approval.get': Params({ requestId: Id('approval request id') }),

  'event.publish': Params({ type: Id('event type; one Redis Stream per type'), data: Json('event data') }),
  'event.recent': Params({
    type: Id('event type'),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECENT_EVENTS, description: 'default 100' })),
  }),
  'event.types': Paged({}),
  subscribe: Params({
    topics: Type.Array(Type.String({ pattern: TOPIC_PATTERN }), {
      minItems: 1,
      maxItems: 64,
      description: 'agents, signals, approvals, outcomes, queues, safety, events:<type>, or events:* (every type)',
    }),
  }),
  unsubscribe: Params({ subscriptionId: Type.String({ minLength: 1, maxLength: 64 }) }),

  'queue.enqueue': Params({
    queue: Id('queue name'),
    payload: Json('the job'),
    priority: Type.Optional(Priority()),
    jobId: Type.Optional(Id('idempotency key: while a job with this id exists, enqueueing it again answers that job and changes nothing')),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'hold the job this long before it can be received' })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'deliveries before the job goes dead; default 3' })),
    backoff: Type.Optional(
      Type.Object(
        {
          type: Type.Union([Type.Literal('exponential'), Type.Literal('fixed')]),
          delayMs: Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'fixed: the wait; exponential: the wait after the first failure, doubling' }),
        },
        { additionalProperties: false, description: 'wait before a nacked job is delivered again (with up to 20 % jitter); default none' },
      ),
    ),
  }),
  'queue.receive': Params({
    queue: Id('queue name'),
    consumer: Id('who receives (a worker or agent id)'),
    visibilityMs: Type.Optional(VisibilityMs()),
    waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_TIMEOUT_MS, description: 'block up to this long for a job (woken by push); default 0' })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECEIVE_COUNT, description: 'receive up to this many; the result is then an array' })),
  }),
  'queue.extend': Params({ queue: Id('queue name'), jobId: Id('job id'), receipt: Receipt(), visibilityMs: VisibilityMs() }),
  'queue.ack': Params({ queue: Id('queue name'), jobId: Id('job id'), receipt: Receipt(), result: Type.Optional(Json('what the job produced')) }),
  'queue.nack': Params({
    queue: Id('queue name'),
    jobId: Id('job id'),
    receipt: Receipt(),
    error: Type.Optional(Type.String({ maxLength: 8192, description: 'why it failed (kept as lastError)' })),
    retry: Type.Optional(Type.Boolean({ description: 'false: dead at once; default true (after its backoff, or dead past maxAttempts)' })),
  }),
  'queue.release': Params({ queue: Id('queue name'), jobId: Id('job id'), receipt: Receipt() }),
  'queue.stats': Params({ queue: Id('queue name') }),
  'queue.list': Params({}),
  'queue.dead': Params({
    queue: Id('queue name'),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, description: 'most recently dead first; default 100' })),
  }),
  'queue.replay': Params({ queue: Id('queue name'), jobId: Id('id of a dead job') }),
  'queue.purge': Params({
    queue: Id('queue name'),
    state: Type.Union([Type.Literal('dead'), Type.Literal('completed'), Type.Literal('waiting'), Type.Literal('delayed')], {
      description: 'which jobs to remove (active jobs are never purged: their consumer holds them)',
    }),
  }),
  'queue.configure': Params({
    queue: Id('queue name'),
    maxLength: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'most waiting + delayed + active jobs; enqueue past it is -32006' }),
  }),

  'outcome.record': Params({
    eventId: Type.Optional(
      Id('*extension*: idempotency key made up by the caller (the SDK does); the same eventId again within 300 s records nothing and answers the first'),
    ),
    agentName: Id('agent that acted'),
    actionType: Id('kind of action, e.g. "llm.call" or "tool.search"'),
    status: OutcomeStatus(),
    durationMs: Milliseconds('how long the action took (its percentiles are in outcome.stats)'),
    latencyMs: Type.Optional(Milliseconds('time to first response, if different')),
    llmLatencyMs: Type.Optional(Milliseconds('time spent waiting for the model')),
    tokensUsed: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'tokens the action used' })),
    costUsd: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'what the action cost, in US dollars (summed to 1e-9)' })),
    output: Type.Optional(Json('what the action produced')),
    errorMessage: Type.Optional(Type.String({ maxLength: 8192, description: 'why it failed' })),
    errorType: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'class of the error, e.g. "TimeoutError"' })),
    stackTrace: Type.Optional(Type.String({ maxLength: 32_768, description: 'where it failed' })),
    runId: Type.Optional(Id('run this action belongs to')),
    correlationId: Type.Optional(Id('ties outcomes of one request together')),
    workflowId: Type.Optional(Id('workflow this action belongs to')),
    tags: Type.Optional(Type.Array(Id('tag'), { maxItems: MAX_OUTCOME_TAGS, description: `labels to filter by (outcome.recent tag), at most ${MAX_OUTCOME_TAGS}` })),
    metadata: Type.Optional(JsonObject('free-form outcome metadata')),
  }),
  'outcome.recent': Params({
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECENT_OUTCOMES, description: 'default 10' })),
    agentName: Type.Optional(Id('only this agent')),
    status: Type.Optional(OutcomeStatus()),
    workflowId: Type.Optional(Id('only this workflow')),
    tag: Type.Optional(Id('only outcomes carrying this tag')),
  }),
  'outcome.stats': Params({
    agentName: Type.Optional(Id('only this agent')),
    windowSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_OUTCOME_WINDOW_SECONDS,
        description: `default ${OUTCOME_WINDOW_SECONDS}; rounded up to whole ${OUTCOME_BUCKET_SECONDS} s buckets`,
      }),
    ),
  }),
  'outcome.timeline': Params({
    agentName: Type.Optional(Id('only this agent')),
    windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_OUTCOME_WINDOW_SECONDS, description: `default ${MAX_OUTCOME_WINDOW_SECONDS}; rounded up to whole steps` })),
    stepSeconds: Type.Optional(
      Type.Integer({ minimum: OUTCOME_BUCKET_SECONDS, maximum: MAX_OUTCOME_WINDOW_SECONDS, multipleOf: OUTCOME_BUCKET_SECONDS, description: `default ${OUTCOME_BUCKET_SECONDS}; whole ${OUTCOME_BUCKET_SECONDS} s buckets` }),
    ),
  }),
};

function OutcomeStatus() {
  return Type.Enum(OUTCOME_STATUSES);
}

function Milliseconds(description: string) {
  return Type.Number({ minimum: 0, maximum: MAX_OUTCOME_DURATION_MS, description });
}

function Priority() {
  return Type.Union([Type.Literal('high'), Type.Literal('normal'), Type.Literal('low')], { description: 'default "normal"' });
}

function VisibilityMs() {
  return Type.Integer({ minimum: 100, maximum: MAX_TIMEOUT_MS, description: 'how long the job stays invisible to others; default 30000' });
}

function Receipt() {
  return Type.String({ minLength: 1, maxLength: 64, description: 'the receipt of this delivery (a fencing token): a stale one is -32003' });
}

function approvalRequestParams() {
  return Params({
    agentId: Id('requesting agent id'),
    type: Id('kind of action to approve, e.g. "deploy"'),
    context: Json('what the human needs to decide'),
    timeoutMs: Type.Optional(TimeoutMs('time to decide before the request expires (rejected); default 300000')),
    risk: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')], { description: 'default "medium"' })),
    clientRequestId: Type.Optional(
      Id('idempotency key: the same agentId and clientRequestId give the same request, so a call retried after a dropped connection resumes it'),
    ),
  });
}

export type MethodName = keyof typeof schemas;
export type ParamsOf<M extends MethodName> = Static<(typeof schemas)[M]>;
