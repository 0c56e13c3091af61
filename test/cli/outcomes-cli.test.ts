import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { OutcomeEvent, OutcomeStatsResult } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { CLI, runCli } from '../helpers/daemon-process';
import { startRedis, type TestRedis } from '../helpers/redis-server';

describe('switchboard outcomes / stats', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let d: TestDaemon;
  const cli = (...args: string[]) => runCli([...args, '--state-dir', d.stateDir]);
  const outcome = (agentName: string, status: string, extra: object = {}) =>
    d.rpc('outcome.record', { agentName, actionType: 'llm.call', status, durationMs: 120, ...extra });

  before(async () => {
    redis = await startRedis();
    d = await startTestDaemon(redis.url);
    await outcome('cli-writer', 'success', { tokensUsed: 300, costUsd: 0.01 });
    await outcome('cli-writer', 'failure', { errorMessage: 'model refused' });
    await outcome('cli-reader', 'success');
  });
  after(async () => {
    await d.stop();
    await redis.stop();
  });

  it('lists recent outcomes as a table and as JSON, filtered by agent and status', async () => {
    const all = await cli('outcomes');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^TIME\s+AGENT\s+ACTION\s+STATUS\s+SEVERITY\s+DURATION\s+TOKENS\s+COST\s+ERROR/m);
    assert.match(all.stdout, /cli-writer\s+llm\.call\s+failure\s+error\s+120ms\s+model refused/);
    const failures = JSON.parse((await cli('outcomes', '--agent', 'cli-writer', '--status', 'failure', '--json')).stdout) as OutcomeEvent[];
    assert.deepEqual(failures.map((o) => [o.agentName, o.status]), [['cli-writer', 'failure']]);
    const reader = await cli('outcomes', '--agent', 'cli-reader');
    assert.doesNotMatch(reader.stdout, /cli-writer/);
    const bad = await cli('outcomes', '--status', 'great');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /must be one of success, failure/);
  });

  it('shows per-agent stats with the fleet, and as JSON', async () => {
    const text = await cli('stats');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^AGENT\s+COUNT\s+SUCCESS\s+ERRORS\s+P50\s+P95\s+P99\s+TOKENS\s+COST\s+ALERT/m);
    assert.match(text.stdout, /cli-writer\s+2\s+50\.0%\s+50\.0%\s+\d+ms\s+\d+ms\s+\d+ms\s+300\s+\$0\.0100/);
    assert.match(text.stdout, /\(fleet\)\s+3\s+/);
    assert.match(text.stdout, /\(last 300s\)/);
    const json = JSON.parse((await cli('stats', '--agent', 'cli-reader', '--window', '60', '--json')).stdout) as OutcomeStatsResult;
    assert.equal(json.windowSeconds, 60);
    assert.deepEqual(json.agents.map((a) => [a.agentName, a.count]), [['cli-reader', 1]]);
  });

  it('follows new outcomes of one agent until interrupted', async () => {
    const child = spawn(process.execPath, [CLI, 'outcomes', '--follow', '--agent', 'cli-live', '--state-dir', d.stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // Everything printed so far counts, so a line that came before we looked is not missed.
    const printed = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => pattern.test(out) && (child.stdout!.off('data', check), resolve());
        child.stdout!.on('data', check);
        check();
      });
    await printed(/following; Ctrl-C to stop/);
    await outcome('someone-else', 'success');
    await outcome('cli-live', 'timeout', { errorMessage: 'no answer' });
    await printed(/cli-live\s+llm\.call\s+timeout\s+error/);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.doesNotMatch(out, /someone-else/);
  });
});
