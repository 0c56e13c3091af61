import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DaemonInfo } from '../../protocol/types';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { runCli, spawnDaemon } from '../helpers/daemon-process';
import { tempDirPerTest } from '../helpers/temp-dir';

describe('switchboard daemon (embedded mode)', function () {
  this.timeout(20_000);
  let stateDir: string;
  tempDirPerTest('sb-cli-', (dir) => (stateDir = dir));

  it('starts its own Redis, writes token (0600), daemon.json and the ready line, and cleans up on SIGTERM', async () => {
    const daemon = await spawnDaemon(stateDir);
    assert.equal(statSync(stateDir).mode & 0o777, 0o700);
    const token = join(stateDir, 'token');
    assert.equal(statSync(token).mode & 0o777, 0o600);
    assert.match(readFileSync(token, 'utf8').trim(), /^[0-9a-f]{64}$/);
    const info = JSON.parse(readFileSync(join(stateDir, 'daemon.json'), 'utf8')) as DaemonInfo;
    assert.equal(info.pid, daemon.child.pid);
    assert.equal(info.url, daemon.url);
    assert.equal(info.httpUrl, daemon.url.replace('ws://', 'http://').replace('/v1', ''));
    assert.equal(info.redis, `unix://${join(stateDir, 'redis.sock')}`);
    assert.equal(info.protocolVersion, PROTOCOL_VERSION);
    const health = (await (await fetch(`${info.httpUrl}/healthz`)).json()) as { redis: string };
    assert.equal(health.redis, 'up');
    assert.ok(existsSync(join(stateDir, 'redis', 'appendonlydir')), 'AOF is on');

    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exited, 0);
    assert.ok(!existsSync(join(stateDir, 'daemon.json')), 'daemon.json removed');
    assert.ok(!existsSync(join(stateDir, 'redis.sock')), 'embedded Redis stopped');
  });

  it('stops cleanly, Redis included, when SIGTERM comes the moment it is ready', async () => {
    for (let i = 0; i < 5; i++) {
      const daemon = await spawnDaemon(stateDir);
      daemon.child.kill('SIGTERM');
      assert.equal(await daemon.exited, 0, `run ${i}`);
      assert.ok(!existsSync(join(stateDir, 'redis.sock')), `run ${i}: embedded Redis stopped`);
    }
  });

  it('keeps the same token across restarts and refuses a second daemon on the same state dir', async () => {
    const first = await spawnDaemon(stateDir);
    const second = await runCli(['daemon', '--state-dir', stateDir, '--port', '0']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already running/);
    first.child.kill('SIGTERM');
    await first.exited;
    const again = await spawnDaemon(stateDir);
    assert.equal(again.token, first.token);
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('exits 1 with one line saying how to install redis-server when it is missing', async () => {
    const result = await runCli(['daemon', '--state-dir', stateDir, '--port', '0'], { ...process.env, PATH: '/nonexistent' });
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /apt-get install redis-server/);
    assert.match(lines[0]!, /brew install redis/);
    assert.match(lines[0]!, /--redis/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await runCli(['daemon', '--no-such-flag'])).code, 2);
    assert.equal((await runCli(['frobnicate'])).code, 2);
    assert.equal((await runCli(['daemon', '--port', 'abc', '--state-dir', stateDir])).code, 1);
    assert.equal((await runCli(['--help'])).code, 0);
  });
});
