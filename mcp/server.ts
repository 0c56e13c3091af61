/**
 * `switchboard mcp`: a stdio MCP server (the official SDK's low-level Server, so that tool input
 * schemas are the protocol's own JSON Schemas) through which the MCP client becomes an agent of
 * the fleet. On `initialized` the agent starts (its id from --agent-id, else the client's name
 * and a short unique suffix; metadata `{via: 'mcp', mcpClient}`) and beats while the session
 * lives; at the end it stops `completed` when the client closed stdin or asked us to stop, and
 * `failed` when the transport broke. Only MCP JSON-RPC goes to stdout.
 */
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, RpcError } from '../protocol/errors';
import { ID_REGEXP } from '../protocol/limits';
import type { FinalAgentState } from '../protocol/types';
import type { Logger } from '../common/logger';
import { DAEMON_VERSION } from '../common/version';
import type { SwitchboardClient } from '../client/client';
import { Heartbeat } from '../client/heartbeat';
import { getPrompt, listPrompts } from './prompts';
import { progressReporter } from './progress';
import { FleetResources, RESOURCE_TEMPLATES } from './resources';
import { callTool, toolError } from './tool-call';
import { FleetJoin } from './fleet-join';
import { TOOLS, type ToolContext } from './tools';

export interface McpServerOptions {
  client: SwitchboardClient;
  agentId?: string;
  log: Logger;
  stdin?: Readable;
  stdout?: Writable;
}

/** How long the end of a session waits for agent.stop (a daemon that is away would hold the exit up to the call timeout). */
const STOP_TIMEOUT_MS = 3000;

/**
 * How long a tool call made before `notifications/initialized` waits for it: a client sends it
 * right after the `initialize` answer, so one that has not by then never will (and the call would
 * wait for ever, since the agent joins only on it).
 */
const INITIALIZED_WAIT_MS = 3000;

const INSTRUCTIONS =
  'You are an agent of a Switchboard fleet: humans watch it in their editor and other agents work beside you. ' +
  'Use report_status when you start or finish a piece of work, request_approval before anything risky or hard to undo, ' +
  'ask_human when only a person can decide, and record_outcome after each significant action. ' +
  'Coordinate with other agents through signals (send_signal, wait_for_signal), work queues (enqueue_job, claim_job, complete_job) and locks; ' +
  'read switchboard://agents to see who else is working.';

/** Resolves with the agent's final state once the session ended. */
export function runMcpServer({ client, agentId: givenId, log, stdin = process.stdin, stdout = process.stdout }: McpServerOptions): Promise<FinalAgentState> {
  const server = new Server(
    { name: 'switchboard', title: 'Switchboard', version: DAEMON_VERSION },
    { capabilities: { tools: {}, resources: { subscribe: true, listChanged: true }, prompts: {} }, instructions: INSTRUCTIONS },
  );
  const resources = new FleetResources(server, client);
  // The SDK reconnects by itself (calls made meanwhile wait for it); the log says when, for whoever reads stderr.
  client.on('state', (state) => log.info(`daemon connection ${state}`));
  let heartbeat: Heartbeat | undefined;
  /** Made on `initialized`; tool calls wait for it (a client may call before our `initialized` work is done). */
  let fleet: FleetJoin | undefined;
  let markInitialized!: () => void;
  const initialized = new Promise<void>((resolve) => (markInitialized = resolve));

  server.oninitialized = () => {
    const clientInfo = server.getClientVersion() ?? { name: 'mcp-client', version: 'unknown' };
    const agentId = givenId ?? defaultAgentId(clientInfo.name);
    const beating = new Heartbeat(client, agentId, { metadata: { via: 'mcp', mcpClient: { name: clientInfo.name, version: clientInfo.version } } });
    beating.on('error', (error) => log.warn(`heartbeat of ${agentId}: ${error.message}`));
    heartbeat = beating;
    log.info(`MCP client ${clientInfo.name} ${clientInfo.version} initialized: joining as agent ${agentId}`);
    fleet = new FleetJoin(client, beating, resources, log);
    // Joined now, not at the first tool call: the editor shows the agent from the start (a failure is logged and retried by the next call).
    fleet.joined().catch(() => {});
    markInitialized();
  };

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map(({ name, title, description, inputSchema }) => ({ name, title, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = TOOLS.find((t) => t.name === request.params.name);
    if (!tool) return toolError(new RpcError(ErrorCode.MethodNotFound, `unknown tool ${request.params.name}`, { field: 'name', rule: 'tool' }));
    let context: ToolContext;
    try {
      await untilInitialized(initialized, INITIALIZED_WAIT_MS);
      context = await fleet!.joined();
    } catch (error) {
      return toolError(error);
    }
    const progress = progressReporter(extra._meta?.progressToken, extra.sendNotification);
    try {
      return await callTool(tool, context, request.params.arguments ?? {}, progress, { signal: extra.signal, log });
    } finally {
      progress.stop();
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await resources.list() }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => resources.read(request.params.uri));
  server.setRequestHandler(SubscribeRequestSchema, (request) => (resources.subscribe(request.params.uri), {}));
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => (resources.unsubscribe(request.params.uri), {}));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: listPrompts() }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => getPrompt(request.params.name, request.params.arguments));

  return new Promise((resolve) => {
    let ending = false;
    const end = async (finalStatus: FinalAgentState, why: string) => {
      if (ending) return;
      ending = true;
      log.info(`session ended (${why}): ${heartbeat?.agentId ?? 'no agent'} ${finalStatus}`);
      process.off('SIGTERM', onSignal).off('SIGINT', onSignal).off('SIGHUP', onSignal);
      // A client that closed waits only so long before it kills us: the agent's ttl ends it otherwise.
      const stopped = fleet?.registration?.then(
        () => heartbeat?.stop(finalStatus).catch((error: Error) => log.warn(`cannot stop ${heartbeat?.agentId}: ${error.message}`)),
        () => undefined,
      );
      await Promise.race([stopped, new Promise((done) => setTimeout(done, STOP_TIMEOUT_MS).unref())]);
      await resources.close();
      resolve(finalStatus);
    };
    // A client ends a stdio session by closing our stdin (and then, if we linger, SIGTERM).
    const onSignal = (signal: NodeJS.Signals) => void end('completed', signal);
    process.on('SIGTERM', onSignal).on('SIGINT', onSignal).on('SIGHUP', onSignal);
    stdin.once('end', () => void end('completed', 'stdin closed'));
    stdin.once('error', (error) => void end('failed', `stdin: ${error.message}`));
    // A write to a client that went away (EPIPE): the transport is dead, not closed.
    stdout.on('error', (error) => void end('failed', `stdout: ${error.message}`));
    const transport = new StdioServerTransport(stdin, stdout);
    transport.onerror = (error) => log.warn(`MCP transport: ${error.message}`);
    server.connect(transport).catch((error: Error) => void end('failed', `cannot start: ${error.message}`));
  });
}

/** Resolves on `initialized`, or fails naming it once waitMs passed without it (the join after it may take longer: a daemon away). */
function untilInitialized(initialized: Promise<void>, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RpcError(ErrorCode.InvalidRequest, `invalid request: the client sent no notifications/initialized within ${waitMs} ms of this call; tools work once the session is initialized`)),
      waitMs,
    );
  });
  return Promise.race([initialized, late]).finally(() => clearTimeout(timer));
}

/** The MCP client's name made an agent id, with a suffix so that two sessions of one client are two agents. */
export function defaultAgentId(clientName: string): string {
  const base = clientName.replace(/[^A-Za-z0-9._:@/-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'mcp-client';
  const id = `${base}-${randomBytes(3).toString('hex')}`;
  return ID_REGEXP.test(id) ? id : `mcp-client-${randomBytes(3).toString('hex')}`;
}
