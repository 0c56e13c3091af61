/** Workflows (SPEC §4 "Workflows") against a real redis-server: DAG shapes, results passed on, failures, cancel, pause, retry. */
import assert from 'node:assert/strict';
import { redisClient } from '../helpers/redis-server';
import type { SwitchboardClient } from '../../client/client';
import { ActionDispatcher } from '../../client/dispatch';
import { Worker } from '../../client/worker';
import { ErrorCode } from '../../protocol/errors';
import { DEFAULT_MAX_VALUE_BYTES } from '../../protocol/limits';
import type { ParamsOf } from '../../protocol/methods';
import type { Workflow, WorkflowStatus } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type DaemonEnv } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';
import { serveSteps, type StepWorkers } from '../helpers/step-workers';

type Steps = ParamsOf<'workflow.start'>['steps'];

describe('workflows', () => {
  let env: DaemonEnv;
  let client: SwitchboardClient;
  let log: EventLog;
  let workers: StepWorkers | undefined;
  useDaemon((e) => ({ client } = env = e));
  beforeEach(async () => {
    log = await record(client, ['workflows']);
  });
  afterEach(async () => {
    await workers?.stop();
    workers = undefined;
  });
  let n = 0;
  const fresh = () => `w${++n}-${Date.now()}`;

  /** Resolves with the workflow once it has ended with this status (awaited through its event). */
  const ended = async (workflowId: string, status: WorkflowStatus) => {
    await log.next((e) => e.topic === 'workflows' && e.type === `workflow.${status}` && (e.data as { workflowId: string }).workflowId === workflowId, 20_000);
    return (await client.workflows.get({ workflowId }))!;
  };
  const step = (wf: Workflow, name: string) => wf.steps.find((s) => s.name === name)!;

  it('runs a chain in order, passing each result to the next step', async () => {
    const q = fresh();
    const steps: Steps = [
      { name: 'plan', queue: q, input: { topic: 'x' } },
      { name: 'build', queue: q, dependsOn: ['plan'] },
      { name: 'test', queue: q, dependsOn: ['build'] },
    ];
    const started = await client.workflows.start({ name: 'chain', steps });
    assert.equal(started.status, 'running');
    assert.deepEqual(
      started.steps.map((s) => s.state),
      ['queued', 'pending', 'pending'],
    );
    assert.equal(started.steps[0]!.jobId, `${started.workflowId}:plan`);
    const order: string[] = [];
    workers = serveSteps(client, [q], (p) => {
      order.push(p.step);
      return { by: p.step, saw: Object.keys(p.results) };
    });
    const done = await ended(started.workflowId, 'completed');
    assert.deepEqual(order, ['plan', 'build', 'test']);
    assert.deepEqual(workers.payloads.get('plan'), { workflowId: started.workflowId, step: 'plan', input: { topic: 'x' }, results: {} });
    assert.deepEqual(workers.payloads.get('build')!.results, { plan: { by: 'plan', saw: [] } });
    assert.deepEqual(workers.payloads.get('test')!.results, { build: { by: 'build', saw: ['plan'] } });
    assert.deepEqual(step(done, 'test').result, { by: 'test', saw: ['build'] });
    for (const s of done.steps) {
      assert.equal(s.state, 'completed');
      assert.equal(s.attempts, 1);
      assert.ok(s.startedAt! <= s.endedAt!);
    }
    assert.equal(done.openSteps, 0);
    assert.ok(done.endedAt! >= done.startedAt);
  });

  it('runs a diamond: the join gets both branches\' results', async () => {
    const q = fresh();
    const wf = await client.workflows.start({
      name: 'diamond',
      steps: [
        { name: 'a', queue: q },
        { name: 'b', queue: q, dependsOn: ['a'] },
        { name: 'c', queue: `${q}-other`, dependsOn: ['a'] },
        { name: 'd', queue: q, dependsOn: ['b', 'c'] },
      ],
    });
    workers = serveSteps(client, [q, `${q}-other`], (p) => p.step.toUpperCase());
    await ended(wf.workflowId, 'completed');
    assert.deepEqual(workers.payloads.get('d')!.results, { b: 'B', c: 'C' });
    assert.deepEqual([...workers.runs.values()], [1, 1, 1, 1]);
  });

  it('fans out to 100 steps and back in, each run once', async () => {
    const q = fresh();
    const wide = Array.from({ length: 100 }, (_, i) => ({ name: `leaf${i}`, queue: q, dependsOn: ['root'], input: i }));
    const wf = await client.workflows.start({
      name: 'fan',
      steps: [{ name: 'root', queue: q }, ...wide, { name: 'sink', queue: q, dependsOn: wide.map((s) => s.name) }],
    });
    workers = serveSteps(client, [q], (p) => (p.step.startsWith('leaf') ? (p.input as number) * 2 : null), 4);
    const done = await ended(wf.workflowId, 'completed');
    const results = workers.payloads.get('sink')!.results;
    assert.equal(Object.keys(results).length, 100);
    assert.equal(results.leaf7, 14);
    assert.equal(workers.runs.size, 102);
    assert.ok([...workers.runs.values()].every((count) => count === 1));
    assert.ok(done.steps.every((s) => s.state === 'completed'));
  });

  it('refuses cycles, unknown dependencies and repeated names, naming the step, and writes nothing', async () => {
    const q = fresh();
    const cycle = await rejectsWith(
      client.workflows.start({
        name: 'bad',
        workflowId: `${q}-cycle`,
        steps: [
          { name: 'a', queue: q },
          { name: 'b', queue: q, dependsOn: ['a', 'd'] },
          { name: 'c', queue: q, dependsOn: ['b'] },
          { name: 'd', queue: q, dependsOn: ['c'] },
          { name: 'e', queue: q, dependsOn: ['d'] },
        ],
      }),
      ErrorCode.InvalidParams,
      /cycle/,
    );
    assert.equal(cycle.data?.rule, 'acyclic');
    assert.match(cycle.data!.field!, /^steps\[[123]\]\.dependsOn$/);
    const unknown = await rejectsWith(
      client.workflows.start({ name: 'bad', steps: [{ name: 'a', queue: q }, { name: 'b', queue: q }, { name: 'c', queue: q }, { name: 'd', queue: q, dependsOn: ['zz'] }] }),
      ErrorCode.InvalidParams,
      /"d" depends on "zz"/,
    );
    assert.deepEqual(unknown.data, { field: 'steps[3].dependsOn', rule: 'knownStep' });
    const twice = await rejectsWith(client.workflows.start({ name: 'bad', steps: [{ name: 'a', queue: q }, { name: 'a', queue: q }] }), ErrorCode.InvalidParams);
    assert.deepEqual(twice.data, { field: 'steps[1].name', rule: 'unique' });
    await rejectsWith(client.workflows.start({ name: 'bad', steps: [{ name: 'a', queue: q, dependsOn: ['a'] }] }), ErrorCode.InvalidParams, /"a" depends on itself/);
    const long = await rejectsWith(client.workflows.start({ name: 'bad', workflowId: 'x'.repeat(100), steps: [{ name: 'y'.repeat(30), queue: q }] }), ErrorCode.InvalidParams);
    assert.deepEqual(long.data, { field: 'steps[0].name', rule: 'jobIdLength' });
    const big = await rejectsWith(
      client.workflows.start({ name: 'bad', workflowId: `${q}-big`, steps: [{ name: 'a', queue: q }, { name: 'b', queue: q, input: 'x'.repeat(DEFAULT_MAX_VALUE_BYTES) }] }),
      ErrorCode.TooLarge,
    );
    assert.equal(big.data?.field, 'steps[1].input');
    assert.equal(await client.workflows.get({ workflowId: `${q}-big` }), null);
    assert.equal(await client.workflows.get({ workflowId: `${q}-cycle` }), null);
    assert.equal((await client.queues.stats({ queue: q })).waiting.normal, 0);
  });

  it('answers each step\'s definition (dependsOn by name, maxAttempts, input) with the workflow, not in its step events', async () => {
    const q = fresh();
    const wf = await client.workflows.start({
      name: 'defs',
      steps: [
        { name: 'a', queue: q, input: { n: 1 }, maxAttempts: 2 },
        { name: 'b', queue: q },
        { name: 'c', queue: q, dependsOn: ['b', 'a'] },
      ],
    });
    const defs = (w: Workflow) => w.steps.map((s) => [s.name, s.dependsOn, s.maxAttempts, s.input]);
    const expected = [['a', [], 2, { n: 1 }], ['b', [], 4, undefined], ['c', ['b', 'a'], 4, undefined]];
    assert.deepEqual(defs(wf), expected);
    assert.deepEqual(defs((await client.workflows.get({ workflowId: wf.workflowId }))!), expected);
    workers = serveSteps(client, [q]);
    const started = await log.next((e) => e.topic === 'workflows' && e.type === 'step.started');
    const pushed = (started.data as { step: object }).step;
    assert.ok(!('dependsOn' in pushed) && !('input' in pushed), 'a step event carries the step\'s state only');
    await ended(wf.workflowId, 'completed');
  });

  it('answers an existing workflowId with that workflow (idempotent start)', async () => {
    const q = fresh();
    const workflowId = `${q}-id`;
    const first = await client.workflows.start({ name: 'once', workflowId, steps: [{ name: 'a', queue: q }] });
    const again = await client.workflows.start({ name: 'twice', workflowId, steps: [{ name: 'b', queue: q }, { name: 'c', queue: q }] });
    assert.deepEqual(again, first);
    assert.equal((await client.queues.stats({ queue: q })).waiting.normal, 1);
  });

  it('with stopOnFailure, a failed step fails the run and takes its waiting steps off their queues', async () => {
    const q = fresh();
    const slow = `${q}-slow`;
    const wf = await client.workflows.start({
      name: 'stop',
      steps: [
        { name: 'bad', queue: q, maxAttempts: 1 },
        { name: 'after', queue: q, dependsOn: ['bad'] },
        { name: 'parallel', queue: slow },
      ],
    });
    workers = serveSteps(client, [q], () => {
      throw new Error('boom');
    });
    const done = await ended(wf.workflowId, 'failed');
    assert.equal(step(done, 'bad').state, 'failed');
    assert.equal(step(done, 'bad').error, 'boom');
    assert.equal(step(done, 'after').state, 'cancelled');
    assert.equal(step(done, 'parallel').state, 'cancelled');
    assert.equal((await client.queues.stats({ queue: slow })).waiting.normal, 0, 'the waiting job left its queue');
    assert.equal(workers.runs.get('after'), undefined);
  });

  it('without stopOnFailure, skips the failed step\'s dependents and runs the rest', async () => {
    const q = fresh();
    const wf = await client.workflows.start({
      name: 'go on',
      stopOnFailure: false,
      steps: [
        { name: 'bad', queue: q, maxAttempts: 1 },
        { name: 'after', queue: q, dependsOn: ['bad'] },
        { name: 'later', queue: q, dependsOn: ['after'] },
        { name: 'other', queue: q },
        { name: 'join', queue: q, dependsOn: ['other'] },
      ],
    });
    workers = serveSteps(client, [q], (p) => {
      if (p.step === 'bad') throw new Error('boom');
      return p.step;
    });
    const done = await ended(wf.workflowId, 'failed');
    assert.deepEqual(
      done.steps.map((s) => [s.name, s.state]),
      [['bad', 'failed'], ['after', 'skipped'], ['later', 'skipped'], ['other', 'completed'], ['join', 'completed']],
    );
  });

  it('an optional step\'s failure lets its dependents run without its result', async () => {
    const q = fresh();
    const wf = await client.workflows.start({
      name: 'optional',
      steps: [
        { name: 'nice', queue: q, maxAttempts: 1, optional: true },
        { name: 'must', queue: q },
        { name: 'end', queue: q, dependsOn: ['nice', 'must'] },
      ],
    });
    workers = serveSteps(client, [q], (p) => {
      if (p.step === 'nice') throw new Error('not today');
      return p.step;
    });
    const done = await ended(wf.workflowId, 'completed');
    assert.equal(step(done, 'nice').state, 'failed');
    assert.equal(step(done, 'nice').optional, true);
    assert.deepEqual(workers.payloads.get('end')!.results, { must: 'must' });
  });

  it('retries a step with backoff and counts its attempts', async () => {
    const q = fresh();
    const wf = await client.workflows.start({ name: 'flaky', steps: [{ name: 'a', queue: q, maxAttempts: 2 }] });
    let calls = 0;
    workers = serveSteps(client, [q], () => {
      if (++calls === 1) throw new Error('first time');
      return 'ok';
    });
    const began = Date.now();
    const done = await ended(wf.workflowId, 'completed');
    assert.ok(Date.now() - began >= 1000, 'the retry waited out the 1 s backoff');
    assert.equal(step(done, 'a').attempts, 2);
    assert.equal(step(done, 'a').result, 'ok');
  });

  it('a step\'s timeoutMs is its job\'s visibility; its retries back off from 1 s, doubling up to 60 s', async () => {
    const q = fresh();
    const wf = await client.workflows.start({ name: 'policy', steps: [{ name: 'a', queue: q, timeoutMs: 1500, maxAttempts: 10 }] });
    const jobId = `${wf.workflowId}:a`;
    const redis = redisClient(env.redis.url);
    try {
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        const got = (await client.queues.receive({ queue: q, consumer: 'w', visibilityMs: 30_000 }))!;
        assert.equal(got.attempts, attempt);
        const left = got.visibleUntil! - Date.now();
        assert.ok(left > 1000 && left <= 1500, `visibleUntil ${left} ms away`);
        const nacked = await client.queues.nack({ queue: q, jobId, receipt: got.receipt! });
        waits.push(nacked.runAt! - Date.now());
        // due at once by hand, for the next failure
        await redis.zadd(`{sb:q:${q}}:delayed`, 0, jobId);
      }
      for (const [k, base] of [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000].entries()) {
        assert.ok(waits[k]! > base * 0.98 - 50 && waits[k]! <= base * 1.2 + 50, `attempt ${k + 1} waited ${waits[k]} ms, expected ${base} + up to 20 %`);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('the SDK Worker keeps a step\'s lease shorter than its own visibility: a step outliving its timeoutMs runs once', async () => {
    const q = fresh();
    const wf = await client.workflows.start({ name: 'lease', steps: [{ name: 'long', queue: q, timeoutMs: 600 }] });
    let runs = 0;
    const worker = new Worker(client, q, async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return 'done';
    }, { visibilityMs: 30_000, waitMs: 100 }).start();
    const done = await ended(wf.workflowId, 'completed');
    await worker.stop();
    assert.equal(runs, 1);
    assert.equal(step(done, 'long').attempts, 1);
  });

  it('cancel: pending steps never run, waiting jobs leave their queue, a running step\'s ack advances nothing', async () => {
    const q = fresh();
    const wf = await client.workflows.start({
      name: 'cancel',
      steps: [
        { name: 'a', queue: q },
        { name: 'b', queue: q },
        { name: 'c', queue: q, dependsOn: ['a'] },
      ],
    });
    const held = (await client.queues.receive({ queue: q, consumer: 'me' }))!;
    assert.equal(held.jobId, `${wf.workflowId}:a`);
    const cancelled = await client.workflows.cancel({ workflowId: wf.workflowId });
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(
      cancelled.steps.map((s) => s.state),
      ['running', 'cancelled', 'cancelled'],
    );
    assert.equal((await client.queues.stats({ queue: q })).waiting.normal, 0);
    await client.queues.ack({ queue: q, jobId: held.jobId, receipt: held.receipt!, result: 1 });
    const after = (await client.workflows.get({ workflowId: wf.workflowId }))!;
    assert.equal(step(after, 'a').state, 'completed');
    assert.equal(step(after, 'c').state, 'cancelled');
    assert.equal(after.status, 'cancelled');
    assert.equal(await client.queues.receive({ queue: q, consumer: 'me' }), null);
    await rejectsWith(client.workflows.cancel({ workflowId: wf.workflowId }), ErrorCode.Conflict);
    await rejectsWith(client.workflows.cancel({ workflowId: `${q}-none` }), ErrorCode.NotFound);
  });

  it('a running step of a cancelled workflow that fails is not retried', async () => {
    const q = fresh();
    const wf = await client.workflows.start({ name: 'cancel then fail', steps: [{ name: 'a', queue: q }] });
    const held = (await client.queues.receive({ queue: q, consumer: 'me' }))!;
    await client.workflows.cancel({ workflowId: wf.workflowId });
    const nacked = await client.queues.nack({ queue: q, jobId: held.jobId, receipt: held.receipt!, error: 'oops' });
    assert.equal(nacked.state, 'dead', 'attempts were left, but the run has ended');
    assert.match(nacked.lastError!, /oops \(its workflow has ended: not retried\)/);
    const after = (await client.workflows.get({ workflowId: wf.workflowId }))!;
    assert.equal(after.status, 'cancelled');
    assert.equal(step(after, 'a').state, 'failed');
  });

  it('pause holds back the next steps until resume', async () => {
    const q = fresh();
    const wf = await client.workflows.start({ name: 'pause', steps: [{ name: 'a', queue: q }, { name: 'b', queue: q, dependsOn: ['a'] }] });
    const held = (await client.queues.receive({ queue: q, consumer: 'me' }))!;
    const paused = await client.workflows.pause({ workflowId: wf.workflowId });
    assert.equal(paused.status, 'paused');
    await client.queues.ack({ queue: q, jobId: held.jobId, receipt: held.receipt!, result: 'A' });
    const between = (await client.workflows.get({ workflowId: wf.workflowId }))!;
    assert.deepEqual(
      between.steps.map((s) => s.state),
      ['completed', 'ready'],
    );
    assert.equal(await client.queues.receive({ queue: q, consumer: 'me' }), null);
    await rejectsWith(client.workflows.pause({ workflowId: wf.workflowId }), ErrorCode.Conflict);
    const resumed = await client.workflows.resume({ workflowId: wf.workflowId });
    assert.equal(resumed.status, 'running');
    const next = (await client.queues.receive({ queue: q, consumer: 'me' }))!;
    assert.deepEqual((next.payload as { results: unknown }).results, { a: 'A' });
    await client.queues.ack({ queue: q, jobId: next.jobId, receipt: next.receipt! });
    assert.equal((await ended(wf.workflowId, 'completed')).status, 'completed');
    await rejectsWith(client.workflows.resume({ workflowId: wf.workflowId }), ErrorCode.Conflict);
  });

  it('retryStep runs a failed step again from its dependencies\' results, never repeating a completed step', async () => {
    const q = fresh();
    const wf = await client.workflows.start({
      name: 'retry',
      steps: [
        { name: 'a', queue: q },
        { name: 'b', queue: q, dependsOn: ['a'], maxAttempts: 1 },
        { name: 'c', queue: q, dependsOn: ['b'] },
      ],
    });
    let failB = true;
    workers = serveSteps(client, [q], (p) => {
      if (p.step === 'b' && failB) throw new Error('not yet');
      return p.step;
    });
    await ended(wf.workflowId, 'failed');
    await rejectsWith(client.workflows.retryStep({ workflowId: wf.workflowId, step: 'a' }), ErrorCode.Conflict, /completed/);
    await rejectsWith(client.workflows.retryStep({ workflowId: wf.workflowId, step: 'zz' }), ErrorCode.NotFound);
    failB = false;
    const retried = await client.workflows.retryStep({ workflowId: wf.workflowId, step: 'b' });
    assert.equal(retried.status, 'running');
    assert.equal(step(retried, 'b').jobId, `${wf.workflowId}:b:2`);
    const done = await ended(wf.workflowId, 'completed');
    assert.deepEqual(Object.fromEntries(workers.runs), { a: 1, b: 2, c: 1 });
    assert.deepEqual(workers.payloads.get('b')!.results, { a: 'a' });
    assert.equal(step(done, 'c').result, 'c');
  });

  it('lists workflows newest first and publishes step and workflow events', async () => {
    const q = fresh();
    const first = await client.workflows.start({ name: 'one', steps: [{ name: 'a', queue: q }] });
    const second = await client.workflows.start({ name: 'two', steps: [{ name: 'a', queue: q }] });
    const list = await client.workflows.list({ count: 2 });
    assert.deepEqual(
      list.map((w) => w.workflowId),
      [second.workflowId, first.workflowId],
    );
    assert.equal(list[0]!.stepCount, 1);
    assert.equal((list[0] as Partial<Workflow>).steps, undefined);
    workers = serveSteps(client, [q]);
    await ended(first.workflowId, 'completed');
    const mine = (type: string) => log.events.filter((e) => e.type === type && JSON.stringify(e.data).includes(first.workflowId));
    assert.equal(mine('workflow.started').length, 1);
    assert.equal(mine('step.started').length, 1);
    assert.equal(mine('step.completed').length, 1);
  });

  it('the SDK Worker hands a step its context, whose outcome fields tie dispatched outcomes to the workflow', async () => {
    const q = fresh();
    const wf = await client.workflows.start({ name: 'sdk', steps: [{ name: 'a', queue: q, input: 3 }, { name: 'b', queue: q, dependsOn: ['a'] }] });
    const dispatcher = new ActionDispatcher(client);
    const worker = new Worker(client, q, async (job, { step }) => {
      assert.ok(step, 'a workflow job has its step context');
      const { output } = await dispatcher.dispatch('sdk-agent', 'step.run', () => (step.step === 'a' ? (step.input as number) + 1 : step.results), step.outcome);
      return output;
    }, { waitMs: 100 }).start();
    const done = await ended(wf.workflowId, 'completed');
    await worker.stop();
    await dispatcher.flush();
    assert.deepEqual(step(done, 'b').result, { a: 4 });
    const outcomes = await client.outcomes.recent({ workflowId: wf.workflowId, count: 10 });
    assert.deepEqual(
      outcomes.map((o) => o.correlationId),
      [`${wf.workflowId}:a`, `${wf.workflowId}:b`],
    );
  });

  it('over HTTP: start and get', async () => {
    const q = fresh();
    const { result } = await env.d.rpc('workflow.start', { name: 'http', steps: [{ name: 'a', queue: q }] });
    assert.equal(result.status, 'running');
    const { result: got } = await env.d.rpc('workflow.get', { workflowId: result.workflowId });
    assert.equal(got.steps[0].state, 'queued');
  });
});
