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
import { followTopic } from '../connection/follow-topic';
import { ReloadUntilQuiet } from '../model/reload-until-quiet';
import type { WorkflowModel } from './workflow-model';

export class WorkflowFeed {
  private client?: SwitchboardClient;
  private readonly following: { dispose(): void };
  private readonly reads = new ReloadUntilQuiet((workflowId) => this.read(workflowId));

  constructor(
    connection: ClientSource,
    private readonly model: WorkflowModel,
    private readonly log: Logger,
  ) {
    this.following = onEachClient(connection, (client) => void this.attach(client));
  }

  /** Reads a run with its steps now; resolves when it is in the model. */
  load(workflowId: string): Promise<void> {
    return this.reads.run(workflowId);
  }

  dispose(): void {
    this.following.dispose();
    this.client = undefined;
  }

  private attach(client: SwitchboardClient): Promise<void> {
    this.client = client;
    return followTopic(client, 'workflows', () => this.client, (event) => void this.load(this.model.applyEvent(event)), () => this.snapshot(client), this.log);
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

  private async read(workflowId: string): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      const workflow = await client.workflows.get({ workflowId });
      if (this.client === client) this.model.setWorkflow(workflowId, workflow);
      return true;
    } catch (error) {
      this.log.warn(`workflows: cannot read ${workflowId}: ${(error as Error).message}`);
      return false;
    }
  }
}
