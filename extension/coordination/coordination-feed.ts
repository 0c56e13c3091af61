/**
 * Keeps the CoordinationModel in step with the daemon: its own `coordination` subscription
 * (TopicFeed), with lock.list, semaphore.list and barrier.list as the snapshot on each new client
 * and after a resync. Every grant, renewal, release and expiry is pushed, so nothing is polled. A
 * daemon without barrier.list (older than the view) lists no barriers; they show from their next push.
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { BarrierInfo } from '../../protocol/types';
import type { ClientSource } from '../connection/each-client';
import { TopicFeed } from '../connection/topic-feed';
import type { CoordinationModel } from './coordination-model';

export class CoordinationFeed {
  private readonly feed: TopicFeed<'coordination'>;

  constructor(
    connection: ClientSource,
    private readonly model: CoordinationModel,
    private readonly log: Logger,
  ) {
    this.feed = new TopicFeed(connection, 'coordination', log, { onEvent: (event) => model.applyEvent(event), snapshot: (client) => this.snapshot(client) });
  }

  dispose(): void {
    this.feed.dispose();
  }

  private async snapshot(client: SwitchboardClient): Promise<void> {
    const mark = this.model.mark();
    try {
      const [locks, semaphores, barriers] = await Promise.all([client.locks.list(), client.semaphores.list(), this.barriers(client)]);
      if (this.feed.current() === client) this.model.applySnapshot({ locks, semaphores, barriers }, mark);
      else this.model.abandon(mark);
    } catch (error) {
      this.model.abandon(mark);
      this.log.warn(`coordination: snapshot failed: ${(error as Error).message}`);
    }
  }

  private async barriers(client: SwitchboardClient): Promise<BarrierInfo[]> {
    try {
      return await client.barriers.list();
    } catch (error) {
      if (!(error instanceof RpcError && error.code === ErrorCode.MethodNotFound)) throw error;
      this.log.warn('coordination: barrier.list is not available on this daemon');
      return [];
    }
  }
}
