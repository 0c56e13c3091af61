import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../../client/client';
import { silentLogger } from '../../../common/logger';
import type { DaemonConnection } from '../../../extension/connection/daemon-connection';
import { QueueFeed } from '../../../extension/queues/queue-feed';
import { QueueModel } from '../../../extension/queues/queue-model';
import { useDaemon, type TestDaemon } from '../../helpers/daemon';
import { modelSatisfies, useFeed } from '../../helpers/feed-suite';

/** Enqueues a job and kills it at once (received before any waiting low-priority job, then nacked without retry). */
async function killJob(client: SwitchboardClient, queue: string, error: string): Promise<string> {
  const { jobId } = await client.queues.enqueue({ queue, payload: { error }, priority: 'high' });
  const got = (await client.queues.receive({ queue, consumer: 'worker' }))!;
  await client.queues.nack({ queue, jobId, receipt: got.receipt!, error, retry: false });
  return jobId;
}

describe('QueueFeed: the Queues view model against a real daemon', function () {
  this.timeout(20_000);
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));
  let connection: DaemonConnection;
  let model: QueueModel;
  let feed: QueueFeed;
  useFeed(
    () => d,
    (connection) => {
      const model = new QueueModel(20);
      return { model, feed: new QueueFeed(connection, model, silentLogger) };
    },
    (parts) => ({ connection, model, feed } = parts),
  );

  it('loads queue.list on connect, then follows stats pushes and reloads the dead jobs of a watched queue on job.dead and job.replayed', async () => {
    const queue = `feed-${Date.now()}`;
    await client.queues.enqueue({ queue, payload: 1, priority: 'low' });
    const first = await killJob(client, queue, 'first failure');
    await connection.start();
    await modelSatisfies(model, () => model.summaries.get(queue)?.dead === 1);
    assert.deepEqual(model.summaries.get(queue)!.waiting, { high: 0, normal: 0, low: 1 });

    model.watch(queue);
    await feed.loadDead(queue);
    assert.deepEqual(model.deadJobs(queue)!.map((job) => [job.jobId, job.lastError]), [[first, 'first failure']]);

    const second = await killJob(client, queue, 'second failure');
    await modelSatisfies(model, () => model.deadJobs(queue)?.length === 2 && model.summaries.get(queue)?.dead === 2);
    assert.deepEqual(model.deadJobs(queue)!.map((job) => job.jobId), [second, first], 'newest first');

    await client.queues.replay({ queue, jobId: first });
    await modelSatisfies(model, () => model.deadJobs(queue)?.length === 1 && model.summaries.get(queue)?.waiting.high === 1);
    assert.equal(model.deadJobs(queue)![0]!.jobId, second);

    await client.queues.purge({ queue, state: 'dead' });
    await modelSatisfies(model, () => model.deadJobs(queue)?.length === 0 && model.summaries.get(queue)?.dead === 0);
  });

  it('loads a queue that is busy while loading once more, not once per push', async () => {
    const queue = `burst-${Date.now()}`;
    await killJob(client, queue, 'x');
    await connection.start();
    await modelSatisfies(model, () => model.summaries.get(queue)?.dead === 1);
    model.watch(queue);
    const calls: string[] = [];
    const dead = connection.client!.queues.dead;
    connection.client!.queues.dead = (params) => (calls.push(params.queue), dead(params));
    await Promise.all([feed.loadDead(queue), feed.loadDead(queue), feed.loadDead(queue)]);
    assert.equal(calls.length, 2, 'the first load, and one after it for the two asked meanwhile');
  });
});
