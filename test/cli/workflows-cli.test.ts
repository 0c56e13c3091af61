import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SwitchboardClient } from '../../client/client';
import type { Workflow, WorkflowSummary } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { runCli } from '../helpers/daemon-process';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { serveSteps } from '../helpers/step-workers';

describe('switchboard CLI: workflows', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let d: TestDaemon;
  let client: SwitchboardClient;
  const cli = (...args: string[]) => runCli([...args, '--state-dir', d.stateDir]);
  const file = (name: string, params: unknown) => {
    const path = join(d.stateDir, name);
    writeFileSync(path, JSON.stringify(params));
    return path;
  };

  before(async () => {
    redis = await startRedis();
    d = await startTestDaemon(redis.url);
    client = await d.client();
  });
  after(async () => {
    await d.stop();
    await redis.stop();
  });

  it('runs a workflow from a file, lists it and shows its steps', async () => {
    const path = file('wf.json', { name: 'cli run', workflowId: 'cli-wf', steps: [{ name: 'a', queue: 'cli-wq' }, { name: 'b', queue: 'cli-wq', dependsOn: ['a'] }] });
    const started = await cli('run', path);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(started.stdout, 'cli-wf\n');
    const list = await cli('workflows');
    assert.match(list.stdout, /^WORKFLOW\s+NAME\s+STATUS\s+OPEN\s+STARTED/m);
    assert.match(list.stdout, /cli-wf\s+cli run\s+running\s+2\/2/);
    assert.equal((JSON.parse((await cli('workflows', '--json')).stdout) as WorkflowSummary[])[0]!.workflowId, 'cli-wf');
    const one = await cli('workflow', 'cli-wf');
    assert.match(one.stdout, /^a\s+cli-wq\s+queued\s+0/m);
    assert.match(one.stdout, /^b\s+cli-wq\s+pending\s+0/m);
    assert.equal((JSON.parse((await cli('workflow', 'cli-wf', '--json')).stdout) as Workflow).steps.length, 2);
    const missing = await cli('workflow', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /workflow "nope" does not exist/);
  });

  it('shows the capability a step names and the agent that took it, in the run and the list', async () => {
    await client.agents.start({ agentId: 'cli-writer', metadata: { capabilities: [{ name: 'summarize', version: '2' }] } });
    const started = await cli('run', file('cap.json', { name: 'cap run', workflowId: 'cli-cap', steps: [{ name: 'sum', capability: { name: 'summarize', version: '2' } }, { name: 'after', queue: 'cli-cap-q', dependsOn: ['sum'] }] }));
    assert.equal(started.code, 0, started.stderr);
    const job = await client.queues.receive({ queue: 'cap:summarize@2', consumer: 'cli-writer' });
    assert.ok(job);
    const one = await cli('workflow', 'cli-cap');
    assert.match(one.stdout, /^STEP\s+QUEUE\s+STATE\s+ATTEMPTS\s+TOOK\s+CAPABILITY\s+AGENT\s+RESULT/m);
    assert.match(one.stdout, /^sum\s+cap:summarize@2\s+running\s+1\s+summarize@2\s+cli-writer/m);
    assert.match(one.stdout, /^after\s+cli-cap-q\s+pending\s+0\s*$/m);
    const list = await cli('workflows');
    assert.match(list.stdout, /^WORKFLOW\s+NAME\s+STATUS\s+OPEN\s+STARTED\s+CAPABILITIES\s+AGENTS/m);
    assert.match(list.stdout, /^cli-cap\s+cap run\s+running\s+2\/2\s+.+ago\s+summarize@2\s+cli-writer/m);
    await client.queues.ack({ queue: 'cap:summarize@2', jobId: job.jobId, receipt: job.receipt! });
    await client.workflows.cancel({ workflowId: 'cli-cap' });
  });

  it('--wait follows the run to its end: exit 0 when it completed, 1 when it failed', async () => {
    const workers = serveSteps(client, ['cli-wait'], (p) => {
      if (p.input === 'fail') throw new Error('told to');
      return p.step;
    });
    try {
      const ok = await cli('run', file('ok.json', { name: 'ok', steps: [{ name: 'x', queue: 'cli-wait' }, { name: 'y', queue: 'cli-wait', dependsOn: ['x'] }] }), '--wait');
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /^completed {2}x$/m);
      assert.match(ok.stdout, /completed\n[^]*^y\s+cli-wait\s+completed\s+1/m);
      const bad = await cli('run', file('bad.json', { name: 'bad', steps: [{ name: 'x', queue: 'cli-wait', input: 'fail', maxAttempts: 1 }] }), '--wait');
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /^failed {2}x: told to$/m);
      assert.match(bad.stderr, /failed/);
    } finally {
      await workers.stop();
    }
  });

  it('refuses a file that is not JSON, and a bad workflow with the daemon\'s reason', async () => {
    const path = join(d.stateDir, 'broken.json');
    writeFileSync(path, '{');
    const broken = await cli('run', path);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /is not valid JSON/);
    const cycle = await cli('run', file('cycle.json', { name: 'c', steps: [{ name: 'a', queue: 'q', dependsOn: ['a'] }] }));
    assert.equal(cycle.code, 1);
    assert.match(cycle.stderr, /"a" depends on itself/);
  });
});
