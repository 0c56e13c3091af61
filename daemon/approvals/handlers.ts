/** approval.* — human gates. State lives in Redis (AOF in embedded mode), so requests and answers survive restarts. */
import { DEFAULTS } from '../../protocol/limits';
import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { ParamsOf } from '../../protocol/methods';
import type { Approval } from '../../protocol/types';
import { RETENTION, type Deps } from '../domain/deps';
import { waitUntil, type Waiters } from '../hub/waiters';
import type { CallContext, Handlers } from '../domain/context';
import { RawJson, rawOrNull } from '../store/raw-json';
import { answerListing, toScriptPage } from '../store/pages';
import { scripts } from '../store/scripts';
import { checkQuestion, checkResponse } from './answers';

type ApprovalHandlers = Pick<
  Handlers,
  'approval.create' | 'approval.request' | 'approval.wait' | 'approval.respond' | 'approval.pending' | 'approval.get'
>;

/** approval.request waits this much past the expiry for the sweeper's verdict (it sweeps every 250 ms). */
const EXPIRY_GRACE_MS = 2_000;

export function approvalHandlers({ redis, keys, limits }: Deps, waiters: Waiters): ApprovalHandlers {
  const get = async (requestId: string): Promise<string | undefined> => {
    const reply = await scripts.approvalGet.run(redis, { request: keys.approval(requestId) }, {});
    return typeof reply === 'string' ? reply : undefined;
  };

  /** Waits for a decision; answers with the request as it stands when the time is up. */
  const waitForDecision = async (requestId: string, timeoutMs: number, ctx: CallContext): Promise<RawJson> => {
    let latest: string | undefined;
    const decided = await waitUntil(waiters, requestId, timeoutMs, ctx.waitingCalls, async () => {
      latest = await get(requestId);
      if (latest === undefined) throw new RpcError(ErrorCode.NotFound, `approval request "${requestId}" does not exist`);
      return (JSON.parse(latest) as Approval).status === 'pending' ? undefined : latest;
    });
    return new RawJson(decided ?? (await get(requestId)) ?? latest!);
  };

  /** Files the request (or, with an idempotency key, finds the one filed before); answers its id and Approval JSON. */
  const create = async (p: ParamsOf<'approval.create'>, ctx: CallContext): Promise<{ requestId: string; json: RawJson }> => {
    checkQuestion(p);
    const requestId = p.clientRequestId === undefined ? randomUUID() : idempotentRequestId(p.agentId, p.clientRequestId);
    const json = rawOrNull(
      await scripts.approvalCreate.run(
        redis,
        { request: keys.approval(requestId), pending: keys.approvalsPending },
        {
          requestId,
          agentId: p.agentId,
          type: p.type,
          context: ctx.json.context ?? 'null',
          risk: p.risk ?? 'medium',
          timeoutMs: p.timeoutMs ?? DEFAULTS.approvalTimeoutMs,
          channel: keys.channels.approvals,
          choices: p.choices === undefined ? '' : JSON.stringify(p.choices),
          answerSchema: ctx.json.answerSchema ?? '',
          default: ctx.json.default ?? '',
        },
      ),
    );
    return { requestId, json };
  };

  return {
    'approval.create': async (p, ctx) => (await create(p, ctx)).json,

    'approval.request': async (p, ctx) => {
      const { requestId } = await create(p, ctx);
      return waitForDecision(requestId, (p.timeoutMs ?? DEFAULTS.approvalTimeoutMs) + EXPIRY_GRACE_MS, ctx);
    },

    'approval.wait': (p, ctx) => waitForDecision(p.requestId, p.timeoutMs, ctx),

    'approval.respond': async (p, ctx) => {
      const stored = await get(p.requestId);
      // An unknown id falls through to the script's NOT_FOUND; a decided one to its CONFLICT.
      const request = stored === undefined ? undefined : (JSON.parse(stored) as Approval);
      if (request?.status === 'pending') checkResponse(request, p.approved, p.answer);
      // Approving a question without an answer takes its default (checkResponse refused it if there is none).
      const answer = ctx.json.answer ?? (p.approved && request?.default !== undefined ? JSON.stringify(request.default) : '');
      return rawOrNull(
        await scripts.approvalRespond.run(
          redis,
          { request: keys.approval(p.requestId), pending: keys.approvalsPending },
          {
            requestId: p.requestId,
            approved: p.approved ? '1' : '0',
            responder: p.responder,
            reason: p.reason ?? '',
            retentionMs: RETENTION.decidedApprovalMs,
            channel: keys.channels.approvals,
            answer,
          },
        ),
      );
    },

    'approval.pending': (p) =>
      answerListing(
        p,
        async (cursor, limit) =>
          toScriptPage(
            await scripts.approvalsPending.run(redis, { pending: keys.approvalsPending }, { requestPrefix: keys.approvalPrefix, cursor, limit }),
          ),
        limits.maxReplyBytes,
      ),

    'approval.get': async (p) => rawOrNull((await get(p.requestId)) ?? null),
  };
}

/**
 * The request id an idempotency key stands for: a UUID-shaped digest of the agent and its key, so
 * a retry finds the request without a second index in Redis.
 */
export function idempotentRequestId(agentId: string, clientRequestId: string): string {
  const hex = createHash('sha256').update(`${agentId}\n${clientRequestId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
