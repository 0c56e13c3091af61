/** event.* (one capped Redis Stream per type) and subscribe/unsubscribe (pushes over WebSocket). */
import { ErrorCode, RpcError } from '../../protocol/errors';
import { EVENT_STREAM_MAXLEN } from '../../protocol/limits';
import type { Deps } from '../deps';
import type { Handlers } from '../server/context';
import { RawJson } from '../server/raw-json';
import { redisCall, runScript } from '../store/redis';

type EventHandlers = Pick<Handlers, 'event.publish' | 'event.recent' | 'event.types' | 'subscribe' | 'unsubscribe'>;

const DEFAULT_RECENT = 100;

export function eventHandlers({ redis, keys, hub }: Deps): EventHandlers {
  return {
    'event.publish': async (p, ctx) => ({
      id: String(
        await runScript(redis, 'eventPublish', [keys.eventStream(p.type), keys.eventTypes], [
          p.type,
          ctx.json.data ?? 'null',
          EVENT_STREAM_MAXLEN,
          keys.channels.events,
        ]),
      ),
    }),

    'event.recent': async (p) => {
      const entries = await redisCall(() => redis.xrevrange(keys.eventStream(p.type), '+', '-', 'COUNT', p.count ?? DEFAULT_RECENT));
      const type = JSON.stringify(p.type);
      // Stored data is JSON text already: splice it, newest last.
      const events = entries.reverse().map(([id, fields]) => {
        const data = fields[fields.indexOf('d') + 1] ?? 'null';
        return `{"id":"${id}","type":${type},"data":${data},"ts":${Number.parseInt(id, 10)}}`;
      });
      return new RawJson(`[${events.join(',')}]`);
    },

    'event.types': async () => (await redisCall(() => redis.smembers(keys.eventTypes))).sort(),

    subscribe: async (p, ctx) => {
      if (!ctx.target) {
        throw new RpcError(ErrorCode.InvalidRequest, 'subscribe needs a WebSocket connection (ws://HOST:PORT/v1); HTTP cannot carry pushes');
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
