/**
 * The one place Redis key and channel names are built.
 *
 * Each domain lives under one hash tag (`{sb:agents}`, `{sb:signals}`…) so that every key a Lua
 * script touches sits in the same Redis Cluster slot; scripts that reach per-item keys are given
 * the item key prefix and build those keys themselves, as BullMQ's scripts do. Pub/sub channels
 * carry no tag: classic PUBLISH reaches every node of a cluster.
 */
export type Keys = ReturnType<typeof createKeys>;

export function createKeys(namespace = 'sb') {
  const agents = `{${namespace}:agents}`;
  const signals = `{${namespace}:signals}`;
  const approvals = `{${namespace}:approvals}`;
  const events = `{${namespace}:events}`;
  const outcomes = `{${namespace}:outcomes}`;
  const safety = `{${namespace}:safety}`;
  const breakers = `{${namespace}:breakers}`;
  const budgets = `{${namespace}:budgets}`;
  return {
    namespace,
    /** Hash of one agent's AgentStatus fields. */
    agent: (agentId: string) => `${agents}:agent:${agentId}`,
    agentPrefix: `${agents}:agent:`,
    /**
     * The agent indexes, named as the agent scripts name their keys: every script that changes an
     * agent keeps all four in step, so they are built here once and passed as one object.
     */
    agentIndexes: {
      /** Sorted set: alive agent id → deadline (last beat + ttl, epoch ms). The expiry sweeper reads it. */
      expiry: `${agents}:expiry`,
      /** Sorted set: alive agent id → last beat (epoch ms). agent.stale reads it. */
      beats: `${agents}:beats`,
      /** Sorted set: ended or expired agent id → end time (epoch ms), trimmed to the agent.list window. */
      ended: `${agents}:ended`,
      /** Hash: agent id → AgentStatus JSON of every agent agent.list shows (one HVALS lists them all). */
      listed: `${agents}:listed`,
    },

    /** Hash of one signal (its JSON plus the fields scripts filter on); expires with the signal. */
    signal: (signalId: string) => `${signals}:signal:${signalId}`,
    signalPrefix: `${signals}:signal:`,
    /**
     * Sorted set: "<signal id>#<type>" → send sequence, for one target agent. Beside it (and beside
     * `broadcasts`) the scripts keep `<box>#<type>`, the same entries of one type only.
     */
    inbox: (agentId: string) => `${signals}:inbox:${agentId}`,
    /** Sorted set: "<broadcast signal id>#<type>" → send sequence. */
    broadcasts: `${signals}:broadcasts`,
    /** Set of broadcast ids one agent has consumed or cleared. */
    seen: (agentId: string) => `${signals}:seen:${agentId}`,
    /**
     * Hash: broadcast index ("*" for all, else a type) → the send sequence up to which every
     * broadcast there is seen by, sent by, or expired for one agent; its scans start above it.
     */
    floors: (agentId: string) => `${signals}:floors:${agentId}`,
    /** Counter giving signals a total send order (first-in first-out across inbox and broadcasts). */
    signalSeq: `${signals}:seq`,

    /** Hash of one approval request. */
    approval: (requestId: string) => `${approvals}:request:${requestId}`,
    approvalPrefix: `${approvals}:request:`,
    /** Sorted set: pending request id → expiresAt (epoch ms). */
    approvalsPending: `${approvals}:pending`,

    /** Stream of published events of one type; it expires eventRetentionMs after the type's last publish. */
    eventStream: (type: string) => `${events}:stream:${type}`,
    eventStreamPrefix: `${events}:stream:`,
    /**
     * Sorted set of the event types published within their retention, every score 0 so that it is
     * ordered by name (event.types; `switchboard events` without --type). Not `:types`: that key
     * held a plain set before types expired.
     */
    eventTypes: `${events}:typeNames`,
    /** Sorted set: event type → end of its retention (last publish + eventRetentionMs, epoch ms). The sweeper reads it. */
    eventTypesExpiry: `${events}:typeExpiry`,

    /**
     * One queue's keys, all under its own hash tag `{sb:q:<name>}` so that queues spread over a
     * Redis Cluster while each queue's scripts stay in one slot.
     */
    queue: (name: string) => queueKeys(`{${namespace}:q:${name}}`),
    /** Set of queue names (queue.list); in its own slot, so it is written apart from the queue's script. */
    queueNames: `{${namespace}:queues}:names`,
    /** Sorted set: queue name → the next time a delayed job or a delivery falls due there (a hint for the sweeper). */
    queuesDue: `{${namespace}:queues}:due`,

    /**
     * Outcomes: one hash tag for the stream and every agent's stats, since one script records an
     * outcome in both (the trade-off: all outcomes live on one Cluster shard).
     */
    /** Capped stream of every agent's OutcomeEvents (fields: a agent, s status, w workflow, t tags, j JSON). */
    outcomeStream: `${outcomes}:stream`,
    /** Sorted set: agent name → its latest outcome (epoch ms), trimmed to the largest stats window. */
    outcomeAgents: `${outcomes}:agents`,
    /** Sorted set: agent name → when its alert was last settled, for agents whose failure-rate alert is on (the sweep's to-do list). */
    outcomeAlerting: `${outcomes}:alerting`,
    /** Prefix of the per-agent hashes: where the running window stands (`head` bucket) and the alert state. */
    outcomeAgentPrefix: `${outcomes}:agent:`,
    /** Prefix of the per-agent running windows: the sum of the last 300 s of buckets, in the bucket layout. */
    outcomeWindowPrefix: `${outcomes}:window:`,
    /** Prefix of the stats buckets: `<prefix><agent>:<bucket number>`, a fixed-layout string (store/outcome-buckets.ts). */
    outcomeBucketPrefix: `${outcomes}:bucket:`,
    /** Prefix of the client-given eventIds remembered for deduplication (value: the stream entry id). */
    outcomeIdPrefix: `${outcomes}:id:`,

    /**
     * Safety: the live rule set, the policy, the tool registry and the audit stream share one hash
     * tag (they are small and change rarely); breakers, rate buckets and budgets, written on the
     * hot path, have keys of their own.
     */
    /** Hash: `version`, `json` (the rules), `at`, `by` of the live rule set. */
    safetyRules: `${safety}:rules`,
    /** Hash: `version`, `json` (the policy), `at`, `by` of the live tool policy. */
    safetyPolicy: `${safety}:policy`,
    /** Hash: "<name>:<version>" → ToolSpec JSON. */
    safetyTools: `${safety}:tools`,
    /** Stream of AuditEntry fields, capped at the daemon's auditMaxLen. */
    safetyAudit: `${safety}:audit`,
    /** Counter bumped by every tool registry change: a daemon that missed a frame sees its copy is stale. */
    safetyToolsVersion: `${safety}:toolsVersion`,
    /** Hash: "<name>:<version>" → when policy.check last allowed a call of it (epoch ms), written in batches. */
    safetyToolsUsed: `${safety}:toolsUsed`,
    /** Hash of one agent's callsPerMinute token bucket (`t` tokens, `at` ms), under a tag of its own: written on every check. */
    safetyRate: (agentId: string) => `{${namespace}:rate:${agentId}}`,

    /**
     * Circuit breakers: one small hash tag for all of them, so that the outcomes of one tick (any
     * number of agents and tools) move their breakers in one script call.
     */
    /** Prefix of the per-breaker hashes (`<prefix>agent:<name>` / `<prefix>tool:<name>`): state, counts, the error-rate ring. */
    breakerPrefix: `${breakers}:b:`,
    /** Sorted set: breaker name → its latest failure (epoch ms): the breakers breaker.list shows. */
    breakersSeen: `${breakers}:seen`,
    /** Sorted set: open breaker name → when it turns half-open (epoch ms). The sweeper reads it. */
    breakersOpen: `${breakers}:open`,

    /** Budgets: one hash tag for all, as for breakers (a tick's outcomes feed every scope in one call). */
    /** Prefix of the per-scope budget hashes (`<prefix>agent:<name>` / `<prefix>workflow:<id>`): limits, period, use. */
    budgetPrefix: `${budgets}:b:`,
    /** Sorted set of the scopes that have a budget, every score 0 (ordered by name: budget.list). */
    budgetScopes: `${budgets}:scopes`,

    /**
     * Feedback: one hash per workflow stage under its own hash tag (stages spread over a Cluster;
     * recommend reads a stage's tiers in one script). Fields `<tier>:<day number>` hold
     * "count sum min max" of that day's scores. `#` cannot occur in an id, so no two stages share a tag.
     */
    feedbackStage: (workflow: string, stage: string) => `{${namespace}:fb:${workflow}#${stage}}`,
    /**
     * Hash of one workflow and its steps (daemon/store/lua/includes/workflowSteps.lua), under its own
     * tag so that workflows spread over a Redis Cluster; it expires workflowRetentionMs after the run ends.
     */
    workflow: (workflowId: string) => `{${namespace}:wf:${workflowId}}`,
    /**
     * Sorted set: workflow id → start time (workflow.list); in its own slot, written before
     * workflow.start's script, and its ids whose hash expired are dropped by the list and a sweep.
     */
    workflowIds: `{${namespace}:workflows}:ids`,

    /** Pub/sub channels: every state change is published on its domain's channel (see daemon/events/frame.ts). */
    channels: {
      agents: `${namespace}:ch:agents`,
      signals: `${namespace}:ch:signals`,
      approvals: `${namespace}:ch:approvals`,
      events: `${namespace}:ch:events`,
      queues: `${namespace}:ch:queues`,
      outcomes: `${namespace}:ch:outcomes`,
      safety: `${namespace}:ch:safety`,
      coordination: `${namespace}:ch:coordination`,
      workflows: `${namespace}:ch:workflows`,
    },

    /**
     * Coordination primitives: each lock, semaphore, barrier, bucket and quota under a hash tag of
     * its own, so that they spread over a Redis Cluster while each one's script stays in one slot.
     */
    lock: (name: string) => ({
      /** Hash: owner, token, expiresAt of the current grant (kept a grace period past its expiry, for the sweep to publish it). */
      holder: `{${namespace}:lock:${name}}:holder`,
      /** Counter of grants: the fencing token. It never expires, so a token is never given twice. */
      fence: `{${namespace}:lock:${name}}:fence`,
    }),
    semaphore: (name: string) => ({
      /** Sorted set: permit id → expiresAt (epoch ms). */
      permits: `{${namespace}:sem:${name}}:permits`,
      /** Hash: permit id → owner; and `#limit`, the limit of the latest acquire. */
      owners: `{${namespace}:sem:${name}}:owners`,
    }),
    /** Hash: generation, arrived, parties of the generation under way. */
    barrier: (name: string) => `{${namespace}:barrier:${name}}`,
    /** Hash of one token bucket (`t` tokens, `at` ms). */
    bucket: (key: string) => `{${namespace}:bucket:${key}}`,
    /** Hash of one quota: `p` period number and `n` its count, `q` the count of the period before. */
    quota: (key: string) => `{${namespace}:quota:${key}}`,
    /**
     * Beside them, in their own slot (written apart from the primitives' scripts, as hints): the
     * names ever locked / acquired, for the listings, and when each next needs the sweeper.
     */
    /** Set of lock names; sorted set: lock name → when its lease ends (epoch ms). */
    lockRegistry: { names: `{${namespace}:coordination}:locks`, due: `{${namespace}:coordination}:locksDue` },
    /** Set of semaphore names; sorted set: semaphore name → when its earliest permit expires (epoch ms). */
    semaphoreRegistry: { names: `{${namespace}:coordination}:semaphores`, due: `{${namespace}:coordination}:semaphoresDue` },
    /** Sorted set: barrier name → until when its state may last (epoch ms, the arriving daemon's clock), for barrier.list. */
    barrierRegistry: `{${namespace}:coordination}:barriers`,
  };
}

export type QueueKeys = ReturnType<typeof queueKeys>;

function queueKeys(tag: string) {
  return {
    /** Lists of waiting job ids, one per priority (LPUSH in, RPOP out: first in, first out). */
    waitHigh: `${tag}:wait:high`,
    waitNormal: `${tag}:wait:normal`,
    waitLow: `${tag}:wait:low`,
    /** Sorted set: delayed job id (or one waiting out its backoff) → when it may run (epoch ms). */
    delayed: `${tag}:delayed`,
    /** Sorted set: received job id → visibleUntil (epoch ms). */
    active: `${tag}:active`,
    /** Sorted set: dead job id → when it died. */
    dead: `${tag}:dead`,
    /** Sorted set: completed job id → when it completed; trimmed to the newest queueCompletedKept. */
    completed: `${tag}:completed`,
    /** Hash: counters (`receipts` for fencing tokens, `completedTotal`) and the queue's settings (`maxLength`). */
    meta: `${tag}:meta`,
    /** Prefix of the job hashes (`<prefix><jobId>`). */
    jobPrefix: `${tag}:job:`,
  };
}
