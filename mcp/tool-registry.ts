/**
 * The daemon's tool registry must know a tool before policy.check lets anyone call it (an
 * unregistered tool is refused: docs/safety.md). The MCP tools are registered under this build's
 * version, with their input schemas (so the check validates arguments as this server does), when
 * that version is missing; a version already there is left as it is, so one an operator
 * deprecated stays refused.
 */
import { DAEMON_VERSION } from '../common/version';
import type { SwitchboardClient } from '../client/client';
import type { McpTool } from './tools';

export async function registerTools(client: SwitchboardClient, tools: McpTool[]): Promise<void> {
  const known = new Set((await client.tools.list()).map((spec) => `${spec.name}:${spec.version}`));
  await Promise.all(
    tools
      .filter((tool) => !known.has(`${tool.name}:${DAEMON_VERSION}`))
      .map((tool) =>
        client.tools.register({ name: tool.name, version: DAEMON_VERSION, schema: tool.inputSchema, flags: [], description: `switchboard mcp: ${tool.description}`.slice(0, 2000) }),
      ),
  );
}
