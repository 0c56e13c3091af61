/**
 * Finding 6 (a dead embedded Redis left the daemon broken), embedded `maxmemory`, and the minor
 * items of finding 10: secrets in daemon.json, Redis's own reason for a failed login, a stale
 * daemon.json with a reused pid, a lower-case `bearer`, and the sweep failure log.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { SwitchboardClient } from '../../client/client';
import { Sweeper } from '../../daemon/runtime/sweeper';
import type { Logger } from '../../common/logger';
import type { RpcError } from '../../protocol/errors';
import type { AgentStatus, Approval, DaemonInfo } from '../../protocol/types';
import { terminate } from '../helpers/child-process';
import { startTestDaemon } from '../helpers/daemon';
import { runCli, spawnDaemon, type DaemonProcess } from '../helpers/daemon-process';
import { record } from '../helpers/events';
import { freePort, startRedis, type TestRedis } from '../helpers/redis-server';
import { tempDirPerTest } from '../helpers/temp-dir';

/** Polls a condition until it holds (a process's log, a health endpoint); fails naming it after the deadline. */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function redisPid(socket: string): Promise<number> {
  const redis = new Redis({ path: socket, lazyConnect: true, retryStrategy: () => null });
  try {
    await redis.connect();
    return Number(/^process_id:(\d+)/m.exec(await redis.info('server'))![1]);
  } finally {
    redis.disconnect();
  }
}

const healthy = async (httpUrl: string) => (await fetch(`${httpUrl}/healthz`).catch(() => undefined))?.status === 200;

function recorder(lines: string[]): Logger {
  return { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

describe('hardening: embedded Redis supervision and maxmemory', function () {
  this.timeout(20_000);
  let stateDir: string;
  const daemons: DaemonProcess[] = [];
  // Registered before the temp dir's removal so that a failed test still stops its Redis.
  afterEach(async () => {
    for (const daemon of daemons.splice(0)) if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
    const leftover = new Redis({ path: join(stateDir, 'redis.sock'), lazyConnect: true, retryStrategy: () => null });
    leftover.on('error', () => {});
    await leftover.connect().then(() => leftover.shutdown(), () => {}).catch(() => {});
    leftover.disconnect();
  });
  tempDirPerTest('sb-harden-', (dir) => (stateDir = dir));

  async function start(args: string[] = []) {
    const daemon = await spawnDaemon(stateDir, args);
    daemons.push(daemon);
    const httpUrl = daemon.url.replace('ws://', 'http://').replace('/v1', '');
    const client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
    return { daemon, httpUrl, client };
  }

  it('restarts an embedded Redis killed with SIGKILL: every acknowledged write survives and events flow again', async () => {
    const { daemon, httpUrl, client } = await start();
    const socket = join(stateDir, 'redis.sock');
    const log = await record(client, ['agents']);
    const killedPid = await redisPid(socket);

    // Writers keep going through the kill; whatever was acknowledged must be there afterwards.
    const agents: string[] = [];
    const approvals: string[] = [];
    let writing = true;
    const writer = async (stream: number) => {
      for (let n = 0; writing; n++) {
        try {
          if (stream % 2) approvals.push((await client.approvals.create({ agentId: `w${stream}`, type: 'deploy', context: { n } })).requestId);
          else agents.push((await client.agents.start({ agentId: `w${stream}-${n}`, ttlSeconds: 300 })).agentId);
        } catch (error) {
          assert.equal((error as RpcError).code, -32005, (error as Error).message);
        }
      }
    };
    const writers = Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(writer));
    await until(() => agents.length + approvals.length >= 200, '200 acknowledged writes');
    process.kill(killedPid, 'SIGKILL');
    await until(() => /error embedded Redis \(pid \d+\) exited \(SIGKILL\)/.test(daemon.stderr()), 'the death in the log');
    writing = false;
    await writers;
    await until(() => /embedded Redis is back/.test(daemon.stderr()), 'the restart in the log');
    await until(() => healthy(httpUrl), '/healthz ok again');

    assert.notEqual(await redisPid(socket), killedPid, 'a new redis-server');
    const found = await Promise.all(agents.map((agentId) => client.agents.get({ agentId })));
    assert.deepEqual(
      found.map((agent) => agent?.agentId),
      agents,
    );
    const requests = await Promise.all(approvals.map((requestId) => client.approvals.get({ requestId })));
    assert.deepEqual(
      requests.map((request) => request?.requestId),
      approvals,
    );
    // The hub's subscriber re-subscribed: a change made now is pushed to the old subscription.
    await client.agents.start({ agentId: 'after-restart' });
    await log.next((event) => (event.data as AgentStatus).agentId === 'after-restart');

    client.close();
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exited, 0);
    assert.ok(!existsSync(socket), 'the restarted Redis stopped with the daemon');
  });

  it('supervises an adopted Redis too: when it dies the daemon starts its own on the same data', async () => {
    const socket = join(stateDir, 'redis.sock');
    const first = await start();
    const approval = await first.client.approvals.create({ agentId: 'adopt', type: 'deploy', context: { keep: true } });
    first.client.close();
    first.daemon.child.kill('SIGKILL');
    await first.daemon.exited;

    const { daemon, httpUrl, client } = await start();
    const adoptedPid = await redisPid(socket);
    process.kill(adoptedPid, 'SIGKILL');
    await until(() => new RegExp(`embedded Redis \\(adopted, pid ${adoptedPid}\\) is gone`).test(daemon.stderr()), 'the death in the log');
    await until(() => /embedded Redis is back/.test(daemon.stderr()), 'the restart in the log');
    await until(() => healthy(httpUrl), '/healthz ok again');
    assert.deepEqual(await client.approvals.get({ requestId: approval.requestId }), approval);

    client.close();
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exited, 0);
    assert.ok(!existsSync(socket), 'the Redis it started stopped with it');
  });

  it('caps embedded Redis memory: a full Redis refuses writes with -32005, evicts nothing, and still expires agents and approvals', async () => {
    const { client } = await start(['--redis-maxmemory', '2mb']);
    const log = await record(client, ['agents', 'approvals']);
    const agents = Array.from({ length: 20 }, (_, i) => `small-${i}`);
    for (const agentId of agents) await client.agents.start({ agentId });
    // These run out after Redis is full (filling it takes well under their 3 s): expiry must go on then.
    await client.agents.start({ agentId: 'short-lived', ttlSeconds: 3 });
    const { requestId } = await client.approvals.create({ agentId: 'small-0', type: 'deploy', context: {}, timeoutMs: 3_000 });
    const blob = 'x'.repeat(60_000);
    const published: string[] = [];
    let refusal: RpcError | undefined;
    for (let i = 0; i < 200 && !refusal; i++) {
      try {
        published.push((await client.events.publish({ type: 'big', data: { i, blob } })).id);
      } catch (error) {
        refusal = error as RpcError;
      }
    }
    assert.ok(refusal, 'refused before 200 events of 60 KB');
    assert.ok(published.length > 0);
    const isMaxmemory = (error: RpcError) => {
      assert.equal(error.code, -32005);
      assert.equal(error.message, 'Redis is out of memory (maxmemory reached): the write was refused and nothing changed');
      assert.deepEqual(error.data, { rule: 'maxmemory' });
      return true;
    };
    assert.ok(isMaxmemory(refusal));
    await assert.rejects(client.approvals.create({ agentId: 'small-0', type: 'deploy', context: { blob } }), isMaxmemory);
    await assert.rejects(client.agents.start({ agentId: 'late', metadata: { blob } }), isMaxmemory);
    await assert.rejects(client.agents.beat({ agentId: 'small-1', currentTask: null, metadata: { blob } }), isMaxmemory);

    // A 60 KB write is refused with a little room left, where a short script may still fit: take that
    // room away, as for a Redis that has grown past its limit, so that every write is refused.
    const raw = new Redis({ path: join(stateDir, 'redis.sock') });
    try {
      const used = Number(/^used_memory:(\d+)/m.exec(await raw.info('memory'))![1]);
      await raw.config('SET', 'maxmemory', String(used - 64 * 1024));
    } finally {
      raw.disconnect();
    }
    await assert.rejects(client.agents.start({ agentId: 'late-small' }), isMaxmemory);
    // Redis is full, and the short-lived agent and request have not run out yet (else this proves nothing)…
    assert.equal((await client.agents.get({ agentId: 'short-lived' }))?.status, 'starting');
    assert.equal((await client.approvals.get({ requestId }))?.status, 'pending');
    // …then they expire all the same, each with its event, while writes are still refused.
    await log.next((event) => event.type === 'agent.expired' && (event.data as AgentStatus).agentId === 'short-lived');
    await log.next((event) => event.type === 'approval.expired' && (event.data as Approval).requestId === requestId);
    assert.equal((await client.agents.get({ agentId: 'short-lived' }))?.status, 'expired');
    assert.equal((await client.approvals.get({ requestId }))?.status, 'expired');
    await assert.rejects(client.agents.start({ agentId: 'late-small' }), isMaxmemory);

    // Nothing evicted, and the refused writes left nothing behind.
    const recent = await client.events.recent({ type: 'big', count: 1000 });
    assert.deepEqual(recent.map((event) => event.id).sort(), [...published].sort());
    const listed = new Set((await client.agents.list()).map((agent) => agent.agentId));
    assert.ok(agents.every((agentId) => listed.has(agentId)), 'every agent started before the cap was hit is listed');
    assert.deepEqual(await client.approvals.pending(), []);
    assert.equal(await client.agents.get({ agentId: 'late' }), null);
    assert.equal(await client.agents.get({ agentId: 'late-small' }), null);
    client.close();
  });

  it('takes redisMaxMemory from config.json, and names the field when a size is malformed', async () => {
    const daemonArgs = ['daemon', '--state-dir', stateDir, '--port', '0'];
    const badFlag = await runCli([...daemonArgs, '--redis-maxmemory', '2 GB']);
    assert.equal(badFlag.code, 1);
    assert.match(badFlag.stderr, /--redis-maxmemory must be a size like 512mb or 1gb .*not "2 GB"/);

    writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ redisMaxMemory: 'lots' }));
    const badConfig = await runCli(daemonArgs);
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /config\.json: \/redisMaxMemory must match pattern/);

    writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ redisMaxMemory: '3mb' }));
    const { client } = await start();
    const redis = new Redis({ path: join(stateDir, 'redis.sock') });
    try {
      assert.deepEqual(await redis.config('GET', 'maxmemory'), ['maxmemory', String(3 * 1024 * 1024)]);
      assert.deepEqual(await redis.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
    } finally {
      redis.disconnect();
      client.close();
    }
  });
});

describe('hardening: minor runtime items', function () {
  this.timeout(15_000);
  let redis: TestRedis;
  let secured: TestRedis;
  let stateDir: string;
  before(async () => {
    redis = await startRedis();
    secured = await startRedis({ args: ['--requirepass', 'secret'] });
  });
  after(async () => {
    await redis?.stop();
    await secured?.stop();
  });
  tempDirPerTest('sb-minor-', (dir) => (stateDir = dir));

  it('redacts a ?password= given in the Redis URL from daemon.json', async () => {
    const d = await startTestDaemon(`redis://127.0.0.1:${secured.port}/?password=secret`, { stateDir });
    try {
      const text = readFileSync(join(stateDir, 'daemon.json'), 'utf8');
      assert.ok(!text.includes('secret'), text);
      assert.equal((JSON.parse(text) as DaemonInfo).redis, `redis://127.0.0.1:${secured.port}/?password=***`);
    } finally {
      await d.stop();
    }
  });

  it("says why Redis refused the login (WRONGPASS, NOAUTH), without the password or a stack", async () => {
    const daemonArgs = ['daemon', '--state-dir', stateDir, '--port', '0', '--redis'];
    const wrong = await runCli([...daemonArgs, `redis://:not-the-password@127.0.0.1:${secured.port}`]);
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stderr,
      new RegExp(`^switchboard: cannot connect to Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${secured.port}/?: WRONGPASS invalid username-password pair`),
    );
    assert.ok(!wrong.stderr.includes('not-the-password'));
    assert.ok(!/^\s+at /m.test(wrong.stderr), wrong.stderr);

    const none = await runCli([...daemonArgs, secured.url]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /cannot connect to Redis at .*: NOAUTH Authentication required/);
  });

  describe('a daemon.json whose pid is alive', () => {
    let foreign: ChildProcess;
    beforeEach(() => (foreign = spawn('sleep', ['30'], { stdio: 'ignore' })));
    afterEach(() => terminate(foreign));

    /** daemon.json as a daemon at httpUrl with the pid of an unrelated live process would leave it. */
    function writeInfo(dir: string, httpUrl: string): void {
      const info: DaemonInfo = {
        pid: foreign.pid!,
        url: `${httpUrl.replace('http://', 'ws://')}/v1`,
        httpUrl,
        redis: redis.url,
        version: '0.0.0',
        protocolVersion: '1',
      };
      writeFileSync(join(dir, 'daemon.json'), JSON.stringify(info));
    }

    it('is stale when no daemon answers at its URL: start-up goes on and says so', async () => {
      writeInfo(stateDir, `http://127.0.0.1:${await freePort()}`);
      const lines: string[] = [];
      const d = await startTestDaemon(redis.url, { stateDir, log: recorder(lines) });
      try {
        assert.ok(lines.some((line) => new RegExp(`ignoring stale .*daemon\\.json: pid ${foreign.pid} is alive`).test(line)), lines.join('\n'));
        assert.equal((JSON.parse(readFileSync(join(stateDir, 'daemon.json'), 'utf8')) as DaemonInfo).pid, process.pid);
      } finally {
        await d.stop();
      }
    });

    it('still blocks start-up when a daemon answers /healthz there, or when something accepts but never answers', async () => {
      const live = await startTestDaemon(redis.url);
      let silent: Server | undefined;
      try {
        writeInfo(stateDir, live.httpUrl);
        await assert.rejects(startTestDaemon(redis.url, { stateDir }), /a daemon is already running/);

        silent = createServer(() => {}); // accepts, never answers: a daemon whose event loop is busy
        await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
        writeInfo(stateDir, `http://127.0.0.1:${(silent.address() as { port: number }).port}`);
        await assert.rejects(startTestDaemon(redis.url, { stateDir }), /already running .*did not answer \/healthz within 500 ms/);
      } finally {
        silent?.close();
        await live.stop();
      }
    });
  });

  it('accepts the bearer scheme in any case and with extra spaces', async () => {
    const d = await startTestDaemon(redis.url, { stateDir });
    const call = (authorization: string) =>
      fetch(`${d.httpUrl}/v1/rpc`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'agent.list', params: {} }),
      });
    try {
      for (const header of [`bearer ${d.token}`, `BEARER   ${d.token}`, `Bearer\t${d.token}`]) {
        assert.equal((await call(header)).status, 200, header);
      }
      for (const header of [`Basic ${d.token}`, `bearer${d.token}`, `bearer ${d.token}x`, 'bearer ']) {
        assert.equal((await call(header)).status, 401, header);
      }
      const ws = await d.socket({ Authorization: `bearer ${d.token}` });
      ws.close();
    } finally {
      await d.stop();
    }
  });

  it('logs a failing expiry sweep once rather than every interval, and once when it works again', async () => {
    let sweeps = 0;
    let down = true;
    // A sweep that fails like one whose Redis is away, until `down` is cleared.
    const sweepStep = async () => {
      sweeps++;
      if (down) throw new Error('Redis unavailable: connect ECONNREFUSED 127.0.0.1:6379');
      return 0;
    };
    const lines: string[] = [];
    const sweeper = new Sweeper([sweepStep], recorder(lines), 2);
    sweeper.start();
    try {
      await until(() => sweeps >= 25, '25 failed sweeps');
      assert.deepEqual(
        lines.filter((line) => /expiry sweep failed/.test(line)),
        ['expiry sweep failed: Redis unavailable: connect ECONNREFUSED 127.0.0.1:6379'],
      );
      down = false;
      await until(() => lines.some((line) => /works again/.test(line)), 'the recovery line');
      assert.match(lines.at(-1)!, /^expiry sweep works again after \d{2,} failed sweeps$/);
      assert.equal(lines.length, 2);
    } finally {
      await sweeper.stop();
    }
  });
});
