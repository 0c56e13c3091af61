/**
 * Param schemas of every RPC method. The daemon validates with them (Ajv), the SDK takes its
 * param types from them, and scripts/gen-protocol-doc.ts turns them into docs/protocol.md.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { ID_PATTERN, MAX_DELAY_MS, MAX_PAGE_LIMIT, MAX_RECEIVE_COUNT, MAX_TIMEOUT_MS, MAX_RECENT_EVENTS, MAX_WORKFLOW_LIST, MAX_WORKFLOW_STEPS } from './limits';
import { MAX_BARRIER_PARTIES, MAX_LEASE_MS, MAX_QUOTA_PERIOD_MS, MAX_SEMAPHORE_LIMIT, MIN_LEASE_MS } from './limits';
import {
  MAX_OUTCOME_DURATION_MS,
  MAX_OUTCOME_TAGS,
  MAX_OUTCOME_WINDOW_SECONDS,
  MAX_RECENT_OUTCOMES,
  OUTCOME_BUCKET_SECONDS,
  OUTCOME_STATUSES,
  OUTCOME_WINDOW_SECONDS,
} from './outcome';
import {
  BREAKER_DEFAULTS,
  DIRECTIONS,
  MAX_AUDIT_COUNT,
  MAX_RULES,
  MAX_VALIDATE_CHARS,
  RULE_ACTIONS,
  SEVERITIES,
  TOOL_FLAGS,
} from './safety';
import { TIERS } from './tier';
import { STEP_CAPABILITY_NAME_PATTERN, STEP_CAPABILITY_VERSION_PATTERN } from './capability';

/** A question's choices: at most this many, each at most this long. */
export const MAX_CHOICES = 50;
export const MAX_CHOICE_CHARS = 200;

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
/** Agent metadata: free-form, except `capabilities` (what dispatch.route matches), checked here. */
const AgentMetadata = (description: string) =>
  Type.Intersect(
    [
      Type.Object({
      capabilities: Type.Optional(
        Type.Array(
          Type.Object(
            { name: Id('capability name, e.g. "summarize"'), version: Type.String({ pattern: '^[A-Za-z0-9.+_-]{1,64}$', description: 'capability version, e.g. "1.2"' }) },
            { additionalProperties: false },
          ),
          { maxItems: 100, description: 'what the agent can do (dispatch.route)' },
        ),
      ),
      }),
      Type.Record(Type.String(), Type.Unknown()),
    ],
    { description: `${description}; a JSON object, at most maxValueBytes serialized`, [PAYLOAD_MARK]: true },
  );
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

/** A glob over tool refs (`name:version`): `*` any run of characters, `?` one. */
const TOOL_GLOB_PATTERN = '^[A-Za-z0-9._:@/*?-]{1,200}$';
const TOOL_REF_PATTERN = '^[A-Za-z0-9._@/-]{1,128}(:[A-Za-z0-9.+_-]{1,64})?$';
const VERSION_PATTERN = '^[A-Za-z0-9.+_-]{1,64}$';
const BREAKER_NAME_PATTERN = `^(agent|tool):${ID_PATTERN.slice(1, -1)}$`;
const BUDGET_SCOPE_PATTERN = `^(agent|workflow):${ID_PATTERN.slice(1, -1)}$`;
const ToolGlob = (description: string) => Type.String({ pattern: TOOL_GLOB_PATTERN, description });
const ToolGlobs = (description: string) => Type.Optional(Type.Array(ToolGlob('name:version glob, e.g. "shell:*" or "http.*"'), { maxItems: 200, description }));

export const TOPIC_PATTERN = `^(agents|signals|approvals|outcomes|queues|safety|coordination|workflows|events:\\*|events:${ID_PATTERN.slice(1, -1)})$`;
/** One step of workflow.start. */
function WorkflowStepSchema() {
  return Type.Object(
    {
      name: Id('step name, unique in the workflow'),
      queue: Type.Optional(Id("queue the step's job goes to (or give capability)")),
      capability: Type.Optional(
        Type.Object(
          {
            name: Type.String({ pattern: STEP_CAPABILITY_NAME_PATTERN, description: 'capability an agent advertises in metadata.capabilities (an id without @)' }),
            version: Type.Optional(Type.String({ pattern: STEP_CAPABILITY_VERSION_PATTERN, description: 'exactly this version; default any' })),
          },
          { additionalProperties: false, description: "*extension*: instead of queue, the capability whose agents run the step (its job goes to the queue cap:<name>[@<version>])" },
        ),
      ),
      input: Type.Optional(Type.Unknown({ description: "passed in the step's job payload; any JSON value, at most maxValueBytes serialized" })),
      dependsOn: Type.Optional(Type.Array(Id('name of another step'), { maxItems: MAX_WORKFLOW_STEPS, description: 'steps that must complete first' })),
      timeoutMs: Type.Optional(TimeoutMs("the step's job's visibility: a delivery not acked or extended within it is retried")),
      maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'deliveries before the step fails; default 4 (3 retries, backoff 1 s doubling to 60 s)' })),
      optional: Type.Optional(Type.Boolean({ description: "its failure neither fails the workflow nor holds back its dependents (they run without its result)" })),
    },
    { additionalProperties: false },
  );
}


export const schemas = {
  hello: Params({
    client: Type.String({ minLength: 1, maxLength: 200, description: 'client name and version, e.g. "vscode-switchboard/0.1.0"' }),
    protocolVersion: Type.String({ pattern: '^[0-9]+(\\.[0-9]+){0,2}$', description: 'protocol version the client speaks, e.g. "1.0"' }),
  }),

  'agent.start': Params({
    agentId: Id('agent id'),
    metadata: Type.Optional(AgentMetadata('free-form agent metadata (metadata.workflow groups agents in the editor; metadata.capabilities [{name, version}] for dispatch.route)')),
    ttlSeconds: Type.Optional(TtlSeconds('seconds without a beat before the agent expires; default 30')),
  }),
  'agent.beat': Params({
    agentId: Id('agent id'),
    status: Type.Optional(Type.Union([Type.Literal('starting'), Type.Literal('running')], { description: 'default "running"' })),
    progress: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'fraction done, 0..1' })),
    currentTask: Type.Optional(
      Type.Union([Type.String({ maxLength: 1024 }), Type.Null()], { description: 'what the agent is doing now; null clears it' }),
    ),
    metadata: Type.Optional(AgentMetadata('replaces the agent metadata')),
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
    answer: Type.Optional(
      Json('the answer to a question (approved true): one of its choices, or valid against its answerSchema'),
    ),
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
      description: 'agents, signals, approvals, outcomes, queues, safety, coordination, workflows, events:<type>, or events:* (every type)',
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
  'safety.validate': Params({
    text: Type.String({ maxLength: MAX_VALIDATE_CHARS, description: 'the text to check' }),
    agentId: Type.Optional(Id('agent the text comes from or goes to (rules may apply to some agents only)')),
    direction: Type.Optional(Type.Enum(DIRECTIONS, { description: 'input: to an agent; output: from one; default both directions\' rules' })),
  }),
  'safety.rules.get': Params({}),
  'safety.rules.set': Params({
    rules: Type.Array(SafetyRuleSchema(), { maxItems: MAX_RULES, description: 'the whole new rule set (replaces the old one)' }),
    expectedVersion: Type.Integer({ minimum: 0, description: 'the version this set replaces (safety.rules.get); another is -32003' }),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '*extension*: who makes the change, for the audit trail' })),
  }),
  'safety.audit': Params({
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_COUNT, description: 'newest this many, newest last; default 100' })),
    kind: Type.Optional(Id('*extension*: only entries of this kind, e.g. "blocked"')),
  }),
  'policy.get': Params({}),
  'policy.set': Params({
    policy: SafetyPolicySchema(),
    expectedVersion: Type.Integer({ minimum: 0, description: 'the version this policy replaces (policy.get); another is -32003' }),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '*extension*: who makes the change, for the audit trail' })),
  }),
  'policy.check': Params({
    agentId: Id('agent that wants to call the tool'),
    tool: Type.String({ pattern: TOOL_REF_PATTERN, description: 'tool name, or name:version' }),
    args: Type.Optional(JsonObject('the arguments of the call (checked against the tool schema and the argument rules)')),
    workflowId: Type.Optional(Id("*extension*: the workflow the call is part of (its budget counts too)")),
  }),
  'breaker.list': Params({}),
  'breaker.reset': Params({ name: Type.String({ pattern: BREAKER_NAME_PATTERN, description: 'agent:<id> or tool:<name>' }) }),
  'tool.register': Params({
    name: Id('tool name'),
    version: Type.String({ pattern: VERSION_PATTERN, description: 'tool version, e.g. "1.2.0"' }),
    schema: JsonObject('JSON schema of the arguments'),
    flags: Type.Array(Type.Enum(TOOL_FLAGS), { uniqueItems: true, maxItems: TOOL_FLAGS.length, description: 'capabilities the tool uses' }),
    description: Type.Optional(Type.String({ maxLength: 2000, description: '*extension*: what the tool does' })),
  }),
  'tool.list': Params({}),
  'tool.deprecate': Params({ name: Id('tool name'), version: Type.String({ pattern: VERSION_PATTERN, description: 'tool version' }) }),
  'budget.set': Params({
    scope: Type.String({ pattern: BUDGET_SCOPE_PATTERN, description: 'agent:<id> or workflow:<id>' }),
    tokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e15, description: 'tokens allowed per period' })),
    costUsd: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'US dollars allowed per period' })),
    periodSeconds: Type.Integer({ minimum: 60, maximum: 90 * 86_400, description: 'length of a budget period; use resets at each period start' }),
  }),
  'budget.get': Params({ scope: Type.String({ pattern: BUDGET_SCOPE_PATTERN, description: 'agent:<id> or workflow:<id>' }) }),
  'budget.list': Params({}),

  'outcome.timeline': Params({
    agentName: Type.Optional(Id('only this agent')),
    windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_OUTCOME_WINDOW_SECONDS, description: `default ${MAX_OUTCOME_WINDOW_SECONDS}; rounded up to whole steps` })),
    stepSeconds: Type.Optional(
      Type.Integer({ minimum: OUTCOME_BUCKET_SECONDS, maximum: MAX_OUTCOME_WINDOW_SECONDS, multipleOf: OUTCOME_BUCKET_SECONDS, description: `default ${OUTCOME_BUCKET_SECONDS}; whole ${OUTCOME_BUCKET_SECONDS} s buckets` }),
    ),
  }),

  'lock.acquire': Params({
    name: Id('lock name'),
    owner: Id('who holds it (an agent or worker id)'),
    ttlMs: LeaseMs(),
    waitMs: Type.Optional(WaitMs('block up to this long for the lock (woken by push, from any daemon); default 0: answer null at once')),
  }),
  'lock.renew': Params({ name: Id('lock name'), owner: Id('the holder'), fencingToken: FencingToken(), ttlMs: LeaseMs() }),
  'lock.release': Params({ name: Id('lock name'), owner: Id('the holder'), fencingToken: FencingToken() }),
  'lock.list': Params({}),
  'semaphore.acquire': Params({
    name: Id('semaphore name'),
    owner: Id('who holds the permit'),
    limit: Type.Integer({ minimum: 1, maximum: MAX_SEMAPHORE_LIMIT, description: 'most permits held at once (each acquire says it; the callers of one name should agree)' }),
    ttlMs: LeaseMs(),
    waitMs: Type.Optional(WaitMs('block up to this long for a permit (woken by push, from any daemon); default 0')),
  }),
  'semaphore.renew': Params({ name: Id('semaphore name'), permitId: PermitId(), ttlMs: LeaseMs() }),
  'semaphore.release': Params({ name: Id('semaphore name'), permitId: PermitId() }),
  'semaphore.list': Params({}),
  'barrier.wait': Params({
    name: Id('barrier name'),
    parties: Type.Integer({ minimum: 1, maximum: MAX_BARRIER_PARTIES, description: 'arrivals that release the barrier (every party of one generation must say the same)' }),
    timeoutMs: TimeoutMs('how long to wait for the others; then released false and this arrival is withdrawn'),
  }),
  'ratelimit.take': Params({
    key: Id('bucket name, shared by every daemon on this Redis'),
    rate: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'tokens added per second' }),
    burst: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'most tokens the bucket holds (a full bucket to start)' }),
    cost: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'tokens this take needs, at most burst; default 1' })),
  }),
  'quota.take': Params({
    key: Id('quota name, shared by every daemon on this Redis'),
    limit: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'units allowed per period' }),
    periodMs: Type.Integer({ minimum: 1000, maximum: MAX_QUOTA_PERIOD_MS, description: 'length of the period' }),
    window: Type.Optional(
      Type.Union([Type.Literal('fixed'), Type.Literal('sliding')], {
        description: 'fixed: periods aligned to epoch multiples, the count resets at each start; sliding: the last periodMs at any moment (weighted over two fixed periods); default fixed',
      }),
    ),
    cost: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'units this take needs, at most limit; default 1' })),
  }),
  'feedback.record': Params({
    workflow: Id('workflow the stage belongs to'),
    stage: Id('stage of the workflow that was scored'),
    tier: TierSchema('model tier that did the work'),
    quality: Type.Number({ minimum: 0, maximum: 1, description: 'quality score, 0 (worst) to 1 (best)' }),
    metadata: Type.Optional(JsonObject('free-form context of the score (answered back, not stored)')),
  }),
  'feedback.stats': Params({ workflow: Id('workflow'), stage: Id('stage'), tier: TierSchema('model tier') }),
  'feedback.recommend': Params({ workflow: Id('workflow'), stage: Id('stage'), currentTier: TierSchema('the tier the stage runs on now') }),
  'workflow.start': Params({
    name: Type.String({ minLength: 1, maxLength: 200, description: 'what the workflow is, for people' }),
    steps: Type.Array(WorkflowStepSchema(), { minItems: 1, maxItems: MAX_WORKFLOW_STEPS, description: `the steps, at most ${MAX_WORKFLOW_STEPS}; names unique, dependsOn without cycles` }),
    stopOnFailure: Type.Optional(Type.Boolean({ description: "default true: a required step's failure fails the run; false: only its dependents are skipped" })),
    workflowId: Type.Optional(Id('idempotency key: a workflow with this id that exists is answered unchanged; default a new id')),
  }),
  'workflow.get': Params({ workflowId: Id('workflow id') }),
  'workflow.list': Params({
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WORKFLOW_LIST, description: 'newest this many; default 100' })),
  }),
  'workflow.cancel': Params({ workflowId: Id('workflow id') }),
  'workflow.pause': Params({ workflowId: Id('workflow id') }),
  'workflow.resume': Params({ workflowId: Id('workflow id') }),
  'workflow.retryStep': Params({ workflowId: Id('workflow id'), step: Id('name of a failed, cancelled or skipped step') }),
  'dispatch.route': Params({
    capability: Id('capability name the agents advertise in metadata.capabilities'),
    version: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.+_-]{1,64}$', description: 'only agents advertising exactly this version' })),
    excludeDegraded: Type.Optional(Type.Boolean({ description: 'leave out agents with a stale beat, a failure-rate alert or an open breaker; default false' })),
    weights: Type.Optional(
      Type.Object(
        {
          queueDepth: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'default 0.3' })),
          heartbeat: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'default 0.4' })),
          successRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'default 0.3' })),
        },
        { additionalProperties: false, description: 'weights of the three components (normalized to sum 1)' },
      ),
    ),
  }),
  'barrier.list': Params({}),
};

/** One validator rule: data, not code (docs/safety.md "Rule format"). */
export function SafetyRuleSchema() {
  return Type.Object(
    {
      id: Id('rule id, unique in the set'),
      category: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'e.g. crisis, secret, personal_data, destructive, prompt_injection' }),
      severity: Type.Enum(SEVERITIES),
      action: Type.Enum(RULE_ACTIONS, { description: 'block, warn, redact (warn and replace the match), approve (warn; a tool call needs approval)' }),
      pattern: Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'a regular expression (JavaScript syntax) that runs in linear time: no backreferences, no lookaround',
      }),
      caseInsensitive: Type.Optional(Type.Boolean({ description: 'default false' })),
      message: Type.String({ minLength: 1, maxLength: 500, description: 'what a finding of this rule says' }),
      alternative: Type.Optional(Type.String({ maxLength: 2000, description: 'a safe alternative offered when this rule blocks' })),
      replacement: Type.Optional(Type.String({ maxLength: 200, description: 'what a redact rule puts in place of the match; default "[REDACTED:<id>]"' })),
      check: Type.Optional(Type.Literal('luhn', { description: 'the match counts only if its digits pass this checksum' })),
      directions: Type.Optional(Type.Array(Type.Enum(DIRECTIONS), { uniqueItems: true, minItems: 1, description: 'default both' })),
      enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    },
    { additionalProperties: false },
  );
}

/** Who may call which tool, how often, and what needs a human first (docs/safety.md "Policy"). */
export function SafetyPolicySchema() {
  const ArgRule = Type.Object(
    {
      tool: ToolGlob('tools this rule applies to'),
      field: Type.String({ pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', description: 'dot path into the arguments, e.g. "options.path"' }),
      pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'the value (as text) matches this linear-time regular expression' })),
      oneOf: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { maxItems: 200, description: 'the value is one of these' })),
      maxLength: Type.Optional(Type.Integer({ minimum: 0, description: 'the value (as text) is longer than this' })),
      then: Type.Union([Type.Literal('deny'), Type.Literal('approve')], { description: 'what a match (every condition given holds) does' }),
      message: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  );
  const Entry = Type.Object(
    {
      agent: Type.String({ pattern: '^[A-Za-z0-9._:@/*?-]{1,128}$', description: 'agent id glob; the first entry that matches the agent applies' }),
      allow: ToolGlobs('tools the agent may call (none: no tool)'),
      deny: ToolGlobs('tools refused even if allowed'),
      requireApproval: ToolGlobs('tools whose every call needs approval'),
      approvalFlags: Type.Optional(Type.Array(Type.Enum(TOOL_FLAGS), { uniqueItems: true, description: 'calls of tools with any of these flags need approval' })),
      callsPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'tool calls per minute (a token bucket in Redis, burst the same)' })),
      timeoutMs: Type.Optional(Type.Integer({ exclusiveMinimum: 0, maximum: 3_600_000, description: "longest a tool call may run (the SDK's dispatch times out after it)" })),
      argRules: Type.Optional(Type.Array(ArgRule, { maxItems: 200 })),
      overBudget: Type.Optional(Type.Union([Type.Literal('refuse'), Type.Literal('approve')], { description: 'a call past a budget: default refuse' })),
    },
    { additionalProperties: false },
  );
  const breakerSettings = Object.fromEntries(
    Object.entries(BREAKER_DEFAULTS).map(([name, value]) => [name, Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: `default ${value}` }))]),
  );
  return Type.Object(
    {
      agents: Type.Array(Entry, { maxItems: 1000, description: 'entries by agent glob, first match wins; an agent no entry matches may call nothing' }),
      breakers: Type.Optional(Type.Object(breakerSettings, { additionalProperties: false, description: 'circuit breaker settings' })),
    },
    { additionalProperties: false },
  );
}

function TierSchema(description: string) {
  return Type.Enum(TIERS, { description: `${description}: ${TIERS.join(', ')}` });
}

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

function LeaseMs() {
  return Type.Integer({ minimum: MIN_LEASE_MS, maximum: MAX_LEASE_MS, description: 'how long the grant lasts unless renewed (a dead holder loses it then)' });
}

function WaitMs(description: string) {
  return Type.Integer({ minimum: 0, maximum: MAX_TIMEOUT_MS, description });
}

function FencingToken() {
  return Type.Integer({ minimum: 1, description: 'the token of this grant (lock.acquire): an older one is -32003' });
}

function PermitId() {
  return Type.String({ minLength: 1, maxLength: 64, description: 'the permit semaphore.acquire gave' });
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
    choices: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: MAX_CHOICE_CHARS }), {
        minItems: 1,
        maxItems: MAX_CHOICES,
        uniqueItems: true,
        description: 'a question: the answer is one of these (not with answerSchema)',
      }),
    ),
    answerSchema: Type.Optional(JsonObject('a question: the answer is any JSON value valid against this JSON schema (not with choices)')),
    default: Type.Optional(Json('the answer an expired question gets (one of choices / valid against answerSchema)')),
  });
}

export type MethodName = keyof typeof schemas;
export type ParamsOf<M extends MethodName> = Static<(typeof schemas)[M]>;
export type SafetyRuleDoc = Static<ReturnType<typeof SafetyRuleSchema>>;
export type SafetyPolicyDoc = Static<ReturnType<typeof SafetyPolicySchema>>;
