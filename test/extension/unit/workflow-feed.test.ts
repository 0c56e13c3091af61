import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../../client/client';
import { silentLogger } from '../../../common/logger';
import type { DaemonConnection } from '../../../extension/connection/daemon-connection';
import { WorkflowFeed } from '../../../extension/workflows/workflow-feed';
import { WorkflowModel } from '../../../extension/workflows/workflow-model';
import { useDaemon, type TestDaemon } from '../../helpers/daemon';
import { modelSatisfies, useFeed } from '../../helpers/feed-suite';

/** Receives the queue's next step and acks it with a result naming it. */
async function ackNext(client: SwitchboardClient, queue: string): Promise<string> {
  const job = (await client.queues.receive({ queue, consumer: 'worker', waitMs: 2_000 }))!;
  await client.queues.ack({ queue, jobId: job.jobId, receipt: job.receipt!, result: { by: job.jobId } });
  return job.jobId;
}

describe('WorkflowFeed: the Workflows view model against a real daemon', function () {
  this.timeout(20_000);
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));
  let connection: DaemonConnection;
  let model: WorkflowModel;
  useFeed(
    () => d,
    (connection) => {
      const model = new WorkflowModel(20);
      return { model, feed: new WorkflowFeed(connection, model, silentLogger) };
    },
    (parts) => ({ connection, model } = parts),
  );

  it('lists the runs on connect, then reads a run again on each push: its dependents queued as a step is acked, its progress, its end', async () => {
    const queue = `feed-${Date.now()}`;
    const before = await client.workflows.start({ name: 'earlier', steps: [{ name: 'only', queue: `${queue}-other` }] });
    await connection.start();
    await modelSatisfies(model, () => model.summaries.has(before.workflowId));
    assert.equal(model.workflow(before.workflowId), undefined, 'a run no one looks at and nothing happened to is not read');

    const run = await client.workflows.start({ name: 'chain', steps: [{ name: 'a', queue }, { name: 'b', queue, dependsOn: ['a'] }] });
    await modelSatisfies(model, () => model.workflow(run.workflowId)?.steps[0]?.state === 'queued');
    assert.deepEqual(model.workflows().map((s) => s.workflowId).slice(0, 2), [run.workflowId, before.workflowId], 'newest first');
    assert.deepEqual(model.workflow(run.workflowId)!.steps[1]!.dependsOn, ['a']);

    await ackNext(client, queue);
    // No push says b was queued: the read after a's step.completed does.
    await modelSatisfies(model, () => model.workflow(run.workflowId)?.steps.map((s) => s.state).join() === 'completed,queued');
    assert.equal(model.summaries.get(run.workflowId)!.openSteps, 1);
    await ackNext(client, queue);
    await modelSatisfies(model, () => model.summaries.get(run.workflowId)?.status === 'completed');
    assert.deepEqual(model.workflow(run.workflowId)!.steps.map((s) => s.result), [{ by: `${run.workflowId}:a` }, { by: `${run.workflowId}:b` }]);
  });
});
