/**
 * The live fleet as MCP resources: switchboard://agents, switchboard://approvals, one
 * switchboard://agents/{id} per agent and switchboard://workflows/{id} (a template). The daemon's
 * push topics drive `notifications/resources/updated` for the URIs a client subscribed to, and
 * `notifications/resources/list_changed` when an agent joins or leaves the list; updates to one
 * URI within UPDATE_COALESCE_MS go out as one (every beat of every agent changes the fleet).
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpError, type ReadResourceResult, type Resource, type ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '../protocol/errors';
import type { PushedEvent } from '../protocol/types';
import type { SwitchboardClient, Subscription } from '../client/client';

export const UPDATE_COALESCE_MS = 100;

const AGENTS = 'switchboard://agents';
const APPROVALS = 'switchboard://approvals';
const agentUri = (agentId: string) => `${AGENTS}/${encodeURIComponent(agentId)}`;
const workflowUri = (workflowId: string) => `switchboard://workflows/${encodeURIComponent(workflowId)}`;

export const RESOURCE_TEMPLATES: ResourceTemplate[] = [
  { uriTemplate: `${AGENTS}/{agentId}`, name: 'agent', title: 'One agent', description: "An agent's status, progress, current task and metadata.", mimeType: 'application/json' },
  {
    uriTemplate: 'switchboard://workflows/{workflowId}',
    name: 'workflow',
    title: 'One workflow',
    description: 'A workflow run with the state, result or error of every step.',
    mimeType: 'application/json',
  },
];

const STATIC: Resource[] = [
  { uri: AGENTS, name: 'agents', title: 'Agents', description: 'Every agent alive, and those that ended in the last 10 minutes.', mimeType: 'application/json' },
  { uri: APPROVALS, name: 'approvals', title: 'Pending approvals', description: 'Requests waiting for a human, soonest to expire first.', mimeType: 'application/json' },
];

/** Agent events that change which agents agent.list holds (a beat only changes one). */
const MEMBERSHIP = new Set(['agent.started', 'agent.stopped', 'agent.expired']);

export class FleetResources {
  private readonly subscribed = new Set<string>();
  private readonly due = new Set<string>();
  private listChanged = false;
  private flushTimer?: NodeJS.Timeout;
  private subscription?: Subscription;

  constructor(
    private readonly server: Server,
    private readonly client: SwitchboardClient,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.client.subscribe(['agents', 'approvals', 'workflows'], (event) => this.onEvent(event), {
      // Pushes may have been missed: everything may have changed.
      onResync: () => {
        for (const uri of this.subscribed) this.due.add(uri);
        this.listChanged = true;
        this.schedule();
      },
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    await this.subscription?.unsubscribe().catch(() => {});
  }

  async list(): Promise<Resource[]> {
    const agents = await this.client.agents.list();
    return [
      ...STATIC,
      ...agents.map((agent) => ({
        uri: agentUri(agent.agentId),
        name: agent.agentId,
        description: `${agent.status}${agent.currentTask ? `: ${agent.currentTask}` : ''}`,
        mimeType: 'application/json',
      })),
    ];
  }

  async read(uri: string): Promise<ReadResourceResult> {
    const value = await this.fetch(uri);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
  }

  subscribe(uri: string): void {
    this.parse(uri);
    this.subscribed.add(uri);
  }

  unsubscribe(uri: string): void {
    this.subscribed.delete(uri);
  }

  private async fetch(uri: string): Promise<unknown> {
    const { kind, id } = this.parse(uri);
    const found = await (kind === 'agents'
      ? this.client.agents.list()
      : kind === 'approvals'
        ? this.client.approvals.pending()
        : kind === 'agent'
          ? this.client.agents.get({ agentId: id! })
          : this.client.workflows.get({ workflowId: id! }));
    if (found === null) throw new McpError(ErrorCode.NotFound, `no ${kind} ${id} (${uri})`);
    return found;
  }

  private parse(uri: string): { kind: 'agents' | 'approvals' | 'agent' | 'workflow'; id?: string } {
    if (uri === AGENTS) return { kind: 'agents' };
    if (uri === APPROVALS) return { kind: 'approvals' };
    const match = /^switchboard:\/\/(agents|workflows)\/([^/]+)$/.exec(uri);
    if (!match) throw new McpError(ErrorCode.InvalidParams, `unknown resource ${uri}: ${AGENTS}, ${APPROVALS}, ${AGENTS}/{agentId} or switchboard://workflows/{workflowId}`, { field: 'uri', rule: 'resource' });
    return { kind: match[1] === 'agents' ? 'agent' : 'workflow', id: decodeURIComponent(match[2]!) };
  }

  private onEvent(event: PushedEvent): void {
    if (event.topic === 'agents') {
      this.touch(AGENTS, agentUri(event.data.agentId));
      if (MEMBERSHIP.has(event.type)) this.listChanged = true;
    } else if (event.topic === 'approvals') {
      this.touch(APPROVALS);
    } else if (event.topic === 'workflows') {
      this.touch(workflowUri(event.data.workflowId));
    }
    this.schedule();
  }

  private touch(...uris: string[]): void {
    for (const uri of uris) if (this.subscribed.has(uri)) this.due.add(uri);
  }

  private schedule(): void {
    if (this.flushTimer || (this.due.size === 0 && !this.listChanged)) return;
    this.flushTimer = setTimeout(() => this.flush(), UPDATE_COALESCE_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    for (const uri of this.due) void this.server.sendResourceUpdated({ uri }).catch(() => {});
    this.due.clear();
    if (this.listChanged) void this.server.sendResourceListChanged().catch(() => {});
    this.listChanged = false;
  }
}
