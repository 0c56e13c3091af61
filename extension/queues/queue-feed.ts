/**
 * Keeps the QueueModel in step with the daemon: on each new client it subscribes to `queues`
 * (its own subscription, so the fleet's snapshot does not wait for queues), loads `queue.list`
 * as the snapshot, and loads it again whenever the SDK says pushes may have been missed (a seq
 * gap, a reconnect). Pushes are applied as they arrive: `queue.stats` carries a queue's whole
 * counts, so a push that arrives while the snapshot is on its way wins over the snapshot's
 * reply (which may have been read before it: see QueueModel.applySnapshot). Dead jobs are
 * loaded only for watched (expanded) queues, and again after a push says they changed; a burst
 * of pushes while one load is on its way costs one more load, not one each.
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import type { DaemonConnection, LinkState } from '../connection/daemon-connection';
import { ReloadUntilQuiet } from '../model/reload-until-quiet';
import type { QueueEvent, QueueModel } from './queue-model';

export class QueueFeed {
  private client?: SwitchboardClient;
  private readonly deadLoads = new ReloadUntilQuiet((queue) => this.readDead(queue));
  private readonly onState = (state: LinkState) => {
    if (state === 'connected' && this.connection.client && this.connection.client !== this.client) void this.attach(this.connection.client);
  };

  constructor(
    private readonly connection: Pick<DaemonConnection, 'state' | 'client' | 'on' | 'off'>,
    private readonly model: QueueModel,
    private readonly log: Logger,
  ) {
    connection.on('state', this.onState);
    this.onState(connection.state);
  }

  /** Loads a watched queue's dead jobs now (its row was expanded); resolves when they are in the model. */
  loadDead(queue: string): Promise<void> {
    return this.deadLoads.run(queue);
  }

  dispose(): void {
    this.connection.off('state', this.onState);
    this.client = undefined;
  }

  private async attach(client: SwitchboardClient): Promise<void> {
    this.client = client;
    try {
      await client.subscribe(['queues'], (event) => this.client === client && event.topic === 'queues' && this.onEvent(event), {
        onResync: () => void this.snapshot(client),
      });
      await this.snapshot(client);
    } catch (error) {
      // The connection retries and hands over a client again; nothing to do until then.
      this.log.warn(`queues: cannot subscribe: ${(error as Error).message}`);
    }
  }

  private async snapshot(client: SwitchboardClient): Promise<void> {
    try {
      const mark = this.model.mark();
      const list = await client.queues.list();
      if (this.client !== client) return;
      this.model.applySnapshot(list, mark);
      // Pushes about dead jobs may have been missed too.
      for (const queue of this.model.watchedQueues()) void this.loadDead(queue);
    } catch (error) {
      this.log.warn(`queues: snapshot failed: ${(error as Error).message}`);
    }
  }

  private onEvent(event: QueueEvent): void {
    const stale = this.model.applyEvent(event);
    if (stale) void this.loadDead(stale);
  }

  private async readDead(queue: string): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      const jobs = await client.queues.dead({ queue });
      if (this.client === client) this.model.setDead(queue, jobs);
      return true;
    } catch (error) {
      this.log.warn(`queues: cannot load the dead jobs of ${queue}: ${(error as Error).message}`);
      return false;
    }
  }
}
