import assert from 'node:assert/strict';
import { request } from 'node:http';
import WebSocket from 'ws';
import { ErrorCode } from '../../protocol/errors';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { exchange, startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { startRedis, type TestRedis } from '../helpers/redis-server';

/** A raw HTTP request (fetch forbids setting Host and Origin). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The HTTP status of a WebSocket upgrade that the daemon refuses. */
function refusedUpgrade(url: string, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

describe('transports and security', () => {
  let redis: TestRedis;
  let d: TestDaemon;
  const call = { jsonrpc: '2.0', id: 1, method: 'agent.list', params: {} };

  before(async () => {
    redis = await startRedis();
    d = await startTestDaemon(redis.url, { allowedOrigins: ['vscode-webview://trusted'] });
  });
  after(async () => {
    await d.stop();
    await redis.stop();
  });

  const auth = () => ({ Authorization: `Bearer ${d.token}`, 'Content-Type': 'application/json' });

  it('answers 401 without the token or with a wrong one, on HTTP and WebSocket', async () => {
    const body = JSON.stringify(call);
    assert.equal((await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body })).status, 401);
    const wrong = { Authorization: `Bearer ${'0'.repeat(64)}` };
    assert.equal((await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body, headers: wrong })).status, 401);
    assert.equal((await raw(`${d.httpUrl}/metrics`, {})).status, 401);
    assert.equal(await refusedUpgrade(d.url, {}), 401);
    assert.equal(await refusedUpgrade(d.url, wrong), 401);
    assert.equal((await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body, headers: auth() })).status, 200);
  });

  it('refuses a browser Origin unless configured, and a foreign Host (DNS rebinding), with 403', async () => {
    const body = JSON.stringify(call);
    const evil = await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body, headers: { ...auth(), Origin: 'https://evil.example' } });
    assert.equal(evil.status, 403);
    assert.match(evil.body, /Origin/);
    assert.equal(await refusedUpgrade(d.url, { ...auth(), Origin: 'https://evil.example' }), 403);
    const trusted = await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body, headers: { ...auth(), Origin: 'vscode-webview://trusted' } });
    assert.equal(trusted.status, 200);
    const rebound = await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body, headers: { ...auth(), Host: `attacker.example:${d.daemon.port}` } });
    assert.equal(rebound.status, 403);
    assert.equal(await refusedUpgrade(d.url, { ...auth(), Host: 'attacker.example' }), 403);
    const local = await raw(`${d.httpUrl}/v1/rpc`, { method: 'POST', body, headers: { ...auth(), Host: `localhost:${d.daemon.port}` } });
    assert.equal(local.status, 200);
  });

  it('serves /healthz without a token', async () => {
    const res = await raw(`${d.httpUrl}/healthz`, {});
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: 'ok', redis: 'up', version: d.daemon.info.version });
  });

  it('serves Prometheus metrics with the token', async () => {
    await d.rpc('agent.start', { agentId: 'metered' });
    await d.rpc('agent.beat', { agentId: 'nobody' });
    const res = await raw(`${d.httpUrl}/metrics`, { headers: auth() });
    assert.equal(res.status, 200);
    assert.match(res.body, /switchboard_rpc_calls_total\{method="agent\.start",outcome="ok"\} [1-9]/);
    assert.match(res.body, /switchboard_rpc_calls_total\{method="agent\.beat",outcome="-32002"\} 1/);
    assert.match(res.body, /switchboard_rpc_duration_seconds_bucket\{le="0\.005",method="agent\.start"\}/);
    assert.match(res.body, /switchboard_agents_live [1-9]/);
    assert.match(res.body, /switchboard_approvals_pending 0/);
    assert.match(res.body, /switchboard_ws_clients \d/);
  });

  it('answers parse errors, invalid requests and unknown methods per JSON-RPC', async () => {
    let r = await d.http('{"jsonrpc": "2.0", "method": ');
    assert.equal(r.body.error.code, ErrorCode.ParseError);
    assert.equal(r.body.id, null);
    r = await d.http({ jsonrpc: '1.0', id: 3, method: 'agent.list' });
    assert.equal(r.body.error.code, ErrorCode.InvalidRequest);
    assert.equal(r.body.id, 3);
    r = await d.http({ jsonrpc: '2.0', id: 4, method: 42 });
    assert.equal(r.body.error.code, ErrorCode.InvalidRequest);
    r = await d.http({ jsonrpc: '2.0', id: 5, method: 'agent.explode', params: {} });
    assert.equal(r.body.error.code, ErrorCode.MethodNotFound);
    assert.match(r.body.error.message, /agent\.explode/);
    r = await d.http({ jsonrpc: '2.0', id: 6, method: 'agent.get', params: ['a'] });
    assert.equal(r.body.error.code, ErrorCode.InvalidParams);
    r = await d.http([]);
    assert.equal(r.body.error.code, ErrorCode.InvalidRequest);
    r = await d.http('"just a string"');
    assert.equal(r.body.error.code, ErrorCode.InvalidRequest);
  });

  it('answers a batch as one batch, skipping notifications', async () => {
    const r = await d.http([
      { jsonrpc: '2.0', id: 'a', method: 'agent.start', params: { agentId: 'batch-1' } },
      { jsonrpc: '2.0', method: 'agent.start', params: { agentId: 'batch-2' } },
      { jsonrpc: '2.0', id: 'c', method: 'agent.get', params: { agentId: 'bad id' } },
      { nonsense: true },
    ]);
    assert.equal(r.body.length, 3);
    assert.equal(r.body[0].id, 'a');
    assert.equal(r.body[0].result.agentId, 'batch-1');
    assert.equal(r.body[1].error.code, ErrorCode.InvalidParams);
    assert.equal(r.body[2].error.code, ErrorCode.InvalidRequest);
    assert.equal((await d.rpc('agent.get', { agentId: 'batch-2' })).result.agentId, 'batch-2', 'the notification ran');
    const onlyNotifications = await d.http({ jsonrpc: '2.0', method: 'agent.list' });
    assert.equal(onlyNotifications.status, 204);
  });

  it('refuses an HTTP body over 1 MiB with -32004', async () => {
    const r = await d.http({ jsonrpc: '2.0', id: 1, method: 'event.publish', params: { type: 't', data: 'x'.repeat(1_100_000) } });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, ErrorCode.TooLarge);
  });

  it('keeps other clients working when one sends garbage or an oversize frame', async () => {
    const good = await d.socket();
    const bad = await d.socket();
    assert.equal((await exchange(bad, 'not json')).error.code, ErrorCode.ParseError);
    assert.equal((await exchange(bad, '{"jsonrpc":"2.0","id":1,"method":"nope"}')).error.code, ErrorCode.MethodNotFound);
    const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
    bad.send('x'.repeat(1_100_000));
    assert.equal(await closed, 1009, 'an oversize frame closes only that connection (1009 message too big)');
    const reply = await exchange(good, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'agent.list', params: {} }));
    assert.ok(Array.isArray(reply.result));
  });

  it('checks the protocol version in hello', async () => {
    const ws = await d.socket();
    const ok = await exchange(ws, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { client: 't', protocolVersion: PROTOCOL_VERSION } }));
    assert.equal(ok.result.protocolVersion, PROTOCOL_VERSION);
    assert.equal(ok.result.daemonId, d.daemon.daemonId);
    assert.equal(ok.result.daemonVersion, d.daemon.info.version);
    const bad = await exchange(ws, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'hello', params: { client: 't', protocolVersion: '2.0' } }));
    assert.equal(bad.error.code, ErrorCode.ProtocolVersion);
  });
});
