/**
 * Keeps the WorkflowModel in step with the daemon: its own `workflows` subscription (TopicFeed),
 * with `workflow.list` as the snapshot on connect and after a resync. Each push names its run,
 * which is read again with `workflow.get` (a step's end moves its dependents and the run's
 * progress, which no push carries); a burst of pushes about one run while a read is on its way
 * costs one more read, not one each.
 */
import type { SwitchboardClient } from '../../client/client';
import type { WorkflowStepEvent } from '../../protocol/types';
import type { Logger } from '../../common/logger';
import type { ClientSource } from '../connection/each-client';
import { TopicFeed } from '../connection/topic-feed';
import { ReloadUntilQuiet } from '../model/reload-until-quiet';
import type { WorkflowModel } from './workflow-model';

export class WorkflowFeed {
  private readonly feed: TopicFeed<'workflows'>;
  private readonly reads = new ReloadUntilQuiet((workflowId) => this.read(workflowId));

  constructor(
    connection: ClientSource,
    private readonly model: WorkflowModel,
    private readonly log: Logger,
    /** A step's job went dead (a live push; never for a snapshot's runs). */
    onStepFailed: (event: WorkflowStepEvent) => void = () => {},
  ) {
    this.feed = new TopicFeed(connection, 'workflows', log, {
      onEvent: (event) => {
        if (event.type === 'step.failed') onStepFailed(event.data);
        void this.load(model.applyEvent(event));
      },
      snapshot: (client) => this.snapshot(client),
    });
  }

  /** Reads a run with its steps now; resolves when it is in the model. */
  load(workflowId: string): Promise<void> {
    return this.reads.run(workflowId);
  }

  dispose(): void {
    this.feed.dispose();
  }

  private async snapshot(client: SwitchboardClient): Promise<void> {
    try {
      const mark = this.model.mark();
      const list = await client.workflows.list();
      if (this.feed.current() !== client) return;
      for (const workflowId of this.model.applySnapshot(list, mark)) void this.load(workflowId);
    } catch (error) {
      this.log.warn(`workflows: snapshot failed: ${(error as Error).message}`);
    }
  }

  private async read(workflowId: string): Promise<boolean> {
    const client = this.feed.current();
    if (!client) return false;
    try {
      const workflow = await client.workflows.get({ workflowId });
      if (this.feed.current() === client) this.model.setWorkflow(workflowId, workflow);
      return true;
    } catch (error) {
      this.log.warn(`workflows: cannot read ${workflowId}: ${(error as Error).message}`);
      return false;
    }
  }
}
