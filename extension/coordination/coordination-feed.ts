/**
 * Keeps the CoordinationModel in step with the daemon: on each new client it subscribes to
 * `coordination` (its own subscription), loads lock.list, semaphore.list and barrier.list as the
 * snapshot, and loads them again when the SDK says pushes may have been missed (a seq gap, a
 * reconnect). Every grant, renewal, release and expiry is pushed, so nothing is polled. A daemon
 * without barrier.list (older than the view) lists no barriers; they show from their next push.
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { BarrierInfo } from '../../protocol/types';
import { onEachClient, type ClientSource } from '../connection/each-client';
import type { CoordinationModel } from './coordination-model';

export class CoordinationFeed {
  private client?: SwitchboardClient;
  private readonly following: { dispose(): void };

  constructor(
    connection: ClientSource,
    private readonly model: CoordinationModel,
    private readonly log: Logger,
  ) {
    this.following = onEachClient(connection, (client) => void this.attach(client));
  }

  dispose(): void {
    this.following.dispose();
    this.client = undefined;
  }

  private async attach(client: SwitchboardClient): Promise<void> {
    this.client = client;
    try {
      await client.subscribe(['coordination'], (event) => this.client === client && event.topic === 'coordination' && this.model.applyEvent(event), {
        onResync: () => void this.snapshot(client),
      });
      await this.snapshot(client);
    } catch (error) {
      // The connection retries and hands over a client again; nothing to do until then.
      this.log.warn(`coordination: cannot subscribe: ${(error as Error).message}`);
    }
  }

  private async snapshot(client: SwitchboardClient): Promise<void> {
    const mark = this.model.mark();
    try {
      const [locks, semaphores, barriers] = await Promise.all([client.locks.list(), client.semaphores.list(), this.barriers(client)]);
      if (this.client === client) this.model.applySnapshot({ locks, semaphores, barriers }, mark);
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
