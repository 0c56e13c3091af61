/**
 * The MCP tools `switchboard mcp` offers: for each, a description written for a model, its input
 * schema (from the protocol schemas, without the calling agent, which the server fills in), the
 * daemon call it makes, and a one-line summary of the result beside the structured one.
 */
import { DEFAULTS } from '../protocol/limits';
import type { Approval, Job, Lock, Signal } from '../protocol/types';
import { ask, type AskOptions } from '../client/ask';
import type { SwitchboardClient } from '../client/client';
import type { Heartbeat } from '../client/heartbeat';
import { paramSchema, toolInputSchema, type ToolInputSchema } from './tool-schemas';

export interface ToolContext {
  client: SwitchboardClient;
  agentId: string;
  heartbeat: Heartbeat;
}

type Args = Record<string, unknown>;

export interface McpTool {
  name: string;
  /** For people: the clients' tool lists show it. */
  title: string;
  description: string;
  inputSchema: ToolInputSchema;
  /** The structured result (an object: MCP's structuredContent); `cancelled` is the client's cancel, for a call that takes in steps. */
  run(context: ToolContext, args: Args, cancelled?: AbortSignal): Promise<Record<string, unknown>>;
  /** The text content beside it, for clients that read only text. */
  summary(result: Record<string, unknown>): string;
  /**
   * The arguments are content the tool inspects rather than acts on (a text to validate, another
   * call to check): the policy check goes without them, or a text the validator blocks would
   * refuse the very call that asks whether it is blocked.
   */
  inspectsContent?: true;
  /**
   * Undoes the result of a call the client cancelled while the daemon worked (a lock granted, a job
   * delivered to nobody); resolves with what it did, or undefined when there was nothing to undo.
   */
  abandon?(context: ToolContext, result: Record<string, unknown>): Promise<string | undefined>;
  /** How long the call may block (the progress notifications' total); undefined: it answers at once. */
  waitMs?(args: Args): number | undefined;
  /**
   * The call with these arguments changes nothing in the daemon (a look, not a take): it is made
   * alongside its policy check, and its answer handed over only if the policy lets the call run.
   */
  readOnly?(args: Args): boolean;
}

const json = (value: unknown) => JSON.stringify(value);
const asRecord = <T extends object>(value: T) => value as unknown as Record<string, unknown>;
const approvalWait = (args: Args) => (args.timeoutMs as number | undefined) ?? DEFAULTS.approvalTimeoutMs;
const optionalWait = (args: Args) => ((args.waitMs as number | undefined) ?? 0) > 0 ? (args.waitMs as number) : undefined;

function signalText(signal: Signal | null, none: string): string {
  return signal ? `signal ${signal.type} from ${signal.source}: ${json(signal.payload)}` : none;
}

function approvalText(approval: Approval): string {
  return `${approval.status}${approval.responder ? ` by ${approval.responder}` : ''}${approval.reason ? `: ${approval.reason}` : ''}`;
}

function jobText(job: Job): string {
  return `job ${job.jobId} on ${job.queue}: ${job.state}, attempt ${job.attempts} of ${job.maxAttempts}`;
}

export const TOOLS: McpTool[] = [
  {
    name: 'report_status',
    title: 'Report status',
    description:
      'Tell the humans and agents watching the Switchboard fleet what you are doing now. Call it when you start a task, reach a milestone or change direction: currentTask is a short sentence, progress a fraction from 0 to 1. Your heartbeat keeps reporting it until you call again.',
    inputSchema: toolInputSchema('agent.beat', { omit: ['agentId', 'metadata'] }),
    run: async ({ heartbeat }, args) => asRecord(await heartbeat.update(args)),
    summary: (s) => `${s.agentId} is ${s.status}, progress ${Math.round((s.progress as number) * 100)} %${s.currentTask ? `: ${s.currentTask}` : ''}`,
  },
  {
    name: 'request_approval',
    title: 'Request approval',
    description:
      'Ask a human to approve a risky action (a deploy, deleting data, spending money, anything hard to undo) BEFORE you do it, and wait for the decision. `type` names the action ("deploy"), `context` says what exactly and why, so the human can decide. Proceed only when the result says approved is true; rejected or expired means do not do it.',
    inputSchema: toolInputSchema('approval.request', { omit: ['agentId', 'clientRequestId', 'choices', 'answerSchema', 'default'] }),
    run: async ({ client, agentId }, args) => {
      const approval = await client.approvals.request({ ...(args as { type: string; context: unknown }), agentId });
      return { approved: approval.status === 'approved', ...approval };
    },
    summary: (a) => approvalText(a as unknown as Approval),
    waitMs: approvalWait,
  },
  {
    name: 'ask_human',
    title: 'Ask a human',
    description:
      'Ask a human a question and wait for the answer. Give `choices` for a pick from a list, or `answerSchema` (a JSON schema) for a structured answer; with neither, the answer is free text. Use it when you need a decision or information only a person has; `default` is the answer if nobody replies within timeoutMs.',
    inputSchema: toolInputSchema('approval.request', {
      pick: ['choices', 'answerSchema', 'default', 'timeoutMs', 'risk'],
      add: { question: { schema: { type: 'string', minLength: 1, maxLength: 2000, description: 'what to ask, as the human will read it' }, required: true } },
    }),
    run: async ({ client, agentId }, args) => {
      const { question, choices, answerSchema, ...rest } = args as { question: string; choices?: string[]; answerSchema?: Record<string, unknown> };
      // Neither choices nor a schema: free text, which an answer schema says as a non-empty string.
      const shape = choices ? { choices } : { answerSchema: answerSchema ?? { type: 'string', minLength: 1 } };
      const { answer, status, approval } = await ask(client, { ...rest, ...shape, question, agentId } as AskOptions);
      return { answer: answer ?? null, status, requestId: approval.requestId, ...(approval.responder ? { responder: approval.responder } : {}), ...(approval.reason ? { reason: approval.reason } : {}) };
    },
    summary: (r) => (r.status === 'approved' ? `answer: ${json(r.answer)}` : `no answer (${r.status}${r.reason ? `: ${r.reason}` : ''})${r.answer === null ? '' : `, default ${json(r.answer)}`}`),
    waitMs: approvalWait,
  },
  {
    name: 'send_signal',
    title: 'Send a signal',
    description:
      'Send a signal to one other agent of the fleet (by its agent id): a typed message such as "task.handoff", "pause" or "review.done" with a JSON payload. It waits for that agent to take it (wait_for_signal / check_signals) until ttlSeconds pass.',
    inputSchema: toolInputSchema('signal.send', { omit: ['from'] }),
    run: async ({ client, agentId }, args) => asRecord(await client.signals.send({ ...(args as { to: string; type: string }), from: agentId })),
    summary: (s) => `sent ${s.type} ${s.signalId} to ${s.target}`,
  },
  {
    name: 'broadcast_signal',
    title: 'Broadcast a signal',
    description: 'Send a signal to every agent of the fleet at once (each may take it once; you do not get your own). Use it for fleet-wide news: "freeze", "config.changed".',
    inputSchema: toolInputSchema('signal.broadcast', { omit: ['from'] }),
    run: async ({ client, agentId }, args) => asRecord(await client.signals.broadcast({ ...(args as { type: string }), from: agentId })),
    summary: (s) => `broadcast ${s.type} ${s.signalId}`,
  },
  {
    name: 'wait_for_signal',
    title: 'Wait for a signal',
    description:
      'Wait until another agent (or a human) sends you a signal, optionally only of one type or from one source, for up to timeoutMs. Returns the signal (taken off your inbox unless consume is false), or signal null when the time ran out.',
    inputSchema: toolInputSchema('signal.wait', { omit: ['agentId'] }),
    run: async ({ client, agentId }, args, cancelled) => {
      const { consume = true, timeoutMs, ...filter } = args as { consume?: boolean; timeoutMs: number; type?: string; source?: string };
      if (!consume) return { signal: await client.signals.wait({ ...filter, timeoutMs, consume, agentId }) };
      // Waits without taking, then takes: a call cancelled while it waited leaves the signal in the
      // inbox. Another session of the same agent may take it in between: then it waits again.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const seen = await client.signals.wait({ ...filter, timeoutMs: Math.max(1, deadline - Date.now()), consume: false, agentId });
        if (!seen) return { signal: null };
        if (cancelled?.aborted) return { signal: seen, leftInInbox: true };
        const taken = await client.signals.check({ ...filter, consume: true, agentId });
        if (taken || Date.now() >= deadline) return { signal: taken };
      }
    },
    summary: (r) => signalText(r.signal as Signal | null, 'no signal arrived in time'),
    waitMs: (args) => args.timeoutMs as number,
    abandon: async (_context, r) => (r.leftInInbox ? `left signal ${(r.signal as Signal).signalId} in the inbox` : undefined),
  },
  {
    name: 'check_signals',
    title: 'Check signals',
    description:
      'Look, without waiting, for the oldest signal sent to you (optionally of one type or from one source). It stays in your inbox unless consume is true. Returns signal null when there is none.',
    inputSchema: toolInputSchema('signal.check', { omit: ['agentId'] }),
    run: async ({ client, agentId }, args) => ({ signal: await client.signals.check({ ...args, agentId }) }),
    summary: (r) => signalText(r.signal as Signal | null, 'no signal waiting'),
    readOnly: (args) => args.consume !== true,
  },
  {
    name: 'publish_event',
    title: 'Publish an event',
    description: 'Publish an event of some type with JSON data to the fleet\'s event stream (the editor\'s Events view and any subscriber see it): for things that happened, not requests.',
    inputSchema: toolInputSchema('event.publish'),
    run: async ({ client }, args) => await client.events.publish(args as { type: string; data: unknown }),
    summary: (r) => `published event ${r.id}`,
  },
  {
    name: 'record_outcome',
    title: 'Record an outcome',
    description:
      'Record how one of your actions went (status success / failure / partial / timeout / cancelled, how long it took, tokens and cost if known). The fleet\'s success rates, latency percentiles, alerts, circuit breakers and budgets are computed from these.',
    inputSchema: toolInputSchema('outcome.record', { omit: ['agentName'] }),
    run: async ({ client, agentId }, args) => asRecord(await client.outcomes.record({ ...(args as { actionType: string; status: 'success'; durationMs: number }), agentName: agentId })),
    summary: (o) => `recorded ${o.status} of ${o.actionType} (${o.severity})`,
  },
  {
    name: 'check_policy',
    title: 'Check the tool policy',
    description:
      'Ask whether the tool policy lets you call a tool (by its registered name, or name:version) with these arguments now: answers allowed, requiresApproval and the reason. An allowed answer uses up one call of your rate limit.',
    inputSchema: toolInputSchema('policy.check', { omit: ['agentId'] }),
    inspectsContent: true,
    run: async ({ client, agentId }, args) => asRecord(await client.policy.check({ ...(args as { tool: string }), agentId })),
    summary: (d) => `${d.allowed ? (d.requiresApproval ? 'allowed after approval' : 'allowed') : 'refused'}: ${d.reason}`,
  },
  {
    name: 'validate_content',
    title: 'Validate content',
    description:
      'Check a text against the fleet\'s safety rules before you send or act on it: answers level safe / warning / blocked, what was found where, a redacted version and a safe alternative when a rule has one. direction: input for text coming to you, output for text you produce.',
    inputSchema: toolInputSchema('safety.validate', { omit: ['agentId'] }),
    inspectsContent: true,
    run: async ({ client, agentId }, args) => asRecord(await client.safety.validate({ ...(args as { text: string }), agentId })),
    summary: (v) => `${v.level}${(v.findings as unknown[]).length > 0 ? `: ${(v.findings as { message: string }[]).map((f) => f.message).join('; ')}` : ''}`,
  },
  {
    name: 'enqueue_job',
    title: 'Enqueue a job',
    description:
      'Put a job (any JSON payload) on a work queue for a worker agent to do. jobId makes it idempotent (the same id again answers the existing job); priority, delayMs, maxAttempts and backoff shape how it is delivered and retried.',
    inputSchema: toolInputSchema('queue.enqueue'),
    run: async ({ client }, args) => asRecord(await client.queues.enqueue(args as { queue: string; payload: unknown })),
    summary: (j) => jobText(j as unknown as Job),
  },
  {
    name: 'claim_job',
    title: 'Claim a job',
    description:
      'Take the next job from a work queue to work on (waiting up to waitMs for one). It is yours for visibilityMs: finish it with complete_job, passing its jobId and receipt, before then or it goes back to the queue. Returns job null when there is none.',
    inputSchema: toolInputSchema('queue.receive', { omit: ['consumer', 'count'] }),
    run: async ({ client, agentId }, args) => ({ job: await client.queues.receive({ ...(args as { queue: string }), consumer: agentId }) }),
    summary: (r) => (r.job ? `${jobText(r.job as Job)}, receipt ${(r.job as Job).receipt}: ${json((r.job as Job).payload)}` : 'no job waiting'),
    // queue.release, not a nack: the delivery counts as no attempt and the job is first in line again.
    abandon: async ({ client }, r) => {
      const job = r.job as Job | null;
      if (!job) return undefined;
      await client.queues.release({ queue: job.queue, jobId: job.jobId, receipt: job.receipt! });
      return `handed job ${job.jobId} back to ${job.queue}, the attempt not counted`;
    },
    waitMs: optionalWait,
  },
  {
    name: 'complete_job',
    title: 'Complete a job',
    description:
      'Finish a job you claimed (its queue, jobId and receipt from claim_job): with its result when it worked, or with `error` when it failed — then it is retried after its backoff (or dead after its last attempt, or at once with retry false).',
    inputSchema: toolInputSchema('queue.ack', { add: { error: { schema: paramSchema('queue.nack', 'error') }, retry: { schema: paramSchema('queue.nack', 'retry') } } }),
    run: async ({ client }, args) => {
      const { error, retry, result, ...delivery } = args as { queue: string; jobId: string; receipt: string; error?: string; retry?: boolean; result?: unknown };
      const failed = error !== undefined || retry !== undefined;
      return asRecord(failed ? await client.queues.nack({ ...delivery, error, retry }) : await client.queues.ack({ ...delivery, result }));
    },
    summary: (j) => jobText(j as unknown as Job),
  },
  {
    name: 'acquire_lock',
    title: 'Acquire a lock',
    description:
      'Take a named lock shared by the whole fleet (e.g. "repo:main" or "deploy:prod") so that no other agent works on the same thing at once; it lasts ttlMs unless released, and waitMs waits for a holder to let go. Returns lock null when someone else holds it. Keep the fencingToken: release_lock needs it.',
    inputSchema: toolInputSchema('lock.acquire', { omit: ['owner'] }),
    run: async ({ client, agentId }, args) => ({ lock: await client.locks.acquire({ ...(args as { name: string; ttlMs: number }), owner: agentId }) }),
    summary: (r) => {
      const lock = r.lock as Lock | null;
      return lock ? `holding ${lock.name} (fencing token ${lock.fencingToken}) until ${new Date(lock.expiresAt).toISOString()}` : 'the lock is held by someone else';
    },
    abandon: async ({ client, agentId }, r) => {
      const lock = r.lock as Lock | null;
      if (!lock) return undefined;
      await client.locks.release({ name: lock.name, fencingToken: lock.fencingToken, owner: agentId });
      return `released lock ${lock.name} (fencing token ${lock.fencingToken})`;
    },
    waitMs: optionalWait,
  },
  {
    name: 'release_lock',
    title: 'Release a lock',
    description: 'Release a lock you hold (its name and the fencingToken acquire_lock gave), so that others waiting for it can go on.',
    inputSchema: toolInputSchema('lock.release', { omit: ['owner'] }),
    run: async ({ client, agentId }, args) => await client.locks.release({ ...(args as { name: string; fencingToken: number }), owner: agentId }),
    summary: () => 'released',
  },
];
