/** The signals domain: signal.* methods; a signal.sent wakes the signal.wait calls it may satisfy. */
import type { DomainModule } from '../domain/module';
import { Waiters } from '../hub/waiters';
import { signalHandlers } from './handlers';
import { wakeSignalWaiters } from './wake';

export const signalsModule: DomainModule = {
  name: 'signals',
  create(deps) {
    /** signal.wait callers, keyed by agent id, grouped by the type they wait for. */
    const waiters = new Waiters();
    return {
      handlers: signalHandlers(deps, waiters),
      channels: [
        {
          name: deps.keys.channels.signals,
          topics: () => ['signals'],
          wake: (frame) => wakeSignalWaiters(waiters, frame),
          wakeAll: () => waiters.notifyAll(),
        },
      ],
    };
  },
};
