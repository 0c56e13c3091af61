import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readInfo } from '../../client/discovery';
import { stopDaemon } from '../../client/daemon-launcher';
import { SwitchboardClient } from '../../client/client';
import { CLI } from '../helpers/daemon-process';
import { startMcpSession, type McpSession } from '../helpers/mcp-session';
import { startRedis } from '../helpers/redis-server';
import { tempDirPerTest } from '../helpers/temp-dir';

describe('switchboard mcp without a running daemon', function () {
  this.timeout(30_000);
  let stateDir: string;
  tempDirPerTest('sb-mcp-', (dir) => (stateDir = dir));

  it('starts the bundled daemon (embedded Redis), and writes nothing but MCP JSON-RPC to stdout', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--state-dir', stateDir, '--agent-id', 'mcp-self-started'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    const replies = new Map<number, (message: any) => void>();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const line of stdout.split('\n').slice(0, -1)) {
        const message = JSON.parse(line) as { jsonrpc: string; id?: number };
        assert.equal(message.jsonrpc, '2.0', line);
        if (message.id !== undefined) replies.get(message.id)?.(message);
      }
      stdout = stdout.slice(stdout.lastIndexOf('\n') + 1);
    });
    let nextId = 1;
    const request = (method: string, params: object) =>
      new Promise<any>((resolve) => {
        const id = nextId++;
        replies.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    let client: SwitchboardClient | undefined;
    try {
      await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const reply = await request('tools/call', { name: 'report_status', arguments: { currentTask: 'on a daemon of its own' } });
      assert.equal(reply.result.isError, undefined, JSON.stringify(reply));
      assert.ok(readInfo(stateDir), 'daemon.json written by the started daemon');
      client = await SwitchboardClient.connect({ stateDir, reconnect: false });
      assert.equal((await client.agents.get({ agentId: 'mcp-self-started' }))?.currentTask, 'on a daemon of its own');
      child.stdin.end();
      assert.equal(await exited, 0);
      assert.equal((await client.agents.get({ agentId: 'mcp-self-started' }))?.status, 'completed');
    } finally {
      client?.close();
      child.kill();
      const pid = readInfo(stateDir)?.pid;
      stopDaemon(stateDir);
      await gone(pid);
    }
  });

  it('two sessions starting together both join the fleet on the one daemon that came up (the other launch lost the port)', async () => {
    // Redis of the test's own: the race under test is the daemons', not two embedded Redis in one state dir.
    const redis = await startRedis();
    const env = { SWITCHBOARD_REDIS_URL: redis.url };
    const sessions: McpSession[] = [];
    let client: SwitchboardClient | undefined;
    try {
      const started = await Promise.allSettled(
        ['mcp-twin-a', 'mcp-twin-b'].map((agentId) => startMcpSession(stateDir, { args: ['--agent-id', agentId, '--verbose'], env }).then((s) => (sessions.push(s), s))),
      );
      assert.deepEqual(started.map((s) => s.status), ['fulfilled', 'fulfilled'], started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok')).join('; '));
      for (const session of sessions) {
        const result = await session.client.callTool({ name: 'report_status', arguments: { currentTask: 'sharing a daemon' } });
        assert.equal(result.isError, undefined, JSON.stringify(result.content));
      }
      client = await SwitchboardClient.connect({ stateDir, reconnect: false });
      const agents = await client.agents.list();
      assert.deepEqual(agents.filter((a) => a.alive).map((a) => a.agentId).sort(), ['mcp-twin-a', 'mcp-twin-b']);
    } finally {
      client?.close();
      for (const session of sessions) await session.close();
      const pid = readInfo(stateDir)?.pid;
      stopDaemon(stateDir);
      await gone(pid);
      await redis.stop();
    }
  });
});

/** Resolves once the process is gone (the daemon removes its embedded Redis as it exits). */
async function gone(pid: number | undefined, timeoutMs = 10_000): Promise<void> {
  if (pid === undefined) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`daemon ${pid} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
