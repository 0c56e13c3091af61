import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { AgentStatus, Approval } from '../../protocol/types';
import type { SwitchboardClient } from '../../client/client';
import { useDaemon, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('docs/agents.md Python example (examples/python/agent.py)', function () {
  this.timeout(20_000);
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));

  it('registers, beats, waits for approval over HTTP long poll, and stops', async () => {
    const log = await record(client, ['agents', 'approvals']);
    const python = spawn('python3', [resolve(__dirname, '../../examples/python/agent.py'), 'py-1'], {
      env: { ...process.env, SWITCHBOARD_STATE_DIR: d.stateDir },
    });
    let out = '';
    python.stdout.on('data', (c: Buffer) => (out += c.toString()));
    python.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((done) => python.once('exit', done));

    const requested = await log.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'py-1');
    const beats = log.events.filter((e) => e.type === 'agent.beat' && (e.data as AgentStatus).agentId === 'py-1');
    assert.deepEqual(beats.map((e) => (e.data as AgentStatus).currentTask), ['Step 1 of 3', 'Step 2 of 3', 'Step 3 of 3']);
    assert.equal((requested.data as Approval).risk, 'high');
    await client.approvals.respond({ requestId: (requested.data as Approval).requestId, approved: true, responder: 'ops' });

    assert.equal(await exited, 0, out);
    assert.match(out, /approval approved by ops/);
    const stopped = await log.next((e) => e.type === 'agent.stopped' && (e.data as AgentStatus).agentId === 'py-1');
    assert.equal((stopped.data as AgentStatus).status, 'completed');
  });
});
