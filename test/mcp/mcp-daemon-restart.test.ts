import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SwitchboardClient } from '../../client/client';
import { spawnDaemon, type DaemonProcess } from '../helpers/daemon-process';
import { startMcpSession, type McpSession } from '../helpers/mcp-session';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { tempDirPerTest } from '../helpers/temp-dir';

describe('switchboard mcp across a daemon restart', function () {
  this.timeout(30_000);
  let stateDir: string;
  let redis: TestRedis | undefined;
  let daemon: DaemonProcess | undefined;
  let session: McpSession | undefined;
  tempDirPerTest('sb-mcp-restart-', (dir) => (stateDir = dir));

  afterEach(async () => {
    await session?.close();
    daemon?.child.kill('SIGTERM');
    await daemon?.exited;
    await redis?.stop();
  });

  it('keeps the session: a call made while the daemon is away is answered by the restarted one, and the agent is still there', async () => {
    redis = await startRedis();
    daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
    session = await startMcpSession(stateDir, { args: ['--agent-id', 'mcp-survivor', '--verbose'] });
    const call = async (name: string, args: Record<string, unknown>) => (await session!.client.callTool({ name, arguments: args })) as CallToolResult;
    assert.ok(!(await call('report_status', { currentTask: 'before' })).isError);

    daemon.child.kill('SIGTERM');
    await daemon.exited;
    // Called once the server knows its daemon is gone (a call racing the close would be in flight when it drops).
    await session.stderrSays('daemon connection reconnecting');
    const during = call('report_status', { currentTask: 'during the restart' });
    daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
    const result = await during;
    assert.ok(!result.isError, JSON.stringify(result.content));

    const sdk = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
    try {
      const agent = await sdk.agents.get({ agentId: 'mcp-survivor' });
      assert.deepEqual([agent?.alive, agent?.currentTask], [true, 'during the restart']);
    } finally {
      sdk.close();
    }
  });
});
