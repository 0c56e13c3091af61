/** Workflow retention (workflowRetentionMs) and the workflow index staying consistent, against a real redis-server. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { START_GRACE_MS } from '../../daemon/workflows/handlers';
import type { Job } from '../../protocol/types';
import { useDaemon, type DaemonEnv } from '../helpers/daemon';
import { flushRedis, redisClient } from '../helpers/redis-server';

const RETENTION_MS = 400;

describe('workflows: retention', function () {
  this.timeout(20_000);
  let env: DaemonEnv;
  let client: SwitchboardClient;
  let redis: Redis;
  const keys = createKeys();
  useDaemon((e) => ({ client } = env = e), { limits: { workflowRetentionMs: RETENTION_MS } });
  before(() => (redis = redisClient(env.redis.url)));
  after(() => redis.disconnect());
  beforeEach(() => flushRedis(env.redis.url));

  /** Polls until `check` holds, failing after the deadline. */
  const until = async (what: string, check: () => Promise<boolean>, deadlineMs = 5_000) => {
    const end = Date.now() + deadlineMs;
    while (!(await check())) {
      if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const runStep = async (queue: string, fail = false) => {
    const job = (await client.queues.receive({ queue, consumer: 'w', waitMs: 2_000 })) as Job;
    if (fail) await client.queues.nack({ queue, jobId: job.jobId, receipt: job.receipt!, retry: false, error: 'no' });
    else await client.queues.ack({ queue, jobId: job.jobId, receipt: job.receipt!, result: 1 });
  };
  /** Moves a workflow's index entry back in time (past the start grace), as if it had started long ago. */
  const backdate = (workflowId: string, agoMs: number) => redis.zadd(keys.workflowIds, 'XX', Date.now() - agoMs, workflowId);

  it('keeps a running workflow, and expires one that ended after the retention', async () => {
    await client.workflows.start({ name: 'r', workflowId: 'done', steps: [{ name: 'a', queue: 'q1' }] });
    await client.workflows.start({ name: 'r', workflowId: 'open', steps: [{ name: 'a', queue: 'q2' }] });
    await client.workflows.start({ name: 'r', workflowId: 'cancelled', steps: [{ name: 'a', queue: 'q3' }] });
    assert.equal(await redis.pttl(keys.workflow('done')), -1, 'no expiry while running');
    await runStep('q1');
    await client.workflows.cancel({ workflowId: 'cancelled' });
    const ttl = await redis.pttl(keys.workflow('done'));
    assert.ok(ttl > 0 && ttl <= RETENTION_MS, `ttl ${ttl}`);
    assert.equal((await client.workflows.get({ workflowId: 'done' }))?.status, 'completed', 'kept within its retention');
    await until('the ended workflows are gone', async () => (await client.workflows.get({ workflowId: 'done' })) === null && (await client.workflows.get({ workflowId: 'cancelled' })) === null);
    assert.equal((await client.workflows.get({ workflowId: 'open' }))?.status, 'running');
    assert.deepEqual((await client.workflows.list({})).map((w) => w.workflowId), ['open']);
  });

  it('retryStep reopens a failed workflow for good, and its retention starts over when it ends again', async () => {
    await client.workflows.start({ name: 'r', workflowId: 'retried', steps: [{ name: 'a', queue: 'q', maxAttempts: 1 }] });
    await runStep('q', true);
    assert.ok((await redis.pttl(keys.workflow('retried'))) > 0);
    await client.workflows.retryStep({ workflowId: 'retried', step: 'a' });
    assert.equal(await redis.pttl(keys.workflow('retried')), -1, 'reopened: kept');
    await runStep('q');
    assert.equal((await client.workflows.get({ workflowId: 'retried' }))?.status, 'completed');
    assert.ok((await redis.pttl(keys.workflow('retried'))) > 0);
  });

  it("workflow.list drops expired ids from the index and still answers `count` workflows", async () => {
    for (const id of ['old-1', 'old-2']) await client.workflows.start({ name: 'r', workflowId: id, steps: [{ name: 'a', queue: `q-${id}` }] });
    for (const id of ['gone-1', 'gone-2']) {
      await client.workflows.start({ name: 'r', workflowId: id, steps: [{ name: 'a', queue: `q-${id}` }] });
      await runStep(`q-${id}`);
    }
    await until('the ended ones expired', async () => (await redis.exists(keys.workflow('gone-1'), keys.workflow('gone-2'))) === 0);
    // newest first: gone-2, gone-1 (expired, past the grace), then old-1, old-2 (running)
    await backdate('gone-2', START_GRACE_MS + 1_000);
    await backdate('gone-1', START_GRACE_MS + 2_000);
    await backdate('old-1', START_GRACE_MS + 3_000);
    await backdate('old-2', START_GRACE_MS + 4_000);
    assert.deepEqual((await client.workflows.list({ count: 2 })).map((w) => w.workflowId), ['old-1', 'old-2']);
    assert.deepEqual(await redis.zrange(keys.workflowIds, 0, -1), ['old-2', 'old-1']);
  });

  it('indexes a new run at its own start when it reuses the id of an expired one whose index entry is still there', async () => {
    await client.workflows.start({ name: 'old', workflowId: 'reused', steps: [{ name: 'a', queue: 'q-reused' }] });
    await runStep('q-reused');
    await until('the ended run is gone', async () => (await client.workflows.get({ workflowId: 'reused' })) === null);
    await backdate('reused', 3_600_000); // its entry left behind, an hour old, before any prune
    const before = Date.now();
    await client.workflows.start({ name: 'new', workflowId: 'reused', steps: [{ name: 'a', queue: 'q-reused' }] });
    assert.ok(Number(await redis.zscore(keys.workflowIds, 'reused')) >= before, 'indexed at the new start');
    assert.equal((await client.workflows.list({ count: 1 }))[0]?.name, 'new');
  });

  it('keeps an indexed id whose workflow has not been written yet (a start under way)', async () => {
    await redis.zadd(keys.workflowIds, Date.now(), 'starting');
    assert.deepEqual(await client.workflows.list({}), []);
    assert.notEqual(await redis.zscore(keys.workflowIds, 'starting'), null);
  });

  it("keeps each run's keys under the run's hash tag and each step job under its queue's (one Cluster slot each)", async () => {
    await client.agents.start({ agentId: 'tagger', metadata: { capabilities: [{ name: 'tag', version: '1' }] } });
    const before = new Set(await redis.keys('*'));
    await client.workflows.start({
      name: 'tags',
      workflowId: 'tags-1',
      steps: [{ name: 'a', queue: 'qa' }, { name: 'b', queue: 'qb' }, { name: 'c', capability: { name: 'tag' }, dependsOn: ['a', 'b'] }],
    });
    await runStep('qa');
    await runStep('qb');
    // received, not acked: the run stays open, so its hash does not expire under the test
    assert.ok(await client.queues.receive({ queue: 'cap:tag', consumer: 'tagger' }));
    const written = (await redis.keys('*')).filter((key) => !before.has(key));
    const tagOf = (key: string) => /^\{[^}]+\}/.exec(key)?.[0];
    assert.ok(written.every((key) => tagOf(key) !== undefined), `untagged: ${written.filter((key) => !tagOf(key)).join(', ')}`);
    const jobs = written.filter((key) => key.includes(':job:'));
    assert.deepEqual(jobs.map(tagOf).sort(), ['{sb:q:cap:tag}', '{sb:q:qa}', '{sb:q:qb}']);
    assert.ok(jobs.every((key) => key.startsWith(`${tagOf(key)}:job:tags-1:`)));
    const runKeys = written.filter((key) => key.includes('tags-1') && !key.includes(':job:'));
    assert.deepEqual(runKeys, [keys.workflow('tags-1')], 'one hash per run, under its own tag');
    assert.equal(tagOf(keys.workflow('tags-1')), '{sb:wf:tags-1}');
  });

  it('a sweep drops expired ids from the index without any listing', async () => {
    await client.workflows.start({ name: 'r', workflowId: 'swept', steps: [{ name: 'a', queue: 'qs' }] });
    await client.workflows.start({ name: 'r', workflowId: 'kept', steps: [{ name: 'a', queue: 'qk' }] });
    await runStep('qs');
    await until('it expired', async () => (await redis.exists(keys.workflow('swept'))) === 0);
    await backdate('swept', START_GRACE_MS + 1_000);
    await backdate('kept', START_GRACE_MS + 2_000);
    // the sweep checks a batch of the index every few seconds
    await until('the sweep dropped it', async () => (await redis.zscore(keys.workflowIds, 'swept')) === null, 12_000);
    assert.notEqual(await redis.zscore(keys.workflowIds, 'kept'), null);
  });
});
