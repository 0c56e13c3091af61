import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { startMcpSession, type McpSession } from '../helpers/mcp-session';
import { startRedis, type TestRedis } from '../helpers/redis-server';

describe('switchboard mcp joining the fleet while Redis is away', function () {
  this.timeout(30_000);
  let redis: TestRedis | undefined;
  let daemon: TestDaemon | undefined;
  let session: McpSession | undefined;

  afterEach(async () => {
    await session?.close();
    await daemon?.stop();
    await redis?.stop();
  });

  it('a join that failed is tried again by the next tool call: the agent registers and the call is answered', async () => {
    redis = await startRedis();
    daemon = await startTestDaemon(redis.url);
    await redis.pause();
    session = await startMcpSession(daemon.stateDir, { args: ['--agent-id', 'mcp-late-joiner', '--verbose'] });
    const call = async () => (await session!.client.callTool({ name: 'report_status', arguments: { currentTask: 'joined late' } })) as CallToolResult;

    const during = await call();
    assert.equal(during.isError, true, JSON.stringify(during.content));
    assert.equal((during.structuredContent as { error: { code: number } }).error.code, -32005);

    await redis.restart();
    // The daemon reconnects to Redis on its own backoff: each call until then is a tool error, and tries the join again.
    let after = await call();
    for (const deadline = Date.now() + 10_000; after.isError && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      after = await call();
    }
    assert.ok(!after.isError, JSON.stringify(after.content));

    const sdk = await daemon.client();
    const agent = await sdk.agents.get({ agentId: 'mcp-late-joiner' });
    assert.deepEqual([agent?.alive, agent?.currentTask, agent?.metadata?.via], [true, 'joined late', 'mcp']);
    // The later steps of the join got through too.
    assert.ok((await sdk.tools.list()).some((spec) => spec.name === 'report_status'));
  });
});
