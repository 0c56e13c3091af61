import assert from 'node:assert/strict';
import type { Approval, AgentStatus, Signal } from '../../protocol/types';
import { cliSuite } from '../helpers/cli-suite';
import { runCli } from '../helpers/daemon-process';

describe('switchboard CLI', function () {
  this.timeout(20_000);
  const suite = cliSuite();
  const { cli } = suite;

  it('lists agents as a table and as JSON', async () => {
    await suite.daemon.rpc('agent.start', { agentId: 'cli-agent', metadata: { workflow: 'wf' } });
    await suite.daemon.rpc('agent.beat', { agentId: 'cli-agent', progress: 0.25, currentTask: 'Indexing' });
    const table = await cli('agents');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^AGENT\s+STATUS\s+PROGRESS\s+TASK/m);
    assert.match(table.stdout, /cli-agent\s+running\s+25%\s+Indexing\s+\d+s ago\s+wf/);
    const json = await cli('agents', '--json');
    const agents = JSON.parse(json.stdout) as AgentStatus[];
    assert.equal(agents.find((a) => a.agentId === 'cli-agent')?.currentTask, 'Indexing');
  });

  it('sends and broadcasts signals and lists an agent’s pending ones', async () => {
    const sent = await cli('send', '--from', 'me', '--to', 'cli-agent', '--type', 'pause', '--payload', '{"why":"lunch"}', '--json');
    assert.equal(sent.code, 0, sent.stderr);
    const signal = JSON.parse(sent.stdout) as Signal;
    assert.deepEqual(signal.payload, { why: 'lunch' });
    assert.equal((await cli('broadcast', '--from', 'me', '--type', 'wrap-up')).code, 0);
    const pending = JSON.parse((await cli('signals', '--agent', 'cli-agent', '--json')).stdout) as Signal[];
    assert.deepEqual(pending.map((s) => s.type), ['pause', 'wrap-up']);
    const table = await cli('signals', '--agent', 'cli-agent');
    assert.match(table.stdout, /pause\s+me\s+cli-agent\s+\{"why":"lunch"\}/);
  });

  it('approves and rejects from the command line', async () => {
    const a = (await suite.daemon.rpc('approval.create', { agentId: 'cli-agent', type: 'deploy', context: { env: 'prod' } })).result as Approval;
    const b = (await suite.daemon.rpc('approval.create', { agentId: 'cli-agent', type: 'delete', context: {} })).result as Approval;
    const listed = await cli('approvals');
    assert.match(listed.stdout, new RegExp(`${a.requestId}\\s+cli-agent\\s+deploy\\s+medium`));
    const approved = await cli('approve', a.requestId, '--reason', 'ship it', '--as', 'jane');
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /^approved /);
    assert.equal((await cli('reject', b.requestId)).code, 0);
    const stored = (await suite.daemon.rpc('approval.get', { requestId: a.requestId })).result as Approval;
    assert.equal(stored.responder, 'jane');
    assert.equal(stored.reason, 'ship it');
    assert.equal(((await suite.daemon.rpc('approval.get', { requestId: b.requestId })).result as Approval).status, 'rejected');
    const again = await cli('approve', a.requestId);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already approved by jane/);
  });

  it('prints recent events of every type or one', async () => {
    await suite.daemon.rpc('event.publish', { type: 'cli.build', data: { ok: true } });
    await suite.daemon.rpc('event.publish', { type: 'cli.test', data: { passed: 3 } });
    const all = await cli('events', '--json');
    assert.deepEqual((JSON.parse(all.stdout) as { type: string }[]).map((e) => e.type), ['cli.build', 'cli.test']);
    const one = await cli('events', '--type', 'cli.test');
    assert.match(one.stdout, /cli\.test\s+\{"passed":3\}/);
    assert.doesNotMatch(one.stdout, /cli\.build/);
  });

  it('reports status, and exits 1 when no daemon can be found, 2 on usage errors', async () => {
    const status = await cli('status', '--json');
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).status, 'ok');
    const nowhere = await runCli(['agents', '--state-dir', '/nonexistent/switchboard']);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /no Switchboard daemon found/);
    assert.equal((await cli('send', '--from', 'x')).code, 2, 'missing required options');
    assert.equal((await cli('send', '--from', 'x', '--to', 'y', '--type', 't', '--payload', '{bad')).code, 2);
  });
});
