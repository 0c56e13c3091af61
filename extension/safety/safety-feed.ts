/**
 * Keeps the SafetyModel in step with the daemon: on each new client it subscribes to `safety`,
 * loads the snapshot (the newest audit entries of the kinds the view lists, the breakers and the
 * budgets) and loads it again when the SDK says pushes may have been missed (a seq gap, a
 * reconnect) or the user asks (Refresh). A method the daemon does not have (-32601) leaves its
 * group marked unavailable rather than failing the others.
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { ClientSource } from '../connection/each-client';
import { TopicFeed } from '../connection/topic-feed';
import { INCIDENT_KINDS } from './incidents';
import { INCIDENTS_SHOWN, type SafetyModel } from './safety-model';

export class SafetyFeed {
  private readonly feed: TopicFeed<'safety'>;

  constructor(
    connection: ClientSource,
    private readonly model: SafetyModel,
    private readonly log: Logger,
  ) {
    this.feed = new TopicFeed(connection, 'safety', log, { onEvent: (event) => model.applyEvent(event), snapshot: (client) => this.snapshot(client) });
  }

  /** Loads the snapshot again (the view's Refresh); resolves once it is in the model. */
  refresh(): Promise<void> {
    const client = this.feed.current();
    return client ? this.snapshot(client) : Promise.resolve();
  }

  dispose(): void {
    this.feed.dispose();
  }

  private async snapshot(client: SwitchboardClient): Promise<void> {
    // One audit read per kind: the trail also holds changes and crossings, which would crowd the incidents out of a plain "newest N".
    const [audit, breakers, budgets] = await Promise.all([
      this.load('safety.audit', () => Promise.all(INCIDENT_KINDS.map((kind) => client.safety.audit({ kind, count: INCIDENTS_SHOWN }))).then((lists) => lists.flat())),
      this.load('breaker.list', () => client.breakers.list()),
      this.load('budget.list', () => client.budgets.list()),
    ]);
    if (this.feed.current() === client) this.model.applySnapshot({ audit, breakers, budgets });
  }

  private async load<T>(method: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const missing = error instanceof RpcError && error.code === ErrorCode.MethodNotFound;
      this.log.warn(`safety: ${method} ${missing ? 'is not available on this daemon' : `failed: ${(error as Error).message}`}`);
      return undefined;
    }
  }
}
