/** JSON-RPC 2.0 over any transport: parsing, batches, validation, dispatch, error mapping. */
import { performance } from 'node:perf_hooks';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { MethodName } from '../../protocol/schemas';
import type { CallContext, Handlers } from './context';
import type { DaemonMetrics } from './metrics';
import { RawJson } from './raw-json';
import { serializePayloads, validateParams } from './validation';
import type { Logger } from '../runtime/logger';

type Id = string | number | null;

export class RpcDispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly options: { maxValueBytes: number; metrics: DaemonMetrics; log: Logger },
  ) {}

  /** One WebSocket message or HTTP body → the reply text, or undefined when there is nothing to answer (notifications only). */
  async handle(text: string, ctx: Omit<CallContext, 'json'>): Promise<Reply | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      return errorReply(null, new RpcError(ErrorCode.ParseError, `parse error: ${(error as Error).message}`));
    }
    if (!Array.isArray(message)) return this.handleOne(message, ctx);
    if (message.length === 0) return errorReply(null, new RpcError(ErrorCode.InvalidRequest, 'invalid request: empty batch'));
    // Calls of a batch run together, their Redis commands in flight at once.
    const replies = (await Promise.all(message.map((m) => this.handleOne(m, ctx)))).filter((r) => r !== undefined);
    return replies.length > 0 ? joinReplies(replies) : undefined;
  }

  private async handleOne(message: unknown, ctx: Omit<CallContext, 'json'>): Promise<Reply | undefined> {
    if (!isRecord(message)) return errorReply(null, invalidRequest('a request must be a JSON object'));
    const id = message.id;
    if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
      return errorReply(null, invalidRequest('id must be a string, a number or null'));
    }
    const replyId: Id = id ?? null;
    if (message.jsonrpc !== '2.0') return errorReply(replyId, invalidRequest('jsonrpc must be "2.0"'));
    if (typeof message.method !== 'string') return errorReply(replyId, invalidRequest('method must be a string'));
    const isNotification = !('id' in message);
    const method = message.method;
    if (!Object.hasOwn(this.handlers, method)) {
      this.options.metrics.observe('unknown', ErrorCode.MethodNotFound, 0);
      return isNotification ? undefined : errorReply(replyId, new RpcError(ErrorCode.MethodNotFound, `unknown method "${method}"`));
    }
    const started = performance.now();
    let result: unknown;
    let failure: RpcError | undefined;
    try {
      result = await this.call(method as MethodName, message.params ?? {}, ctx);
    } catch (error) {
      failure = this.toRpcError(method, error);
    }
    this.options.metrics.observe(method, failure?.code, (performance.now() - started) / 1000);
    if (isNotification) return undefined;
    return failure ? errorReply(replyId, failure) : resultReply(replyId, result);
  }

  private async call(method: MethodName, params: unknown, ctx: Omit<CallContext, 'json'>): Promise<unknown> {
    if (!isRecord(params)) {
      throw new RpcError(ErrorCode.InvalidParams, 'invalid params: params must be an object of named fields', {
        field: 'params',
        rule: 'type',
      });
    }
    validateParams(method, params);
    const json = serializePayloads(method, params, this.options.maxValueBytes);
    const handler = this.handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>;
    return handler(params, { ...ctx, json });
  }

  private toRpcError(method: string, error: unknown): RpcError {
    if (error instanceof RpcError) return error;
    this.options.log.error(`${method} failed: ${(error as Error)?.stack ?? String(error)}`);
    return new RpcError(ErrorCode.InternalError, `internal error in ${method}`);
  }
}

function invalidRequest(why: string): RpcError {
  return new RpcError(ErrorCode.InvalidRequest, `invalid request: ${why}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reply's text; large raw results stay bytes end to end. */
export type Reply = string | Buffer;

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
