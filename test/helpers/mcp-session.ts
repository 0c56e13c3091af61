/**
 * `switchboard mcp` driven by the official MCP SDK's Client over stdio: the built CLI spawned
 * against a daemon's state dir, as Claude Code or VS Code would run it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { assertBuilt, CLI } from './daemon-process';

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote to stderr so far (its logs). */
  stderr(): string;
  /** Resolves once the server's stderr holds the text (it is watched as it comes, not polled). */
  stderrSays(text: string, timeoutMs?: number): Promise<void>;
  /** With `withholdInitialized`: sends the `notifications/initialized` the client's connect made. */
  sendInitialized(): Promise<void>;
  close(): Promise<void>;
}

export interface McpSessionOptions {
  args?: string[];
  clientName?: string;
  clientVersion?: string;
  /** More environment for the server (it gets only PATH and HOME otherwise). */
  env?: Record<string, string>;
  /** Keep back the client's `notifications/initialized` (a client that calls before it) until sendInitialized(). */
  withholdInitialized?: boolean;
}

export async function startMcpSession(stateDir: string, options: McpSessionOptions = {}): Promise<McpSession> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--state-dir', stateDir, ...(options.args ?? [])],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  const stream = transport.stderr!;
  stream.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stderrSays = (text: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stderr.includes(text)) return;
        clearTimeout(timer);
        stream.off('data', check);
        resolve();
      };
      const timer = setTimeout(() => {
        stream.off('data', check);
        reject(new Error(`the server's stderr did not say ${JSON.stringify(text)} within ${timeoutMs} ms:\n${stderr}`));
      }, timeoutMs);
      stream.on('data', check);
      check();
    });
  let withheld: JSONRPCMessage | undefined;
  if (options.withholdInitialized) {
    const send = transport.send.bind(transport);
    transport.send = async (message: JSONRPCMessage) => {
      if ('method' in message && message.method === 'notifications/initialized' && withheld === undefined) withheld = message;
      else await send(message);
    };
  }
  const client = new Client({ name: options.clientName ?? 'mcp-test', version: options.clientVersion ?? '1.0.0' });
  await client.connect(transport);
  const sendInitialized = async () => {
    if (!withheld) throw new Error('no notifications/initialized was withheld');
    await transport.send(withheld);
  };
  return { client, transport, stderr: () => stderr, stderrSays, sendInitialized, close: () => client.close() };
}
