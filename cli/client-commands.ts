/** The CLI beside `daemon`: status, agents, signals, send, broadcast, approvals, approve, reject, events. */
import { userInfo } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { answerFromText } from '../protocol/answer-text';
import { SwitchboardClient } from '../client/client';
import { discoverDaemon } from '../client/discovery';
import type { AgentStatus, Approval, Health, PushedEvent, Signal, StreamEvent } from '../protocol/types';
import { ageText } from '../common/time-format';
import { table, truncate } from './table';

export interface GlobalFlags {
  url?: string;
  token?: string;
  stateDir?: string;
  json?: boolean;
}

export const print = (text: string): void => void process.stdout.write(`${text}\n`);
export const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2));

/** A command that talks to the daemon: the flags that find it, and --json. */
export function daemonCommand(program: Command, nameAndArgs: string): Command {
  return program
    .command(nameAndArgs)
    .option('--url <url>', 'daemon WebSocket URL (default: SWITCHBOARD_URL, then <state-dir>/daemon.json)')
    .option('--token <token>', 'daemon token (default: SWITCHBOARD_TOKEN, then <state-dir>/token)')
    .option('--state-dir <dir>', 'where the daemon keeps daemon.json and token')
    .option('--json', 'print JSON instead of tables');
}

export function registerClientCommands(program: Command): void {
  const clientCommand = (nameAndArgs: string) => daemonCommand(program, nameAndArgs);

  clientCommand('status')
    .description('daemon health, live and stale agents, pending approvals')
    .action(withClient(async (client, flags) => {
      const { url } = discoverDaemon(flags);
      const httpUrl = url.replace(/^ws/, 'http').replace(/\/v1\/?$/, '');
      const health = (await (await fetch(`${httpUrl}/healthz`)).json()) as Health;
      const [agents, stale, approvals] = await Promise.all([
        client.agents.list(),
        client.agents.stale({ thresholdSeconds: 30 }),
        client.approvals.pending(),
      ]);
      const alive = agents.filter((a) => a.alive).length;
      const summary = { ...health, url, daemon: client.daemon, agents: { alive, stale: stale.length, recentlyEnded: agents.length - alive }, pendingApprovals: approvals.length };
      if (flags.json) return printJson(summary);
      print(`daemon    ${health.status} (redis ${health.redis}) v${health.version} at ${url}`);
      print(`agents    ${alive} alive, ${stale.length} stale (no beat for 30s), ${agents.length - alive} ended in the last 10 min`);
      print(`approvals ${approvals.length} pending`);
    }));

  clientCommand('agents')
    .description('list agents (alive, and ended in the last 10 minutes)')
    .option('--watch', 'keep the list on screen, updated live')
    .action(withClient(async (client, flags, options: { watch?: boolean }) => {
      if (!options.watch) {
        const agents = await client.agents.list();
        return flags.json ? printJson(agents) : print(agentsTable(agents));
      }
      const agents = new Map<string, AgentStatus>();
      const snapshot = async () => {
        agents.clear();
        for (const agent of await client.agents.list()) agents.set(agent.agentId, agent);
      };
      let redraw: NodeJS.Timeout | undefined;
      const scheduleRedraw = () =>
        (redraw ??= setTimeout(() => {
          redraw = undefined;
          process.stdout.write(`\x1b[2J\x1b[H${agentsTable([...agents.values()])}\n\n(watching; Ctrl-C to stop)\n`);
        }, 100));
      await client.subscribe(['agents'], (event: PushedEvent) => {
        if (flags.json) return print(JSON.stringify(event));
        if (event.topic !== 'agents') return;
        agents.set(event.data.agentId, event.data);
        scheduleRedraw();
      }, { onResync: () => void snapshot().then(scheduleRedraw) });
      await snapshot();
      if (!flags.json) scheduleRedraw();
      await untilInterrupted();
    }));

  clientCommand('signals')
    .description("an agent's pending signals")
    .requiredOption('--agent <id>', 'agent id')
    .option('--type <type>', 'only this signal type')
    .action(withClient(async (client, flags, options: { agent: string; type?: string }) => {
      const signals = await client.signals.pending({ agentId: options.agent, type: options.type });
      if (flags.json) return printJson(signals);
      print(signalsTable(signals));
    }));

  const signalOptions = (command: Command) =>
    command
      .requiredOption('--from <id>', 'sending agent id (e.g. your name)')
      .requiredOption('--type <type>', 'signal type')
      .option('--payload <json>', 'JSON payload', parseJson)
      .option('--ttl <seconds>', 'seconds before it expires unconsumed', parseInteger);

  signalOptions(clientCommand('send').description('send a signal to one agent').requiredOption('--to <id>', 'target agent id')).action(
    withClient(async (client, flags, o: { from: string; to: string; type: string; payload?: unknown; ttl?: number }) => {
      const signal = await client.signals.send({ from: o.from, to: o.to, type: o.type, payload: o.payload, ttlSeconds: o.ttl });
      return flags.json ? printJson(signal) : print(`sent ${signal.type} ${signal.signalId} to ${signal.target}`);
    }),
  );

  signalOptions(clientCommand('broadcast').description('send a signal every agent may consume once')).action(
    withClient(async (client, flags, o: { from: string; type: string; payload?: unknown; ttl?: number }) => {
      const signal = await client.signals.broadcast({ from: o.from, type: o.type, payload: o.payload, ttlSeconds: o.ttl });
      return flags.json ? printJson(signal) : print(`broadcast ${signal.type} ${signal.signalId}`);
    }),
  );

  clientCommand('approvals')
    .description('pending approval requests')
    .action(withClient(async (client, flags) => {
      const approvals = await client.approvals.pending();
      return flags.json ? printJson(approvals) : print(approvalsTable(approvals));
    }));

  for (const [verb, approved] of [['approve', true], ['reject', false]] as const) {
    const command = clientCommand(`${verb} <requestId>`)
      .description(`${verb} a pending approval request`)
      .option('--reason <text>', 'why')
      .option('--as <name>', 'responder name', `${userInfo().username}@cli`);
    if (approved) command.option('--answer <value>', "answer a question: one of its choices, or JSON (plain text if it does not parse) for its answerSchema");
    command.action(withClient(async (client, flags, o: { reason?: string; as: string; answer?: string }, requestId: string) => {
      const answer = o.answer === undefined ? undefined : await answerValue(client, requestId, o.answer);
      const approval = await client.approvals.respond({ requestId, approved, responder: o.as, reason: o.reason, answer });
      if (flags.json) return printJson(approval);
      const answered = approval.answer === undefined ? '' : `: ${JSON.stringify(approval.answer)}`;
      print(`${approval.status} ${approval.requestId} (${approval.type} for ${approval.agentId})${answered}`);
    }));
  }

  clientCommand('events')
    .description('recent published events (all types, or one); --follow prints new ones as they come')
    .option('--type <type>', 'only this event type')
    .option('--count <n>', 'how many recent events per type', parseInteger, 20)
    .option('--follow', 'keep printing new events')
    .action(withClient(async (client, flags, o: { type?: string; count: number; follow?: boolean }) => {
      const types = o.type ? [o.type] : await client.events.types();
      const recent = (await Promise.all(types.map((type) => client.events.recent({ type, count: o.count })))).flat().sort((a, b) => a.ts - b.ts);
      if (flags.json && !o.follow) return printJson(recent);
      for (const event of recent) print(eventLine(event, flags.json));
      if (!o.follow) return;
      const topics = o.type ? ([`events:${o.type}`] as const) : (['agents', 'signals', 'approvals'] as const);
      await client.subscribe([...topics], (pushed) => {
        const event: StreamEvent =
          pushed.topic === 'agents' || pushed.topic === 'signals' || pushed.topic === 'approvals' || pushed.topic === 'queues' || pushed.topic === 'outcomes' || pushed.topic === 'safety' || pushed.topic === 'coordination' || pushed.topic === 'workflows'
            ? { id: `${pushed.topic}#${pushed.seq}`, type: pushed.type, data: pushed.data, ts: pushed.ts }
            : pushed.data;
        print(eventLine(event, flags.json));
      });
      await untilInterrupted();
    }));
}

/** Wraps an action: connects with the global flags, runs, closes. */
export function withClient<A extends unknown[]>(
  action: (client: SwitchboardClient, flags: GlobalFlags, ...args: A) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const flags = command.opts<GlobalFlags>();
    const positional = args.slice(0, -2);
    const client = await SwitchboardClient.connect({ ...flags, clientName: 'switchboard-cli', reconnect: false });
    try {
      await action(client, flags, ...([flags, ...positional] as unknown as A));
    } finally {
      client.close();
    }
  };
}

/** The answer --answer stands for, read against the request's question. */
async function answerValue(client: SwitchboardClient, requestId: string, text: string): Promise<unknown> {
  const request = await client.approvals.get({ requestId });
  return answerFromText(request ?? {}, text);
}

export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`not valid JSON: ${(error as Error).message}`);
  }
}

export function parseInteger(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

function agentsTable(agents: AgentStatus[]): string {
  const now = Date.now();
  const rows = [...agents]
    .sort((a, b) => Number(b.alive) - Number(a.alive) || a.agentId.localeCompare(b.agentId))
    .map((a) => [
      a.agentId,
      a.status,
      `${Math.round(a.progress * 100)}%`,
      truncate(a.currentTask ?? '', 40),
      `${ageText(now - a.lastBeatAt)} ago`,
      String(a.metadata.workflow ?? ''),
    ]);
  return rows.length ? table(['AGENT', 'STATUS', 'PROGRESS', 'TASK', 'LAST BEAT', 'WORKFLOW'], rows) : 'no agents';
}

function signalsTable(signals: Signal[]): string {
  const now = Date.now();
  const rows = signals.map((s) => [s.signalId, s.type, s.source, s.target, truncate(JSON.stringify(s.payload), 40), `${ageText(s.expiresAt - now)}`]);
  return rows.length ? table(['SIGNAL', 'TYPE', 'FROM', 'TO', 'PAYLOAD', 'EXPIRES IN'], rows) : 'no pending signals';
}

function approvalsTable(approvals: Approval[]): string {
  const now = Date.now();
  const rows = approvals.map((a) => [
    a.requestId,
    a.agentId,
    a.type,
    a.risk,
    `${ageText(now - a.requestedAt)} ago`,
    ageText(a.expiresAt - now),
    truncate(JSON.stringify(a.context), 50),
  ]);
  return rows.length ? table(['REQUEST', 'AGENT', 'TYPE', 'RISK', 'ASKED', 'LEFT', 'CONTEXT'], rows) : 'no pending approvals';
}

function eventLine(event: StreamEvent, json: boolean | undefined): string {
  if (json) return JSON.stringify(event);
  return `${new Date(event.ts).toISOString()}  ${event.type}  ${truncate(JSON.stringify(event.data), 100)}`;
}
