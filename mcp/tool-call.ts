/**
 * One MCP tool call: its arguments checked against the tool's schema, then the calling agent's
 * tool policy (policy.check with the MCP tool name and the arguments, which also runs the
 * validator over every string in them), an approval request first when the policy asks for one,
 * then the daemon call (made alongside the check when it changes nothing). Every failure becomes
 * a tool error (`isError`) carrying the daemon's message and code: a model can read it and try
 * otherwise, and the session goes on. A call the
 * client cancelled is not made if it had not reached the daemon, and what the daemon answered
 * after the cancel is handed back (McpTool.abandon).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, RpcError } from '../protocol/errors';
import { paramError } from '../protocol/param-error';
import { ApprovalRejectedError, authorizeToolCall, PolicyDeniedError } from '../client/tool-policy';
import type { Logger } from '../common/logger';
import type { McpTool, ToolContext } from './tools';

export interface CallHooks {
  /** Says what the call waits for now (the progress notifications carry it). */
  waiting(message: string, totalMs?: number): void;
}

const ajv = new Ajv({ strict: true, strictTypes: false, allErrors: false });
const validators = new Map<string, ValidateFunction>();

function validator(tool: McpTool): ValidateFunction {
  let validate = validators.get(tool.name);
  if (!validate) validators.set(tool.name, (validate = ajv.compile(tool.inputSchema)));
  return validate;
}

/** The client's `notifications/cancelled` for the call (the SDK's abort signal), and the log that says what it undid. */
export interface Cancellation {
  signal: AbortSignal;
  log: Logger;
}

export async function callTool(tool: McpTool, context: ToolContext, args: Record<string, unknown>, hooks: CallHooks, cancellation: Cancellation): Promise<CallToolResult> {
  try {
    const validate = validator(tool);
    if (!validate(args)) throw validate.errors?.[0] ? paramError(validate.errors[0]) : new RpcError(ErrorCode.InvalidParams, 'invalid params');
    // A look that changes nothing waits for no verdict: one round trip instead of two. Its answer
    // (or error) is handed over only once the policy allowed the call.
    const early = tool.readOnly?.(args) ? tool.run(context, args) : undefined;
    early?.catch(() => undefined); // its error is read below, or dropped with the call: never unhandled meanwhile
    const decision = await authorizeToolCall(context.client, {
      agentId: context.agentId,
      tool: tool.name,
      args: tool.inspectsContent ? null : args,
      onApprovalRequest: (decision) => hooks.waiting(`waiting for a human to approve ${tool.name} (${decision.reason})`),
    });
    // Cancelled while the policy or a human decided: the call is not made.
    if (cancellation.signal.aborted) return toolError(cancelled(tool));
    const waitMs = tool.waitMs?.(args);
    if (waitMs !== undefined) hooks.waiting(`${tool.name} is waiting`, waitMs);
    // After a human's approval the early look is stale: looked at again.
    const result = early && !decision.requiresApproval ? await early : await tool.run(context, args, cancellation.signal);
    // Nobody reads this answer now (MCP sends none for a cancelled call): what it took must not stay taken.
    if (cancellation.signal.aborted) {
      await handBack(tool, context, result, cancellation);
      return toolError(cancelled(tool));
    }
    return { content: [{ type: 'text', text: tool.summary(result) }], structuredContent: result };
  } catch (error) {
    return toolError(error);
  }
}

async function handBack(tool: McpTool, context: ToolContext, result: Record<string, unknown>, { log }: Cancellation): Promise<void> {
  try {
    const undone = await tool.abandon?.(context, result);
    if (undone !== undefined) log.info(`${tool.name} was cancelled after the daemon answered: ${undone}`);
  } catch (error) {
    log.warn(`${tool.name} was cancelled after the daemon answered, and what it got could not be handed back: ${(error as Error).message}`);
  }
}

const cancelled = (tool: McpTool) => new RpcError(ErrorCode.InvalidRequest, `${tool.name} was cancelled by the client`);

export function toolError(error: unknown): CallToolResult {
  const { code, message, data } = describe(error);
  return {
    isError: true,
    content: [{ type: 'text', text: `${message} (code ${code})` }],
    structuredContent: { error: { code, message, ...(data === undefined ? {} : { data }) } },
  };
}

function describe(error: unknown): { code: number; message: string; data?: unknown } {
  if (error instanceof RpcError) return { code: error.code, message: error.message, data: error.data };
  if (error instanceof PolicyDeniedError) {
    return { code: ErrorCode.BlockedBySafety, message: `refused by the tool policy: ${error.message}`, data: { rule: error.decision.rule } };
  }
  if (error instanceof ApprovalRejectedError) {
    return { code: ErrorCode.BlockedBySafety, message: `not run: ${error.message}`, data: { rule: 'approval', requestId: error.approval.requestId } };
  }
  return { code: ErrorCode.InternalError, message: (error as Error).message ?? String(error) };
}
