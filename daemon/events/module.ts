/** The events domain: event.* and subscribe/unsubscribe, and the retention sweep of event types. */
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { scripts } from '../store/scripts';
import { eventHandlers } from './handlers';

export const eventsModule: DomainModule = {
  name: 'events',
  create(deps) {
    const { redis, keys } = deps;
    return {
      handlers: eventHandlers(deps),
      // An event of type T goes to `events:T` and to `events:*`.
      channels: [{ name: keys.channels.events, topics: (frame) => [`events:${frame.key}`, 'events:*'] }],
      // Each publish set its type's end of retention (from the publishing daemon's eventRetentionMs).
      sweeps: [
        () =>
          scripts.eventTypesExpire.run(redis, { typeExpiry: keys.eventTypesExpiry, typeNames: keys.eventTypes }, { streamPrefix: keys.eventStreamPrefix, batch: SWEEP_BATCH }),
      ],
    };
  },
};
