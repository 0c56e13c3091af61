import assert from 'node:assert/strict';
import type { Job, QueueStats, QueueSummary } from '../../protocol/types';
import { cliSuite } from '../helpers/cli-suite';

describe('switchboard CLI: queues', function () {
  this.timeout(20_000);
  const suite = cliSuite();
  const { cli } = suite;

  it('enqueues, lists queues and one queue, shows, replays and purges dead jobs', async () => {
    const added = await cli('enqueue', 'cli-q', '--payload', '{"file":"a.ts"}', '--priority', 'high', '--job-id', 'job-1', '--json');
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual((JSON.parse(added.stdout) as Job).payload, { file: 'a.ts' });
    assert.match((await cli('enqueue', 'cli-q', '--backoff', 'fixed:10', '--max-attempts', '2')).stdout, /^waiting \S+ on cli-q \(normal\)/);

    const queues = await cli('queues');
    assert.match(queues.stdout, /^QUEUE\s+HIGH\s+NORMAL\s+LOW\s+DELAYED\s+ACTIVE\s+DEAD\s+COMPLETED/m);
    assert.match(queues.stdout, /cli-q\s+1\s+1\s+0\s+0\s+0\s+0\s+0/);
    assert.equal((JSON.parse((await cli('queues', '--json')).stdout) as QueueSummary[])[0]!.queue, 'cli-q');

    const { result: got } = await suite.daemon.rpc('queue.receive', { queue: 'cli-q', consumer: 'w' });
    await suite.daemon.rpc('queue.nack', { queue: 'cli-q', jobId: got.jobId, receipt: got.receipt, retry: false, error: 'disk full\nat line 3' });
    const dead = await cli('queue', 'cli-q', '--dead');
    assert.match(dead.stdout, /^JOB\s+ATTEMPTS\s+DIED\s+LAST ERROR\s+PAYLOAD/m);
    assert.match(dead.stdout, /job-1\s+1\/3\s+\d+s ago\s+disk full\s+\{"file":"a\.ts"\}/);
    assert.match((await cli('queue', 'cli-q')).stdout, /dead\s+1/);

    assert.match((await cli('replay', 'cli-q', 'job-1')).stdout, /replayed job-1 on cli-q: waiting/);
    const stats = JSON.parse((await cli('queue', 'cli-q', '--json')).stdout) as QueueStats;
    assert.deepEqual([stats.waiting.high, stats.dead], [1, 0]);
    assert.match((await cli('purge', 'cli-q', '--state', 'waiting')).stdout, /removed 2 waiting job\(s\) from cli-q/);
  });

  it('refuses bad flags with exit 2 and daemon refusals with exit 1', async () => {
    const bad = await cli('enqueue', 'cli-q', '--priority', 'urgent');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /must be one of high, normal, low/);
    assert.equal((await cli('purge', 'cli-q')).code, 2, '--state is required');
    const missing = await cli('replay', 'cli-q', 'no-such-job');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /job "no-such-job" does not exist/);
  });
});
