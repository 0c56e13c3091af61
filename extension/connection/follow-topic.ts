/**
 * How a feature's feed follows its topic on a client: subscribes, then loads its snapshot, and
 * loads it again whenever the SDK says pushes may have been missed (a seq gap, a reconnect). Pushes
 * of other clients (a replaced one still delivering) are dropped. A failed subscribe is logged:
 * the connection retries and hands over a client again, and nothing is to be done until then.
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import type { PushedEvent } from '../../protocol/types';

export async function followTopic<T extends PushedEvent['topic']>(
  client: SwitchboardClient,
  topic: T,
  current: () => SwitchboardClient | undefined,
  onEvent: (event: Extract<PushedEvent, { topic: T }>) => void,
  snapshot: () => Promise<void>,
  log: Logger,
): Promise<void> {
  try {
    await client.subscribe([topic], (event) => current() === client && event.topic === topic && onEvent(event as Extract<PushedEvent, { topic: T }>), {
      onResync: () => void snapshot(),
    });
    await snapshot();
  } catch (error) {
    log.warn(`${topic}: cannot subscribe: ${(error as Error).message}`);
  }
}
