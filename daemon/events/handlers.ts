/** event.* (one capped Redis Stream per type) and subscribe/unsubscribe (pushes over WebSocket). */
import { ErrorCode, RpcError } from '../../protocol/errors';
import { EVENT_STREAM_MAXLEN } from '../../protocol/limits';
import type { Deps } from '../domain/deps';
import type { Handlers } from '../domain/context';
import { RawJson } from '../store/raw-json';
import { answerListing, toScriptPage } from '../store/pages';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';

type EventHandlers = Pick<Handlers, 'event.publish' | 'event.recent' | 'event.types' | 'subscribe' | 'unsubscribe'>;

const DEFAULT_RECENT = 100;

export function eventHandlers({ redis, keys, hub, limits }: Deps): EventHandlers {
  return {
    'event.publish': async (p, ctx) => ({
      id: String(
        await scripts.eventPublish.run(
          redis,
          { stream: keys.eventStream(p.type), typeNames: keys.eventTypes, typeExpiry: keys.eventTypesExpiry },
          {
            type: p.type,
            data: ctx.json.data ?? 'null',
            maxLen: EVENT_STREAM_MAXLEN,
            channel: keys.channels.events,
            retentionMs: limits.eventRetentionMs,
          },
        ),
      ),
    }),

    'event.recent': async (p) => {
      const entries = await redisCall(redis, () => redis.xrevrange(keys.eventStream(p.type), '+', '-', 'COUNT', p.count ?? DEFAULT_RECENT));
      const type = JSON.stringify(p.type);
      // Stored data is JSON text already: splice it, newest last.
      const events = entries.reverse().map(([id, fields]) => {
        const data = fields[fields.indexOf('d') + 1] ?? 'null';
        return `{"id":"${id}","type":${type},"data":${data},"ts":${Number.parseInt(id, 10)}}`;
      });
      return new RawJson(`[${events.join(',')}]`);
    },

    'event.types': (p) =>
      answerListing(
        p,
        async (cursor, limit) => toScriptPage(await scripts.eventTypes.run(redis, { typeNames: keys.eventTypes }, { cursor, limit })),
        limits.maxReplyBytes,
      ),

    subscribe: async (p, ctx) => {
      if (!ctx.target) {
        throw new RpcError(ErrorCode.InvalidRequest, 'subscribe needs a WebSocket connection (ws://HOST:PORT/v1); HTTP cannot carry pushes');
      }
      const limit = limits.maxSubscriptionsPerConnection;
      if (hub.subscriptionsOf(ctx.target) >= limit) {
        throw new RpcError(ErrorCode.RateLimited, `this connection already holds ${limit} subscriptions (maxSubscriptionsPerConnection): unsubscribe one, or subscribe to several topics at once`, {
          field: 'topics',
          rule: 'maxSubscriptionsPerConnection',
          limit,
        });
      }
      return { subscriptionId: hub.subscribe(ctx.target, p.topics) };
    },

    unsubscribe: async (p, ctx) => {
      if (!ctx.target || !hub.unsubscribe(ctx.target, p.subscriptionId)) {
        throw new RpcError(ErrorCode.NotFound, `subscription "${p.subscriptionId}" is not one of this connection's`);
      }
      return { unsubscribed: true };
    },
  };
}
