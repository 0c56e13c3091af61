/** JSON-RPC 2.0 over any transport: parsing, batches, validation, dispatch, error mapping, reply limits. */
import { performance } from 'node:perf_hooks';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { DaemonLimits } from '../../protocol/limits';
import { isBlockingCall } from '../../protocol/methods';
import type { MethodName } from '../../protocol/schemas';
import type { CallHook } from '../domain/call-hook';
import type { CallContext, Handlers } from '../domain/context';
import { fieldName, scanJson, type JsonProblem } from './json-scan';
import type { DaemonMetrics } from './metrics';
import { RawJson } from '../store/raw-json';
import { serializePayloads, validateParams } from './validation';
import type { Logger } from '../../common/logger';

type Id = string | number | null;
type Context = Omit<CallContext, 'json'>;

/** Calls of one batch that run at once: enough to pipeline their Redis work, few enough that a huge batch cannot flood Redis or memory. */
const BATCH_WINDOW = 64;

/** Reply bytes a message may still use; shared by the calls of a batch. */
interface Budget {
  left: number;
}

export class RpcDispatcher {
  private readonly afterHooks: readonly CallHook[];

  constructor(
    private readonly handlers: Handlers,
    private readonly options: { limits: DaemonLimits; metrics: DaemonMetrics; log: Logger; hooks: readonly CallHook[] },
  ) {
    this.afterHooks = options.hooks.filter((hook) => hook.after);
  }

  /** One WebSocket message or HTTP body → the reply text, or undefined when there is nothing to answer (notifications only). */
  async handle(text: string, ctx: Context): Promise<Reply | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      return errorReply(null, new RpcError(ErrorCode.ParseError, `parse error: ${(error as Error).message}`));
    }
    const problems = scanJson(text, this.options.limits.maxJsonDepth);
    const budget: Budget = { left: this.options.limits.maxReplyBytes };
    if (!Array.isArray(message)) return this.handleOne(message, ctx, problems?.get(-1), budget);
    if (message.length === 0) return errorReply(null, new RpcError(ErrorCode.InvalidRequest, 'invalid request: empty batch'));
    // Calls run in order, a window at a time; once the replies pass the limit, the rest do not run.
    const replies: (Reply | undefined)[] = [];
    let next = 0;
    const worker = async () => {
      while (next < message.length) {
        const i = next++;
        replies[i] = budget.left < 0 ? this.notRun(message[i]) : await this.handleOne(message[i], ctx, problems?.get(i), budget);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_WINDOW, message.length) }, worker));
    const answered = replies.filter((r) => r !== undefined);
    return answered.length > 0 ? joinReplies(answered) : undefined;
  }

  private async handleOne(message: unknown, ctx: Context, problem: JsonProblem | undefined, budget: Budget): Promise<Reply | undefined> {
    const head = requestHead(message, problem);
    if (head.error) return errorReply(head.id, head.error);
    const { id, method, isNotification } = head;
    if (!Object.hasOwn(this.handlers, method)) {
      this.options.metrics.observe('unknown', String(ErrorCode.MethodNotFound), 0);
      return isNotification ? undefined : errorReply(id, new RpcError(ErrorCode.MethodNotFound, `unknown method "${method}"`));
    }
    const started = performance.now();
    let result: unknown;
    let failure: RpcError | undefined;
    try {
      if (problem) throw problemError(problem);
      result = await this.call(method as MethodName, (message as Record<string, unknown>).params ?? {}, ctx);
    } catch (error) {
      failure = this.toRpcError(method, error);
    }
    if (failure) this.countLimit(failure);
    const outcome = ctx.caller.aborted ? 'aborted' : failure ? String(failure.code) : 'ok';
    this.options.metrics.observe(method, outcome, (performance.now() - started) / 1000);
    if (isNotification) return undefined;
    if (failure) return errorReply(id, failure);
    const reply = fitReply(id, result, budget);
    if (reply !== undefined) return reply;
    failure = tooLarge(this.options.limits.maxReplyBytes, true);
    this.countLimit(failure);
    return errorReply(id, failure);
  }

  /** Refusals by a configured limit name it as their rule; /metrics counts them per limit. */
  private countLimit(failure: RpcError): void {
    const rule = failure.data?.rule;
    if (rule !== undefined && Object.hasOwn(this.options.limits, rule)) this.options.metrics.limitHit(rule as keyof DaemonLimits);
  }

  /** The answer of a batch call skipped because earlier replies used up the reply limit. */
  private notRun(message: unknown): Reply | undefined {
    const head = requestHead(message, undefined);
    if (head.error) return errorReply(head.id, head.error);
    if (head.isNotification) return undefined;
    return errorReply(head.id, tooLarge(this.options.limits.maxReplyBytes, false));
  }

  private async call(method: MethodName, params: unknown, ctx: Context): Promise<unknown> {
    if (!isRecord(params)) {
      throw new RpcError(ErrorCode.InvalidParams, 'invalid params: params must be an object of named fields', {
        field: 'params',
        rule: 'type',
      });
    }
    validateParams(method, params);
    const json = serializePayloads(method, params, this.options.limits.maxValueBytes);
    const call = { method, params, ctx: { ...ctx, json } };
    for (const hook of this.options.hooks) {
      const pending = hook.check?.(call);
      if (pending) await pending; // most hooks decide synchronously: no extra tick for them
    }
    const handler = this.handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>;
    const result = await (isBlockingCall(method, params) ? this.block(ctx, () => handler(params, call.ctx)) : handler(params, call.ctx));
    for (const hook of this.afterHooks) hook.after!(call);
    return result;
  }

  /**
   * Runs a blocking call as one of its connection's waiting calls. Past maxWaitingPerConnection it
   * is refused before it runs: parked calls cost memory, so one client cannot park without bound.
   */
  private async block(ctx: Context, run: () => Promise<unknown>): Promise<unknown> {
    const max = this.options.limits.maxWaitingPerConnection;
    if (!ctx.waitingCalls.enter(max)) {
      throw new RpcError(
        ErrorCode.RateLimited,
        `too many blocking calls: this connection already has ${max} waiting (maxWaitingPerConnection); wait for one to answer`,
        { rule: 'maxWaitingPerConnection', limit: max },
      );
    }
    ctx.waiting?.();
    try {
      return await run();
    } finally {
      ctx.waitingCalls.leave();
    }
  }

  private toRpcError(method: string, error: unknown): RpcError {
    if (error instanceof RpcError) return error;
    this.options.log.error(`${method} failed: ${(error as Error)?.stack ?? String(error)}`);
    return new RpcError(ErrorCode.InternalError, `internal error in ${method}`);
  }
}

type Head = { id: Id; method: string; isNotification: boolean; error?: undefined } | { id: Id; error: RpcError };

/** The id, method and kind of a request, or why it is not one (with the id to answer it under, when that id is usable). */
function requestHead(message: unknown, problem: JsonProblem | undefined): Head {
  if (!isRecord(message)) return { id: null, error: invalidRequest('a request must be a JSON object') };
  const id = message.id;
  if (problem?.path[0] === 'id') return { id: null, error: invalidRequest(`id ${problem.message.replace(/^the value /, '')}`) };
  if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
    return { id: null, error: invalidRequest('id must be a string, a number or null') };
  }
  const replyId = (id as Id | undefined) ?? null;
  if (problem && problem.path[0] !== 'params') return { id: replyId, error: invalidRequest(problem.message) };
  if (message.jsonrpc !== '2.0') return { id: replyId, error: invalidRequest('jsonrpc must be "2.0"') };
  if (typeof message.method !== 'string') return { id: replyId, error: invalidRequest('method must be a string') };
  return { id: replyId, method: message.method, isNotification: !('id' in message) };
}

function problemError(problem: JsonProblem): RpcError {
  const field = fieldName(problem.path.slice(1)) || 'params';
  return new RpcError(ErrorCode.InvalidParams, `invalid params: ${problem.message}`, { field, rule: problem.rule });
}

function invalidRequest(why: string): RpcError {
  return new RpcError(ErrorCode.InvalidRequest, `invalid request: ${why}`);
}

function tooLarge(limit: number, ran: boolean): RpcError {
  const message = ran
    ? `the reply is over ${limit} bytes (maxReplyBytes): the call ran, but its result is not sent; ask for less (limit, count) or split the batch`
    : `not run: earlier replies of this batch used up its ${limit} bytes (maxReplyBytes); send the rest in another batch`;
  return new RpcError(ErrorCode.TooLarge, message, { rule: 'maxReplyBytes', limit, ran });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reply's text; large raw results stay bytes end to end. */
export type Reply = string | Buffer;

/** The result reply when it fits in the budget (which it then uses up); undefined when it does not. */
function fitReply(id: Id, result: unknown, budget: Budget): Reply | undefined {
  let reply: Reply | undefined;
  try {
    reply = resultReply(id, result);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error; // longer than a JS string can be
  }
  const size = reply === undefined ? Infinity : typeof reply === 'string' ? Buffer.byteLength(reply) : reply.length;
  if (size > budget.left) {
    budget.left = -1;
    return undefined;
  }
  budget.left -= size;
  return reply;
}

function resultReply(id: Id, result: unknown): Reply {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
  if (result instanceof RawJson && Buffer.isBuffer(result.json)) return Buffer.concat([Buffer.from(head), result.json, CLOSE_BRACE]);
  return `${head}${result instanceof RawJson ? result.json : JSON.stringify(result ?? null)}}`;
}

const CLOSE_BRACE = Buffer.from('}');

function joinReplies(replies: Reply[]): Reply {
  if (replies.every((r) => typeof r === 'string')) return `[${replies.join(',')}]`;
  return Buffer.concat(['[', ...replies.flatMap((r, i) => (i === 0 ? [r] : [',', r])), ']'].map((r) => (typeof r === 'string' ? Buffer.from(r) : r)));
}

export function errorReply(id: Id, error: RpcError): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: error.toJSON() });
}
