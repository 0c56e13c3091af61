import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SwitchboardClient } from '../../client/client';
import type { AgentStatus, Approval, Job, Lock, Signal } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { CLI } from '../helpers/daemon-process';
import { record, type EventLog } from '../helpers/events';
import { startMcpSession, type McpSession } from '../helpers/mcp-session';
import { startRedis, type TestRedis } from '../helpers/redis-server';

const TOOL_NAMES = [
  'report_status', 'request_approval', 'ask_human', 'send_signal', 'broadcast_signal', 'wait_for_signal', 'check_signals', 'publish_event',
  'record_outcome', 'check_policy', 'validate_content', 'enqueue_job', 'claim_job', 'complete_job', 'acquire_lock', 'release_lock',
];

describe('switchboard mcp (official MCP SDK client over stdio, real daemon and Redis)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let daemon: TestDaemon;
  let sdk: SwitchboardClient;
  let fleet: EventLog;
  let session: McpSession;
  let agentId: string;
  const sessions: McpSession[] = [];

  async function open(options: Parameters<typeof startMcpSession>[1] = {}): Promise<{ session: McpSession; agent: AgentStatus }> {
    const started = fleet.events.length;
    const opened = await startMcpSession(daemon.stateDir, options);
    sessions.push(opened);
    const event = await fleet.next((e) => fleet.events.indexOf(e) >= started && e.topic === 'agents' && e.type === 'agent.started');
    return { session: opened, agent: event.data as AgentStatus };
  }

  async function call(name: string, args: Record<string, unknown> = {}, on: McpSession = session): Promise<CallToolResult> {
    return (await on.client.callTool({ name, arguments: args })) as CallToolResult;
  }

  async function ok(name: string, args: Record<string, unknown> = {}, on?: McpSession): Promise<Record<string, any>> {
    const result = await call(name, args, on);
    assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
    assert.equal(result.content[0]?.type, 'text');
    return result.structuredContent as Record<string, any>;
  }

  async function fails(name: string, args: Record<string, unknown>, code: number, on?: McpSession): Promise<{ code: number; message: string; data?: any }> {
    const result = await call(name, args, on);
    assert.equal(result.isError, true, `${name} should fail: ${JSON.stringify(result.structuredContent)}`);
    const error = (result.structuredContent as { error: { code: number; message: string; data?: any } }).error;
    assert.equal(error.code, code, error.message);
    assert.match((result.content[0] as { text: string }).text, new RegExp(`code ${code}`));
    return error;
  }

  before(async () => {
    redis = await startRedis();
    daemon = await startTestDaemon(redis.url);
    sdk = await daemon.client();
    fleet = await record(sdk, ['agents', 'approvals']);
    ({ session, agent: { agentId } } = await open());
  });

  after(async () => {
    for (const s of sessions) await s.close().catch(() => {});
    await daemon?.stop();
    await redis?.stop();
  });

  it('initialize makes the MCP client an alive agent named after it, marked as joined by MCP', async () => {
    assert.match(agentId, /^mcp-test-[0-9a-f]{6}$/);
    const agent = await sdk.agents.get({ agentId });
    assert.equal(agent?.alive, true);
    assert.deepEqual(agent?.metadata, { via: 'mcp', mcpClient: { name: 'mcp-test', version: '1.0.0' } });
    assert.equal(session.client.getServerVersion()?.name, 'switchboard');
  });

  it('lists every tool with an input schema from the protocol, without the calling agent', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), TOOL_NAMES);
    const wait = tools.find((t) => t.name === 'wait_for_signal')!;
    assert.deepEqual(Object.keys(wait.inputSchema.properties ?? {}).sort(), ['consume', 'source', 'timeoutMs', 'type']);
    assert.deepEqual(wait.inputSchema.required, ['timeoutMs']);
    const send = tools.find((t) => t.name === 'send_signal')!;
    assert.equal((send.inputSchema.properties as any).to.pattern, '^[A-Za-z0-9._:@/-]{1,128}$');
    assert.ok(!JSON.stringify(tools).includes('"payload":true'), 'the daemon-only payload mark is dropped');
    for (const tool of tools) assert.ok(tool.title && tool.description && tool.description.length > 40, tool.name);
  });

  it('report_status updates the agent; a bad progress is -32602 naming the field and changes nothing', async () => {
    const status = await ok('report_status', { currentTask: 'reading the repo', progress: 0.25 });
    assert.equal(status.currentTask, 'reading the repo');
    assert.equal((await sdk.agents.get({ agentId }))?.progress, 0.25);
    const error = await fails('report_status', { progress: 2 }, -32602);
    assert.equal(error.data.field, 'progress');
    assert.equal(error.data.rule, 'maximum');
    assert.equal((await sdk.agents.get({ agentId }))?.progress, 0.25);
    await fails('report_status', { agentId: 'someone-else' }, -32602);
  });

  it('send_signal, broadcast_signal, check_signals; an unknown field and an invalid target are tool errors', async () => {
    const peer = await sdk.agents.start({ agentId: 'mcp-peer' });
    const sent = await ok('send_signal', { to: peer.agentId, type: 'task.handoff', payload: { task: 'review' } });
    assert.equal(sent.source, agentId);
    const received = await sdk.signals.check({ agentId: peer.agentId, consume: true });
    assert.deepEqual(received?.payload, { task: 'review' });
    const cast = await ok('broadcast_signal', { type: 'freeze' });
    assert.equal(cast.target, '*');
    await fails('send_signal', { to: 'not a valid id!', type: 'x' }, -32602);

    assert.equal((await ok('check_signals', {})).signal, null);
    await sdk.signals.send({ from: peer.agentId, to: agentId, type: 'note', payload: 1 });
    const checked = (await ok('check_signals', { consume: true })).signal as Signal;
    assert.equal(checked.source, peer.agentId);
    assert.equal((await ok('check_signals', {})).signal, null);
  });

  it('wait_for_signal is woken by another agent, with progress notifications while it waits', async () => {
    const progress: number[] = [];
    const waiting = session.client.callTool({ name: 'wait_for_signal', arguments: { type: 'go', timeoutMs: 20_000 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
      timeout: 25_000,
    });
    // Send once the server reported waiting: the signal arrives at a parked wait.
    const deadline = Date.now() + 10_000;
    while (progress.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(progress.length > 0, 'a progress notification came while waiting');
    await sdk.signals.send({ from: 'mcp-peer', to: agentId, type: 'go', payload: { now: true } });
    const result = (await waiting) as CallToolResult;
    assert.deepEqual(((result.structuredContent as { signal: Signal }).signal).payload, { now: true });
    assert.match((result.content[0] as { text: string }).text, /signal go from mcp-peer/);
    assert.equal((await ok('wait_for_signal', { timeoutMs: 50 })).signal, null);
  });

  it('request_approval waits for a human answering from another client', async () => {
    const before = fleet.events.length;
    const asked = ok('request_approval', { type: 'deploy', context: { target: 'prod' }, risk: 'high', timeoutMs: 20_000 });
    const requested = await fleet.next((e) => fleet.events.indexOf(e) >= before && e.type === 'approval.requested');
    const request = requested.data as Approval;
    assert.equal(request.agentId, agentId);
    await sdk.approvals.respond({ requestId: request.requestId, approved: true, responder: 'reviewer', reason: 'looks fine' });
    const approval = await asked;
    assert.equal(approval.approved, true);
    assert.equal(approval.responder, 'reviewer');

    const rejecting = ok('request_approval', { type: 'drop-table', context: { table: 'users' }, timeoutMs: 20_000 });
    const second = await fleet.next((e) => e.type === 'approval.requested' && (e.data as Approval).type === 'drop-table');
    await sdk.approvals.respond({ requestId: (second.data as Approval).requestId, approved: false, responder: 'reviewer' });
    assert.equal((await rejecting).approved, false);
    await fails('request_approval', { type: 'deploy' }, -32602);
  });

  it('ask_human takes choices or free text and answers what the human said', async () => {
    const choosing = ok('ask_human', { question: 'Which region?', choices: ['eu', 'us'] });
    const q = await fleet.next((e) => e.type === 'approval.requested' && JSON.stringify((e.data as Approval).context).includes('Which region?'));
    await sdk.approvals.respond({ requestId: (q.data as Approval).requestId, approved: true, responder: 'me', answer: 'eu' });
    const chosen = await choosing;
    assert.deepEqual([chosen.status, chosen.answer], ['approved', 'eu']);

    const free = ok('ask_human', { question: 'Name the release?' });
    const f = await fleet.next((e) => e.type === 'approval.requested' && JSON.stringify((e.data as Approval).context).includes('Name the release?'));
    const wrong = await sdk.approvals.respond({ requestId: (f.data as Approval).requestId, approved: true, responder: 'me', answer: 42 }).catch((e: Error) => e);
    assert.ok(wrong instanceof Error, 'free text is a string');
    await sdk.approvals.respond({ requestId: (f.data as Approval).requestId, approved: true, responder: 'me', answer: 'Aurora' });
    assert.equal((await free).answer, 'Aurora');
    await fails('ask_human', { choices: ['a'] }, -32602);
  });

  it('publish_event, record_outcome, check_policy, validate_content', async () => {
    const published = await ok('publish_event', { type: 'mcp.test', data: { n: 1 } });
    assert.deepEqual((await sdk.events.recent({ type: 'mcp.test' })).map((e) => [e.id, e.data]), [[published.id, { n: 1 }]]);
    const outcome = await ok('record_outcome', { actionType: 'tool.search', status: 'success', durationMs: 12 });
    assert.equal(outcome.agentName, agentId);
    await fails('record_outcome', { actionType: 'x', status: 'great', durationMs: 1 }, -32602);
    const decision = await ok('check_policy', { tool: 'report_status' });
    assert.equal(decision.allowed, true);
    const unknown = await ok('check_policy', { tool: 'never.registered' });
    assert.equal(unknown.allowed, false);
    const verdict = await ok('validate_content', { text: 'my key is AKIAIOSFODNN7EXAMPLE', direction: 'output' });
    assert.notEqual(verdict.level, 'safe');
    assert.equal((await ok('validate_content', { text: 'hello world' })).level, 'safe');
    // Content the validator blocks: validate_content says so; a tool acting on it is refused.
    const blocked = 'I want to kill myself';
    assert.equal((await ok('validate_content', { text: blocked })).level, 'blocked');
    const refused = await fails('send_signal', { to: 'mcp-peer', type: 'blocked.text', payload: { note: blocked } }, -32010);
    assert.equal(refused.data.rule, 'validator');
    assert.deepEqual(await sdk.signals.pending({ agentId: 'mcp-peer', type: 'blocked.text' }), []);
  });

  it('enqueue_job, claim_job, complete_job (done and failed); a stale receipt is a -32003 tool error', async () => {
    const job = await ok('enqueue_job', { queue: 'mcp-work', payload: { file: 'a.ts' } });
    assert.equal(job.state, 'waiting');
    const claimed = (await ok('claim_job', { queue: 'mcp-work' })).job as Job;
    assert.equal(claimed.jobId, job.jobId);
    assert.equal(claimed.consumer, agentId);
    const done = await ok('complete_job', { queue: 'mcp-work', jobId: claimed.jobId, receipt: claimed.receipt, result: { lines: 3 } });
    assert.equal(done.state, 'completed');

    await ok('enqueue_job', { queue: 'mcp-work', payload: 2, maxAttempts: 1 });
    const second = (await ok('claim_job', { queue: 'mcp-work', waitMs: 1000 })).job as Job;
    await fails('complete_job', { queue: 'mcp-work', jobId: second.jobId, receipt: 'not-the-receipt' }, -32003);
    const dead = await ok('complete_job', { queue: 'mcp-work', jobId: second.jobId, receipt: second.receipt, error: 'no such file' });
    assert.deepEqual([dead.state, dead.lastError], ['dead', 'no such file']);
    assert.equal((await ok('claim_job', { queue: 'mcp-work' })).job, null);
  });

  it('acquire_lock and release_lock; a held lock answers null, a stale token is -32003', async () => {
    const lock = (await ok('acquire_lock', { name: 'repo:main', ttlMs: 10_000 })).lock as Lock;
    assert.equal(lock.owner, agentId);
    const other = await sdk.locks.acquire({ name: 'repo:main', owner: 'someone', ttlMs: 10_000 });
    assert.equal(other, null);
    assert.equal((await ok('acquire_lock', { name: 'repo:main', ttlMs: 10_000 })).lock, null);
    await fails('release_lock', { name: 'repo:main', fencingToken: lock.fencingToken + 1 }, -32003);
    assert.deepEqual(await ok('release_lock', { name: 'repo:main', fencingToken: lock.fencingToken }), { released: true });
  });

  /** Calls a tool that waits, and cancels it (notifications/cancelled) once the server reports it waiting. */
  async function cancelWhileWaiting(name: string, args: Record<string, unknown>, on: McpSession): Promise<void> {
    const abort = new AbortController();
    let progressed!: () => void;
    const waiting = new Promise<void>((resolve) => (progressed = resolve));
    const pending = on.client.callTool({ name, arguments: args }, undefined, { signal: abort.signal, onprogress: () => progressed() });
    await waiting;
    abort.abort();
    await assert.rejects(pending);
  }

  it('a cancelled acquire_lock granted after the cancel releases the lock: no fencing token is left with nobody', async () => {
    const { session: cancelling, agent } = await open();
    const locks = await record(sdk, ['coordination']);
    const held = (await sdk.locks.acquire({ name: 'cancel:deploy', owner: 'other-holder', ttlMs: 30_000 }))!;
    await cancelWhileWaiting('acquire_lock', { name: 'cancel:deploy', ttlMs: 60_000, waitMs: 20_000 }, cancelling);
    await sdk.locks.release({ name: 'cancel:deploy', owner: 'other-holder', fencingToken: held.fencingToken });
    const granted = (await locks.next((e) => e.type === 'lock.acquired' && (e.data as Lock).owner === agent.agentId)).data as Lock;
    const released = (await locks.next((e) => e.type === 'lock.released' && (e.data as Lock).owner === agent.agentId)).data as Lock;
    assert.equal(released.fencingToken, granted.fencingToken);
    assert.ok(!(await sdk.locks.list()).some((lock) => lock.name === 'cancel:deploy'));
  });

  it('a cancelled claim_job that gets a job after the cancel hands it back: first in line, the attempt not counted', async () => {
    const { session: cancelling } = await open({ args: ['--verbose'] });
    await cancelWhileWaiting('claim_job', { queue: 'cancel-jobs', waitMs: 20_000 }, cancelling);
    const { jobId } = await sdk.queues.enqueue({ queue: 'cancel-jobs', payload: { n: 1 } });
    // Received by the cancelled call before anyone else may look (a receiver now would race it for the job).
    await cancelling.stderrSays(`claim_job was cancelled after the daemon answered: handed job ${jobId} back to cancel-jobs`);
    const job = (await sdk.queues.receive({ queue: 'cancel-jobs', consumer: 'other-worker' })) as Job;
    assert.deepEqual([job?.jobId, job?.attempts], [jobId, 1]);
  });

  it('a cancelled wait_for_signal woken after the cancel leaves the signal in the inbox', async () => {
    const { session: cancelling, agent } = await open({ args: ['--verbose'] });
    await cancelWhileWaiting('wait_for_signal', { type: 'cancel-me', timeoutMs: 20_000 }, cancelling);
    const sent = await sdk.signals.send({ from: 'mcp-peer', to: agent.agentId, type: 'cancel-me', payload: 3 });
    await cancelling.stderrSays(`wait_for_signal was cancelled after the daemon answered: left signal ${sent.signalId} in the inbox`);
    assert.deepEqual((await sdk.signals.pending({ agentId: agent.agentId, type: 'cancel-me' })).map((s) => s.signalId), [sent.signalId]);
    // Not cancelled, it takes what it waited for.
    const taken = await ok('wait_for_signal', { type: 'cancel-me', timeoutMs: 5_000 }, cancelling);
    assert.equal(taken.signal.signalId, sent.signalId);
    assert.deepEqual(await sdk.signals.pending({ agentId: agent.agentId, type: 'cancel-me' }), []);
  });

  it("the calling agent's tool policy: a denied tool is a tool error, an approval-needing one asks a human first", async () => {
    const { policy, version } = await sdk.policy.get();
    await sdk.policy.set({
      expectedVersion: version,
      policy: { agents: [{ agent: 'mcp-guarded', allow: ['*'], deny: ['send_signal'], requireApproval: ['publish_event'] }, ...policy.agents] },
    });
    const { session: guarded } = await open({ args: ['--agent-id', 'mcp-guarded'] });
    const denied = await fails('send_signal', { to: 'mcp-peer', type: 'x' }, -32010, guarded);
    assert.match(denied.message, /refused by the tool policy/);
    assert.equal((await sdk.signals.pending({ agentId: 'mcp-peer', type: 'x' })).length, 0, 'the denied call did not run');

    const publishing = call('publish_event', { type: 'mcp.guarded', data: {} }, guarded);
    const asked = await fleet.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'mcp-guarded');
    assert.equal((asked.data as Approval).type, 'tool:publish_event');
    await sdk.approvals.respond({ requestId: (asked.data as Approval).requestId, approved: false, responder: 'reviewer' });
    const refused = await publishing;
    assert.equal(refused.isError, true);
    assert.deepEqual(await sdk.events.recent({ type: 'mcp.guarded' }), [], 'the rejected call did not run');
    assert.ok(!(await ok('report_status', { currentTask: 'still here' }, guarded)).isError);
  });

  it('a look (check_signals) runs alongside its policy check: denied, it is a tool error; approved by a human, it answers what the inbox holds then', async () => {
    const { policy, version } = await sdk.policy.get();
    await sdk.policy.set({
      expectedVersion: version,
      policy: { agents: [{ agent: 'mcp-peek-denied', allow: ['*'], deny: ['check_signals'] }, { agent: 'mcp-peek-asks', allow: ['*'], requireApproval: ['check_signals'] }, ...policy.agents] },
    });
    const { session: denied } = await open({ args: ['--agent-id', 'mcp-peek-denied'] });
    await sdk.signals.send({ from: 'mcp-peer', to: 'mcp-peek-denied', type: 'look', payload: 1 });
    assert.match((await fails('check_signals', { type: 'look' }, -32010, denied)).message, /refused by the tool policy/);

    const { session: asks } = await open({ args: ['--agent-id', 'mcp-peek-asks'] });
    const looking = call('check_signals', { type: 'look' }, asks);
    const asked = await fleet.next((e) => e.type === 'approval.requested' && (e.data as Approval).agentId === 'mcp-peek-asks');
    // Sent while the human decides: the look that ran beside the check saw an empty inbox.
    const sent = await sdk.signals.send({ from: 'mcp-peer', to: 'mcp-peek-asks', type: 'look', payload: 2 });
    await sdk.approvals.respond({ requestId: (asked.data as Approval).requestId, approved: true, responder: 'reviewer' });
    const looked = await looking;
    assert.ok(!looked.isError, JSON.stringify(looked.content));
    assert.equal((looked.structuredContent as { signal: Signal }).signal.signalId, sent.signalId);
  });

  it('resources: the fleet, one agent, a workflow; updated and list_changed notifications from the daemon pushes', async () => {
    const { resources } = await session.client.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes('switchboard://agents') && uris.includes('switchboard://approvals'));
    assert.ok(uris.includes(`switchboard://agents/${agentId}`));
    const { resourceTemplates } = await session.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), ['switchboard://agents/{agentId}', 'switchboard://workflows/{workflowId}']);

    const readJson = async (uri: string) => JSON.parse(((await session.client.readResource({ uri })).contents[0] as { text: string }).text);
    const agents = (await readJson('switchboard://agents')) as AgentStatus[];
    assert.ok(agents.some((a) => a.agentId === agentId));
    const workflow = await sdk.workflows.start({ name: 'mcp-flow', steps: [{ name: 'one', queue: 'mcp-flow-q' }] });
    const read = await readJson(`switchboard://workflows/${workflow.workflowId}`);
    assert.equal(read.name, 'mcp-flow');
    await assert.rejects(session.client.readResource({ uri: 'switchboard://agents/nobody' }), /nobody/);
    await assert.rejects(session.client.readResource({ uri: 'https://example.com' }), /unknown resource/);

    const updated: string[] = [];
    let listChanged = 0;
    session.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
    session.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void listChanged++);
    await session.client.subscribeResource({ uri: `switchboard://agents/${agentId}` });
    await session.client.subscribeResource({ uri: 'switchboard://approvals' });
    await ok('report_status', { currentTask: 'watching resources' });
    await sdk.agents.start({ agentId: 'mcp-newcomer' });
    const deadline = Date.now() + 10_000;
    while ((!updated.includes(`switchboard://agents/${agentId}`) || listChanged === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(updated.includes(`switchboard://agents/${agentId}`), `updated: ${updated.join(', ')}`);
    assert.ok(listChanged > 0, 'list_changed after an agent joined');
    assert.ok(!updated.includes('switchboard://approvals'), 'nothing changed the approvals');
  });

  it('prompts: hand a task to another agent, ask before deploying', async () => {
    const { prompts } = await session.client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ['hand_off_task', 'ask_before_deploying']);
    const prompt = await session.client.getPrompt({ name: 'ask_before_deploying', arguments: { target: 'api to production' } });
    assert.match((prompt.messages[0]!.content as { text: string }).text, /request_approval/);
    await assert.rejects(session.client.getPrompt({ name: 'hand_off_task', arguments: {} }), /needs the argument task/);
  });

  it('closing the transport ends the agent as completed', async () => {
    const { session: closing, agent } = await open({ clientName: 'closing client' });
    assert.match(agent.agentId, /^closing-client-[0-9a-f]{6}$/);
    await closing.close();
    const stopped = await fleet.next((e) => e.type === 'agent.stopped' && (e.data as AgentStatus).agentId === agent.agentId);
    assert.equal((stopped.data as AgentStatus).status, 'completed');
  });

  it('a transport that dies (the client stops reading: EPIPE) ends the agent as failed', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--state-dir', daemon.stateDir, '--agent-id', 'mcp-dying'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const answered = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    await answered;
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await fleet.next((e) => e.type === 'agent.started' && (e.data as AgentStatus).agentId === 'mcp-dying');
    child.stdout.destroy();
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const stopped = await fleet.next((e) => e.type === 'agent.stopped' && (e.data as AgentStatus).agentId === 'mcp-dying');
    assert.equal((stopped.data as AgentStatus).status, 'failed');
    assert.equal(await exited, 1);
  });

  it('a tool call before initialized is a tool error naming it (not a wait for ever); once initialized, tools work', async () => {
    const early = await startMcpSession(daemon.stateDir, { withholdInitialized: true });
    sessions.push(early);
    const error = await fails('report_status', { currentTask: 'too early' }, -32600, early);
    assert.match(error.message, /no notifications\/initialized within \d+ ms/);
    await early.sendInitialized();
    assert.equal((await ok('report_status', { currentTask: 'initialized now' }, early)).currentTask, 'initialized now');
  });

  it('a client that leaves before initialized: the server exits 0 and no agent was registered', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--state-dir', daemon.stateDir, '--agent-id', 'mcp-early'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const answered = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } })}\n`);
    await answered;
    child.stdin.end();
    assert.equal(await exited, 0);
    assert.equal(await sdk.agents.get({ agentId: 'mcp-early' }), null);
  });
});
