/**
 * Keeps the WorkflowModel in step with the daemon: on each new client it subscribes to `workflows`,
 * loads `workflow.list` as the snapshot, and loads it again whenever the SDK says pushes may have
 * been missed (a seq gap, a reconnect). Each push names its run, which is read again with
 * `workflow.get` (a step's end moves its dependents and the run's progress, which no push carries);
 * a burst of pushes about one run while a read is on its way costs one more read, not one each.
 */
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';
import { onEachClient, type ClientSource } from '../connection/each-client';
import type { WorkflowModel } from './workflow-model';

export class WorkflowFeed {
  private client?: SwitchboardClient;
  private readonly following: { dispose(): void };
  /** Reads on their way, and the runs pushed again meanwhile. */
  private readonly loading = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    connection: ClientSource,
    private readonly model: WorkflowModel,
    private readonly log: Logger,
  ) {
    this.following = onEachClient(connection, (client) => void this.attach(client));
  }

  /** Reads a run with its steps now; resolves when it is in the model. */
  load(workflowId: string): Promise<void> {
    const running = this.loading.get(workflowId);
    if (running) {
      this.again.add(workflowId);
      return running;
    }
    const load = this.loadUntilQuiet(workflowId).finally(() => this.loading.delete(workflowId));
    this.loading.set(workflowId, load);
    return load;
  }

  dispose(): void {
    this.following.dispose();
    this.client = undefined;
  }

  private async attach(client: SwitchboardClient): Promise<void> {
    this.client = client;
    try {
      await client.subscribe(['workflows'], (event) => {
        if (this.client === client && event.topic === 'workflows') void this.load(this.model.applyEvent(event));
      }, {
        onResync: () => void this.snapshot(client),
      });
      await this.snapshot(client);
    } catch (error) {
      // The connection retries and hands over a client again; nothing to do until then.
      this.log.warn(`workflows: cannot subscribe: ${(error as Error).message}`);
    }
  }

  private async snapshot(client: SwitchboardClient): Promise<void> {
    try {
      const mark = this.model.mark();
      const list = await client.workflows.list();
      if (this.client !== client) return;
      for (const workflowId of this.model.applySnapshot(list, mark)) void this.load(workflowId);
    } catch (error) {
      this.log.warn(`workflows: snapshot failed: ${(error as Error).message}`);
    }
  }

  private async loadUntilQuiet(workflowId: string): Promise<void> {
    do {
      this.again.delete(workflowId);
      const client = this.client;
      if (!client) return;
      try {
        const workflow = await client.workflows.get({ workflowId });
        if (this.client === client) this.model.setWorkflow(workflowId, workflow);
      } catch (error) {
        this.log.warn(`workflows: cannot read ${workflowId}: ${(error as Error).message}`);
        return;
      }
    } while (this.again.has(workflowId));
  }
}
