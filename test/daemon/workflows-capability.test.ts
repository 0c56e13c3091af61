/** Workflow steps that name a capability instead of a queue, against a real redis-server and daemon. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import type { SwitchboardClient } from '../../client/client';
import { createKeys } from '../../daemon/store/keys';
import { capabilityQueues } from '../../protocol/capability';
import { ErrorCode } from '../../protocol/errors';
import type { Job, Workflow, WorkflowStepPayload } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type DaemonEnv } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';
import { flushRedis, redisClient } from '../helpers/redis-server';

describe('workflows: steps naming a capability', () => {
  let env: DaemonEnv;
  let client: SwitchboardClient;
  let redis: Redis;
  let log: EventLog;
  const keys = createKeys();
  useDaemon((e) => ({ client } = env = e));
  before(() => (redis = redisClient(env.redis.url)));
  after(() => redis.disconnect());
  beforeEach(async () => {
    await flushRedis(env.redis.url);
    log = await record(client, ['workflows']);
  });

  const advertise = (agentId: string, capabilities: { name: string; version: string }[]) =>
    client.agents.start({ agentId, ttlSeconds: 60, metadata: { capabilities } });
  const ended = async (workflowId: string) => {
    await log.next((e) => e.type === 'workflow.completed' && (e.data as { workflowId: string }).workflowId === workflowId, 10_000);
    return (await client.workflows.get({ workflowId }))!;
  };
  /** One step run by `agentId`: received from `queue` as that agent, acked with what `run` gives. */
  const runOne = async (queue: string, agentId: string, run: (p: WorkflowStepPayload) => unknown = () => ({ by: agentId })) => {
    const job = (await client.queues.receive({ queue, consumer: agentId, waitMs: 5_000 })) as Job;
    assert.ok(job, `nothing came on ${queue}`);
    await client.queues.ack({ queue, jobId: job.jobId, receipt: job.receipt!, result: run(job.payload as WorkflowStepPayload) ?? null });
    return job;
  };
  const step = (wf: Workflow, name: string) => wf.steps.find((s) => s.name === name)!;

  it("puts the step on its capability's queue, for an agent advertising it; the agent is recorded on the step and the summary", async () => {
    await advertise('writer-1', [{ name: 'summarize', version: '2' }]);
    const wf = await client.workflows.start({
      name: 'cap',
      workflowId: 'cap-1',
      steps: [
        { name: 'fetch', queue: 'plain', input: { url: 'x' } },
        { name: 'sum', capability: { name: 'summarize', version: '2' }, dependsOn: ['fetch'] },
        { name: 'any', capability: { name: 'summarize' }, dependsOn: ['sum'] },
      ],
    });
    assert.deepEqual(
      wf.steps.map((s) => [s.queue, s.capability]),
      [['plain', undefined], ['cap:summarize@2', { name: 'summarize', version: '2' }], ['cap:summarize', { name: 'summarize' }]],
    );
    assert.deepEqual(wf.capabilities, ['summarize@2', 'summarize']);
    assert.equal(wf.agents, undefined);
    assert.ok((await client.queues.list()).some((q) => q.queue === 'cap:summarize@2'), 'the capability queue is listed from the start');

    await runOne('plain', 'fetcher');
    const [exact, any] = capabilityQueues([{ name: 'summarize', version: '2' }]);
    assert.deepEqual([exact, any], ['cap:summarize@2', 'cap:summarize']);
    const job = await runOne(exact!, 'writer-1', (p) => ({ summary: `of ${JSON.stringify(p.results)}` }));
    assert.deepEqual((job.payload as WorkflowStepPayload).results, { fetch: { by: 'fetcher' } });
    await runOne(any!, 'writer-1');

    const done = await ended('cap-1');
    assert.equal(step(done, 'fetch').agent, undefined, 'a plain step records no agent');
    assert.equal(step(done, 'sum').agent, 'writer-1');
    assert.deepEqual(step(done, 'sum').result, { summary: 'of {"fetch":{"by":"fetcher"}}' });
    assert.equal(step(done, 'any').agent, 'writer-1');
    assert.deepEqual((await client.workflows.list({}))[0]!.agents, ['writer-1']);
  });

  it('lets only live agents advertising the capability (and its version) receive from its queue', async () => {
    await advertise('v1', [{ name: 'summarize', version: '1' }]);
    await advertise('v2', [{ name: 'summarize', version: '2' }]);
    await advertise('other', [{ name: 'translate', version: '2' }]);
    await client.workflows.start({ name: 'who', workflowId: 'who-1', steps: [{ name: 'sum', capability: { name: 'summarize', version: '2' } }] });
    for (const consumer of ['v1', 'other', 'nobody', 'w-host-1']) {
      const error = await rejectsWith(client.queues.receive({ queue: 'cap:summarize@2', consumer }), ErrorCode.InvalidParams, /capability queue/);
      assert.deepEqual(error.data, { field: 'consumer', rule: 'advertisesCapability' });
    }
    assert.equal((await client.queues.stats({ queue: 'cap:summarize@2' })).waiting.normal, 1, 'a refused receive takes nothing');
    // any version: every agent advertising the name
    assert.equal(await client.queues.receive({ queue: 'cap:summarize', consumer: 'v1' }), null);
    await client.agents.stop({ agentId: 'v2', finalStatus: 'completed' });
    await rejectsWith(client.queues.receive({ queue: 'cap:summarize@2', consumer: 'v2' }), ErrorCode.InvalidParams, /not/);
    await advertise('v2', [{ name: 'summarize', version: '2' }]);
    const job = await client.queues.receive({ queue: 'cap:summarize@2', consumer: 'v2' });
    assert.equal(job?.jobId, 'who-1:sum');
    assert.equal(step((await client.workflows.get({ workflowId: 'who-1' }))!, 'sum').agent, 'v2');
  });

  it('records the agent of the latest delivery when another agent takes a lapsed step over', async () => {
    await advertise('a', [{ name: 'gpu', version: '1' }]);
    await advertise('b', [{ name: 'gpu', version: '1' }]);
    await client.workflows.start({ name: 'lapse', workflowId: 'lapse-1', steps: [{ name: 'train', capability: { name: 'gpu' }, timeoutMs: 200 }] });
    assert.ok(await client.queues.receive({ queue: 'cap:gpu', consumer: 'a' }));
    // a died holding it: its delivery lapses after the step's timeoutMs and b gets attempt 2
    const job = await client.queues.receive({ queue: 'cap:gpu', consumer: 'b', waitMs: 5_000 });
    assert.equal(job?.attempts, 2);
    const wf = (await client.workflows.get({ workflowId: 'lapse-1' }))!;
    assert.deepEqual([step(wf, 'train').agent, wf.agents], ['b', ['a', 'b']]);
  });

  it('refuses at start, naming the step, a capability no live agent advertises, and writes nothing', async () => {
    await advertise('v1', [{ name: 'summarize', version: '1' }]);
    await advertise('gone', [{ name: 'translate', version: '1' }]);
    await client.agents.stop({ agentId: 'gone', finalStatus: 'completed' });
    const cases: [{ name: string; version?: string }, RegExp][] = [
      [{ name: 'summarize', version: '2' }, /step "b" names capability "summarize@2", which no live agent advertises/],
      [{ name: 'translate' }, /capability "translate"/],
      [{ name: 'nothing' }, /capability "nothing"/],
    ];
    const before = await redis.keys('*');
    for (const [capability, message] of cases) {
      const error = await rejectsWith(
        client.workflows.start({ name: 'x', workflowId: 'refused', steps: [{ name: 'a', queue: 'plain' }, { name: 'b', capability, dependsOn: ['a'] }] }),
        ErrorCode.InvalidParams,
        message,
      );
      assert.deepEqual(error.data, { field: 'steps[1].capability', rule: 'advertised' });
    }
    assert.deepEqual((await redis.keys('*')).sort(), before.sort());
    assert.equal(await client.workflows.get({ workflowId: 'refused' }), null);
    assert.equal(await redis.zscore(keys.workflowIds, 'refused'), null);
  });

  it('answers an existing workflowId as it stands even once its agents are gone (idempotent start)', async () => {
    await advertise('a', [{ name: 'gpu', version: '1' }]);
    const params = { name: 'again', workflowId: 'again-1', steps: [{ name: 's', capability: { name: 'gpu' } }] };
    const first = await client.workflows.start(params);
    await client.agents.stop({ agentId: 'a', finalStatus: 'completed' });
    assert.deepEqual(await client.workflows.start(params), first);
  });

  it('refuses a step with both a queue and a capability, or neither, naming it', async () => {
    await advertise('a', [{ name: 'gpu', version: '1' }]);
    const both = await rejectsWith(
      client.workflows.start({ name: 'x', steps: [{ name: 'ok', queue: 'q' }, { name: 'two', queue: 'q', capability: { name: 'gpu' } }] }),
      ErrorCode.InvalidParams,
      /step "two" must name either a queue or a capability/,
    );
    assert.deepEqual(both.data, { field: 'steps[1]', rule: 'queueOrCapability' });
    const neither = await rejectsWith(client.workflows.start({ name: 'x', steps: [{ name: 'none' }] }), ErrorCode.InvalidParams, /step "none"/);
    assert.deepEqual(neither.data, { field: 'steps[0]', rule: 'queueOrCapability' });
    // the schema: a name with @ (the version separator) or a version with + (not in a queue name)
    for (const capability of [{ name: 'a@b' }, { name: 'gpu', version: '1+x' }, { name: 'gpu', extra: 1 }]) {
      await rejectsWith(client.workflows.start({ name: 'x', steps: [{ name: 's', capability } as never] }), ErrorCode.InvalidParams, /capability/);
    }
    const long = await rejectsWith(
      client.workflows.start({ name: 'x', steps: [{ name: 's', capability: { name: 'n'.repeat(100), version: 'v'.repeat(30) } }] }),
      ErrorCode.InvalidParams,
    );
    assert.deepEqual(long.data, { field: 'steps[0].capability', rule: 'queueNameLength' });
    assert.deepEqual(await client.workflows.list({}), []);
  });
});
