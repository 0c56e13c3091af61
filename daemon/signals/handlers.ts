/** signal.* — direct and broadcast signals between agents; signal.wait wakes on push. */
import { DEFAULTS } from '../../protocol/limits';
import { randomUUID } from 'node:crypto';
import type { Deps } from '../domain/deps';
import { waitUntil, type Waiters } from '../hub/waiters';
import { ANY_SIGNAL_TYPE } from './wake';
import type { Handlers } from '../domain/context';
import { rawOrNull } from '../store/raw-json';
import { answerListing, toScriptPage } from '../store/pages';
import { scripts } from '../store/scripts';

type SignalHandlers = Pick<
  Handlers,
  'signal.send' | 'signal.broadcast' | 'signal.wait' | 'signal.check' | 'signal.pending' | 'signal.clear'
>;

export function signalHandlers({ redis, keys, limits }: Deps, waiters: Waiters): SignalHandlers {
  const boxes = (agentId: string) => ({
    inbox: keys.inbox(agentId),
    broadcasts: keys.broadcasts,
    seen: keys.seen(agentId),
    floors: keys.floors(agentId),
  });

  const send = async (box: string, target: string, from: string, type: string, payload: string | undefined, ttlSeconds?: number) => {
    const signalId = randomUUID();
    return rawOrNull(
      await scripts.signalSend.run(
        redis,
        { box, seq: keys.signalSeq, signal: keys.signal(signalId) },
        {
          signalId,
          type,
          source: from,
          target,
          payload: payload ?? 'null',
          ttlMs: (ttlSeconds ?? DEFAULTS.signalTtlSeconds) * 1000,
          channel: keys.channels.signals,
        },
      ),
    );
  };

  /** The oldest matching signal's JSON, or undefined. */
  const take = async (agentId: string, type: string | undefined, source: string | undefined, consume: boolean) => {
    const reply = await scripts.signalTake.run(redis, boxes(agentId), {
      agentId,
      type: type ?? '',
      source: source ?? '',
      consume: consume ? '1' : '0',
      signalPrefix: keys.signalPrefix,
      channel: keys.channels.signals,
    });
    return typeof reply === 'string' ? reply : undefined;
  };

  return {
    'signal.send': (p, ctx) => send(keys.inbox(p.to), p.to, p.from, p.type, ctx.json.payload, p.ttlSeconds),
    'signal.broadcast': (p, ctx) => send(keys.broadcasts, '*', p.from, p.type, ctx.json.payload, p.ttlSeconds),

    'signal.check': async (p) => rawOrNull(await take(p.agentId, p.type, p.source, p.consume ?? false)),

    'signal.wait': async (p, ctx) =>
      rawOrNull(
        await waitUntil(waiters.inGroup(p.type ?? ANY_SIGNAL_TYPE), p.agentId, p.timeoutMs, ctx.waitingCalls, () =>
          take(p.agentId, p.type, p.source, p.consume ?? true),
        ),
      ),

    'signal.pending': (p) =>
      answerListing(
        p,
        async (cursor, limit) =>
          toScriptPage(
            await scripts.signalPending.run(redis, boxes(p.agentId), {
              agentId: p.agentId,
              type: p.type ?? '',
              signalPrefix: keys.signalPrefix,
              cursor,
              limit,
            }),
          ),
        limits.maxReplyBytes,
      ),

    'signal.clear': async (p) => ({
      cleared: Number(
        await scripts.signalClear.run(redis, boxes(p.agentId), {
          agentId: p.agentId,
          type: p.type ?? '',
          signalPrefix: keys.signalPrefix,
          channel: keys.channels.signals,
        }),
      ),
    }),
  };
}
