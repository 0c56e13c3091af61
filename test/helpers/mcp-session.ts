/**
 * `switchboard mcp` driven by the official MCP SDK's Client over stdio: the built CLI spawned
 * against a daemon's state dir, as Claude Code or VS Code would run it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { assertBuilt, CLI } from './daemon-process';

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote to stderr so far (its logs). */
  stderr(): string;
  close(): Promise<void>;
}

export async function startMcpSession(stateDir: string, options: { args?: string[]; clientName?: string; clientVersion?: string } = {}): Promise<McpSession> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--state-dir', stateDir, ...(options.args ?? [])],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: options.clientName ?? 'mcp-test', version: options.clientVersion ?? '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}
