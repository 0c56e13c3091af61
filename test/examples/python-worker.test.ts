import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { SwitchboardClient } from '../../client/client';
import { useDaemon, type TestDaemon } from '../helpers/daemon';

describe('docs/dispatch.md Python worker (examples/python/worker.py)', function () {
  this.timeout(20_000);
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));

  it('receives over HTTP long polls, acks results, and nacks failures with the traceback until they are dead', async () => {
    await client.queues.enqueue({ queue: 'py-jobs', payload: { text: 'hello' }, jobId: 'good' });
    await client.queues.enqueue({ queue: 'py-jobs', payload: { nope: 1 }, jobId: 'bad', maxAttempts: 2 });
    const python = spawn('python3', [resolve(__dirname, '../../examples/python/worker.py'), 'py-jobs', 'py-w'], {
      env: { ...process.env, SWITCHBOARD_STATE_DIR: d.stateDir },
    });
    let out = '';
    python.stdout.on('data', (c: Buffer) => (out += c.toString()));
    python.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((done) => python.once('exit', done));
    assert.equal(code, 0, out);
    assert.match(out, /^done good$/m);
    assert.match(out, /^failed bad attempt 1$/m);
    assert.match(out, /^failed bad attempt 2$/m);
    const stats = await client.queues.stats({ queue: 'py-jobs' });
    assert.deepEqual([stats.completedTotal, stats.dead, stats.active], [1, 1, 0]);
    const [dead] = await client.queues.dead({ queue: 'py-jobs' });
    assert.match(dead!.lastError!, /KeyError: 'text'/);
  });
});
