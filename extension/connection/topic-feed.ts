/**
 * A feature's own subscription to one push topic: with each new client the connection hands over,
 * it subscribes, then loads the feature's snapshot, and loads it again whenever the SDK says pushes
 * may have been missed (a seq gap, a reconnect). Pushes and snapshots of a client that was
 * replaced meanwhile are dropped (`current` tells the snapshot whether its client still is).
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import type { PushedEvent } from '../../protocol/types';
import { onEachClient, type ClientSource } from './each-client';

type FixedTopic = Exclude<PushedEvent['topic'], `events:${string}`>;

export interface TopicFeedParts<T extends FixedTopic> {
  onEvent(event: Extract<PushedEvent, { topic: T }>): void;
  /** Loads the snapshot with this client; it applies it only while `client === feed.current()`. */
  snapshot(client: SwitchboardClient): Promise<void>;
}

export class TopicFeed<T extends FixedTopic> {
  private client?: SwitchboardClient;
  private readonly following: { dispose(): void };

  constructor(
    connection: ClientSource,
    private readonly topic: T,
    private readonly log: Logger,
    private readonly parts: TopicFeedParts<T>,
  ) {
    this.following = onEachClient(connection, (client) => void this.attach(client));
  }

  /** The client the feed follows now (undefined before the first, and after dispose). */
  current(): SwitchboardClient | undefined {
    return this.client;
  }

  dispose(): void {
    this.following.dispose();
    this.client = undefined;
  }

  private async attach(client: SwitchboardClient): Promise<void> {
    this.client = client;
    const mine = (event: PushedEvent): event is Extract<PushedEvent, { topic: T }> => this.client === client && event.topic === this.topic;
    try {
      await client.subscribe([this.topic], (event) => mine(event) && this.parts.onEvent(event), { onResync: () => void this.parts.snapshot(client) });
      await this.parts.snapshot(client);
    } catch (error) {
      // The connection retries and hands over a client again; nothing to do until then.
      this.log.warn(`${this.topic}: cannot subscribe: ${(error as Error).message}`);
    }
  }
}
