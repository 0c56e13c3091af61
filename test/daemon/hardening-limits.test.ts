/**
 * Issue "Harden the coordination core", findings 1, 2, 7 and 8: what one hostile or careless client
 * could do to the daemon's process, refused now as JSON-RPC errors or held back by flow control.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ErrorCode } from '../../protocol/errors';
import { DEFAULT_LIMITS } from '../../protocol/limits';
import { exchange, useDaemon, type TestDaemon } from '../helpers/daemon';
import { spawnDaemon } from '../helpers/daemon-process';
import { startRedis } from '../helpers/redis-server';
import { tempDirPerTest } from '../helpers/temp-dir';
import type { SwitchboardClient } from '../../client/client';
import type { Logger } from '../../common/logger';

const lines: string[] = [];
const recordingLogger: Logger = { info: () => {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };

describe('hardening: limits on what one client can make the daemon do', function () {
  this.timeout(30_000);
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env), { log: recordingLogger });

  it('answers a WebSocket batch whose replies would pass maxReplyBytes with -32004 for the rest, and lives', async () => {
    const metadata = { blob: 'x'.repeat(60_000) };
    await client.agents.start({ agentId: 'big', metadata });
    const calls = Array.from({ length: 12_000 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'agent.get', params: { agentId: 'big' } }));
    const ws = await d.socket();
    const replies = (await exchange(ws, JSON.stringify(calls))) as { id: number; result?: unknown; error?: { code: number; data: { ran: boolean } } }[];
    assert.equal(replies.length, 12_000);
    const ok = replies.filter((r) => r.result !== undefined);
    const refused = replies.filter((r) => r.error?.code === ErrorCode.TooLarge);
    assert.equal(ok.length + refused.length, 12_000);
    // 16 MiB of 60 KB replies: a few hundred fit, and the calls past the limit never ran.
    assert.ok(ok.length > 100 && ok.length < 300, `${ok.length} answered`);
    assert.ok(refused.filter((r) => !r.error!.data.ran).length > 11_000);
    assert.equal(JSON.stringify(ok.map((r) => r.id)), JSON.stringify([...ok.keys()]), 'the answered calls are the first ones');
    assert.equal((await client.agents.get({ agentId: 'big' }))?.agentId, 'big', 'the daemon still answers');
    ws.terminate();
  });

  it('refuses a single reply over maxReplyBytes (HTTP too), naming the limit', async () => {
    for (let i = 0; i < 300; i += 1) await client.events.publish({ type: 'fat', data: 'y'.repeat(60_000) });
    const { error } = await d.rpc('event.recent', { type: 'fat', count: 300 });
    assert.equal(error.code, ErrorCode.TooLarge);
    assert.equal(error.data.rule, 'maxReplyBytes');
    assert.equal(error.data.limit, DEFAULT_LIMITS.maxReplyBytes);
    assert.equal((await d.rpc('event.recent', { type: 'fat', count: 10 })).result.length, 10);
  });

  it('caps subscriptions per connection with -32006', async () => {
    const ws = await d.socket();
    const subscribe = (id: number) => exchange(ws, JSON.stringify({ jsonrpc: '2.0', id, method: 'subscribe', params: { topics: ['agents'] } }));
    let first: string | undefined;
    for (let i = 0; i < DEFAULT_LIMITS.maxSubscriptionsPerConnection; i += 1) {
      const reply = await subscribe(i);
      assert.ok(reply.result, JSON.stringify(reply));
      first ??= reply.result.subscriptionId;
    }
    const refused = await subscribe(99);
    assert.equal(refused.error.code, ErrorCode.RateLimited);
    assert.equal(refused.error.data.rule, 'maxSubscriptionsPerConnection');
    await exchange(ws, JSON.stringify({ jsonrpc: '2.0', id: 100, method: 'unsubscribe', params: { subscriptionId: first } }));
    assert.ok((await subscribe(101)).result.subscriptionId);
    ws.terminate();
  });

  it('refuses data nested deeper than maxJsonDepth with -32602 naming the field, storing nothing and logging nothing', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const before = lines.length;
    const r = await d.http(`{"jsonrpc":"2.0","id":1,"method":"event.publish","params":{"type":"deep","data":${deep}}}`);
    assert.equal(r.body.error.code, ErrorCode.InvalidParams);
    assert.equal(r.body.error.data.rule, 'maxJsonDepth');
    assert.match(r.body.error.data.field, /^data\.0\.0/);
    assert.deepEqual((await d.rpc('event.recent', { type: 'deep' })).result, []);
    assert.equal(lines.length, before, lines.slice(before).join('\n'));
    // The limit is on depth, not on size: just under it is stored.
    const ok = `${'['.repeat(DEFAULT_LIMITS.maxJsonDepth - 3)}${']'.repeat(DEFAULT_LIMITS.maxJsonDepth - 3)}`;
    const stored = await d.http(`{"jsonrpc":"2.0","id":2,"method":"event.publish","params":{"type":"deep","data":${ok}}}`);
    assert.ok(stored.body.result?.id, JSON.stringify(stored.body));
  });

  it('refuses numbers a double cannot keep (1e309, integers past 2^53) instead of storing another value', async () => {
    for (const [text, field] of [
      ['{"x": 1e309}', 'data.x'],
      ['{"y": 12345678901234567890123}', 'data.y'],
      ['[1, -9007199254740993]', 'data.1'],
    ] as const) {
      const r = await d.http(`{"jsonrpc":"2.0","id":1,"method":"event.publish","params":{"type":"nums","data":${text}}}`);
      assert.equal(r.body.error?.code, ErrorCode.InvalidParams, text);
      assert.equal(r.body.error.data.field, field);
      assert.equal(r.body.error.data.rule, 'number');
    }
    assert.deepEqual((await d.rpc('event.recent', { type: 'nums' })).result, []);
    // Exact values pass through unchanged, as the client wrote them.
    const exact = '{"big":9007199254740991,"small":-9007199254740991,"float":1.5e300,"tiny":5e-324,"s":"12345678901234567890123"}';
    await d.http(`{"jsonrpc":"2.0","id":1,"method":"event.publish","params":{"type":"nums","data":${exact}}}`);
    assert.deepEqual((await d.rpc('event.recent', { type: 'nums' })).result[0].data, JSON.parse(exact));
  });

  it('answers an id a client could not match (1e309, 30 digits) with -32600 and id null', async () => {
    for (const id of ['1e309', '123456789012345678901234567890']) {
      const r = await d.http(`{"jsonrpc":"2.0","id":${id},"method":"agent.list","params":{}}`);
      assert.equal(r.body.error.code, ErrorCode.InvalidRequest);
      assert.equal(r.body.id, null);
      assert.match(r.body.error.message, /^invalid request: id /);
    }
    // In a batch, only the bad call is refused.
    const r = await d.http(`[{"jsonrpc":"2.0","id":1e400,"method":"agent.list"},{"jsonrpc":"2.0","id":2,"method":"agent.list"}]`);
    assert.equal(r.body[0].error.code, ErrorCode.InvalidRequest);
    assert.ok(Array.isArray(r.body[1].result));
  });

  it('files one approval per idempotency key: a retried create or request gets the same request', async () => {
    const params = { agentId: 'retrier', type: 'deploy', context: { v: 1 }, clientRequestId: 'deploy-42' };
    const first = await client.approvals.create(params);
    const again = await client.approvals.create(params);
    assert.equal(again.requestId, first.requestId);
    const other = await client.approvals.create({ ...params, agentId: 'someone-else' });
    assert.notEqual(other.requestId, first.requestId, 'the key is per agent');
    const waiting = client.call('approval.request', { ...params, timeoutMs: 10_000 });
    await client.approvals.respond({ requestId: first.requestId, approved: true, responder: 'jane' });
    assert.equal((await waiting).requestId, first.requestId);
    assert.equal((await waiting).status, 'approved');
    assert.equal((await client.approvals.pending()).filter((a) => a.agentId === 'retrier').length, 0);
  });

  it('counts a blocking call whose caller left as aborted, not ok', async () => {
    const ws = await d.socket();
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'signal.wait', params: { agentId: 'leaver', timeoutMs: 60_000 } }));
    await client.signals.check({ agentId: 'leaver' }); // the wait is in flight once a later call on another connection is answered
    ws.terminate();
    const deadline = Date.now() + 5_000;
    let text = '';
    while (Date.now() < deadline && !/method="signal\.wait",outcome="aborted"\} 1/.test(text)) {
      text = await (await fetch(`${d.httpUrl}/metrics`, { headers: { Authorization: `Bearer ${d.token}` } })).text();
    }
    assert.match(text, /switchboard_rpc_calls_total\{method="signal\.wait",outcome="aborted"\} 1/);
    assert.doesNotMatch(text, /method="signal\.wait",outcome="ok"/);
  });
});

describe('hardening: a client that does not read', function () {
  this.timeout(60_000);
  let stateDir: string;
  tempDirPerTest('sb-flow-', (dir) => (stateDir = dir));

  it('holds the daemon’s memory bounded (RSS measured) and still answers every request once the client reads', async () => {
    const redis = await startRedis();
    writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ limits: { maxInFlightPerConnection: 4, maxBufferedBytesPerConnection: 1 << 20 } }));
    const daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
    const peakKiB = () => Number(/VmHWM:\s+(\d+) kB/.exec(readStatus(daemon.child.pid!))![1]);
    const rpc = (body: unknown) =>
      fetch(`${daemon.url.replace('ws:', 'http:').replace('/v1', '')}/v1/rpc`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${daemon.token}` },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    try {
      // 1 000 events of 4 KB: each event.recent reply is about 4 MB; 80 of them would be 320 MB.
      for (let batch = 0; batch < 5; batch += 1) {
        await rpc(Array.from({ length: 200 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'event.publish', params: { type: 'flood', data: 'z'.repeat(4000) } })));
      }
      const before = peakKiB();
      const ws = new WebSocket(daemon.url, { headers: { Authorization: `Bearer ${daemon.token}` } });
      await new Promise((resolve) => ws.once('open', resolve));
      const replies: unknown[] = [];
      ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
      (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      for (let i = 0; i < 80; i += 1) ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'event.recent', params: { type: 'flood', count: 1000 } }));
      // The daemon stops reading that client (without flow control it would answer all 80 into its buffers).
      await waitFor(async () => {
        const text = await metrics(daemon);
        return /switchboard_limit_hits_total\{limit="max(InFlight|BufferedBytes)PerConnection"\} [1-9]/.test(text) || /method="event\.recent",outcome="ok"\} 80/.test(text);
      });
      assert.equal((await rpc({ jsonrpc: '2.0', id: 1, method: 'agent.list' })).result.length, 0);
      const grownMiB = (peakKiB() - before) / 1024;
      assert.ok(grownMiB < 120, `peak RSS grew ${grownMiB.toFixed(0)} MiB while the client did not read`);
      (ws as unknown as { _socket: { resume(): void } })._socket.resume();
      await waitFor(async () => replies.length === 80);
      assert.ok(replies.every((r) => (r as { result: unknown[] }).result.length === 1000));
      ws.terminate();
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      await redis.stop();
    }
  });
});

function readStatus(pid: number): string {
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}

async function metrics(daemon: { url: string; token: string }): Promise<string> {
  const base = daemon.url.replace('ws:', 'http:').replace('/v1', '');
  return (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${daemon.token}` } })).text();
}

/** Polls a condition (for state only visible from outside, like a child's metrics) until it holds, at most 20 s. */
async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('call pipeline: the per-connection rate limit hook', () => {
  let d: TestDaemon;
  useDaemon((env) => ({ d } = env), { limits: { maxCallsPerSecondPerConnection: 10 } });

  it('answers calls past the bucket with -32006 and retryAfterMs, per connection, and lets them through after it', async () => {
    const ws = await d.socket();
    const batch = Array.from({ length: 30 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'agent.list', params: {} }));
    const replies = (await exchange(ws, JSON.stringify(batch))) as { result?: unknown; error?: { code: number; data: { retryAfterMs: number; rule: string } } }[];
    const refused = replies.filter((r) => r.error);
    // A burst of twice the rate passes; the rest are refused with a hint, not run.
    assert.ok(replies.filter((r) => r.result).length >= 20 && refused.length >= 8, `${refused.length} refused`);
    assert.ok(refused.every((r) => r.error!.code === ErrorCode.RateLimited && r.error!.data.rule === 'maxCallsPerSecondPerConnection'));
    const retryAfterMs = refused[0]!.error!.data.retryAfterMs;
    assert.ok(retryAfterMs > 0 && retryAfterMs <= 100, `retryAfterMs ${retryAfterMs}`);

    const other = await d.socket();
    assert.ok((await exchange(other, JSON.stringify(batch[0]))).result, 'another connection has its own bucket');
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs)); // the wait the error asks for
    assert.ok((await exchange(ws, JSON.stringify(batch[0]))).result, 'the same connection passes after retryAfterMs');
    ws.terminate();
    other.terminate();
  });
});

describe('flow control and blocking calls', () => {
  let d: TestDaemon;
  useDaemon((env) => ({ d } = env), { limits: { maxInFlightPerConnection: 4 } });

  it('does not count a blocking call that waits as in flight: an agent’s waits never hold up its beats', async () => {
    const ws = await d.socket();
    for (let i = 0; i < 10; i += 1) {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: `wait-${i}`, method: 'signal.wait', params: { agentId: `waiter-${i}`, timeoutMs: 30_000 } }));
    }
    const started = await exchange(ws, JSON.stringify({ jsonrpc: '2.0', id: 'start', method: 'agent.start', params: { agentId: 'busy' } }));
    assert.equal(started.id, 'start');
    assert.equal(started.result.agentId, 'busy');
    ws.terminate();
  });
});

describe('blocking calls per connection', () => {
  let d: TestDaemon;
  let client: SwitchboardClient;
  useDaemon((env) => ({ d, client } = env));

  it('caps the blocking calls waiting on one connection with -32006 naming maxWaitingPerConnection, behind one abort listener', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const max = DEFAULT_LIMITS.maxWaitingPerConnection;
      assert.equal(client.daemon?.limits.maxWaitingPerConnection, max, 'hello reports the limit');
      const ws = await d.socket();
      const order: string[] = [];
      const replies = new Map<string, any>();
      const arrivals = new Set<() => void>();
      ws.on('message', (data) => {
        const reply = JSON.parse(data.toString());
        order.push(reply.id);
        replies.set(reply.id, reply);
        for (const arrival of [...arrivals]) arrival();
      });
      const replyTo = (id: string) =>
        new Promise<any>((resolve) => {
          const check = () => replies.has(id) && (arrivals.delete(check), resolve(replies.get(id)));
          arrivals.add(check);
          check();
        });
      const wait = (id: string, agentId: string, timeoutMs = 60_000) =>
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'signal.wait', params: { agentId, timeoutMs } }));

      for (let i = 0; i < max; i += 1) wait(`w${i}`, `parked-${i}`);
      // One more is refused at once and does not run: its error comes ahead of the answer to a
      // call sent after it.
      wait('over', 'parked-over');
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'after', method: 'agent.list', params: {} }));
      await replyTo('after');
      assert.deepEqual(order, ['over', 'after']);
      const refused = replies.get('over');
      assert.equal(refused.error.code, ErrorCode.RateLimited);
      assert.deepEqual(refused.error.data, { rule: 'maxWaitingPerConnection', limit: max });
      assert.match(refused.error.message, /maxWaitingPerConnection/);
      assert.match(await metrics(d), /switchboard_limit_hits_total\{limit="maxWaitingPerConnection"\} 1\b/);
      // One wait answers: its place is free again.
      await client.signals.send({ from: 'tester', to: 'parked-0', type: 'go' });
      assert.equal((await replyTo('w0')).result.type, 'go');
      wait('again', 'parked-again', 50);
      assert.equal((await replyTo('again')).result, null, 'timed out, not refused');
      ws.terminate();
      // A round trip after the waits were parked: a warning emitted meanwhile has arrived.
      await client.agents.list();
      assert.deepEqual(
        warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning').map((warning) => warning.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
