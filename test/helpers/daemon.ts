/** In-process daemons for tests, each with its own temp state dir, on a free port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import WebSocket from 'ws';
import { SwitchboardClient, type ClientOptions } from '../../client/client';
import { startDaemon, type DaemonOptions, type RunningDaemon } from '../../daemon/runtime/daemon';
import type { MethodName, ParamsOf } from '../../protocol/methods';
import { flushRedis, redisClient, startRedis, type TestRedis } from './redis-server';

export interface TestDaemon {
  daemon: RunningDaemon;
  stateDir: string;
  url: string;
  httpUrl: string;
  token: string;
  /** An SDK client on this daemon (closed by stop()). */
  client(options?: ClientOptions): Promise<SwitchboardClient>;
  /** POST /v1/rpc with the token; returns the parsed JSON-RPC reply. */
  http(body: unknown): Promise<{ status: number; body: any }>;
  /** One JSON-RPC call over HTTP; returns the reply's result or error. */
  rpc<M extends MethodName>(method: M, params: ParamsOf<M> | Record<string, unknown>): Promise<any>;
  /** A raw WebSocket with the token, open. */
  socket(headers?: Record<string, string>): Promise<WebSocket>;
  stop(): Promise<void>;
}

export async function startTestDaemon(redisUrl: string, options: Partial<DaemonOptions> = {}): Promise<TestDaemon> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'sb-state-'));
  const daemon = await startDaemon({ port: 0, ...options, redisUrl, stateDir });
  const clients: SwitchboardClient[] = [];
  const sockets: WebSocket[] = [];
  const { url, httpUrl } = daemon.info;
  const token = daemon.token;
  const http = async (body: unknown) => {
    const res = await fetch(`${httpUrl}/v1/rpc`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    daemon,
    stateDir,
    url,
    httpUrl,
    token,
    async client(clientOptions = {}) {
      const client = await SwitchboardClient.connect({ url, token, ...clientOptions });
      clients.push(client);
      return client;
    },
    http,
    async rpc(method, params) {
      const { body } = await http({ jsonrpc: '2.0', id: 1, method, params });
      return body.error ? { error: body.error } : { result: body.result };
    },
    socket(headers = {}) {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}`, ...headers } });
        sockets.push(ws);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    },
    async stop() {
      for (const client of clients) client.close();
      for (const ws of sockets) ws.terminate();
      await daemon.stop();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Sends raw text on a WebSocket and resolves with the next message parsed. */
export function exchange(ws: WebSocket, text: string): Promise<any> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(text);
  });
}

export interface DaemonEnv {
  redis: TestRedis;
  d: TestDaemon;
  client: SwitchboardClient;
}

/**
 * The usual suite: a real redis-server on a free port, one in-process daemon on it and an SDK
 * client, started before the suite and stopped after it. `ready` receives them.
 */
export function useDaemon(ready: (env: DaemonEnv) => void, options: Partial<DaemonOptions> = {}): void {
  let env: DaemonEnv | undefined;
  before(async () => {
    const redis = await startRedis();
    const d = await startTestDaemon(redis.url, options);
    env = { redis, d, client: await d.client() };
    ready(env);
  });
  after(async () => {
    await env?.d.stop();
    await env?.redis.stop();
  });
}

/**
 * useDaemon for suites whose reads span every agent or key (stats, listings, routing): each test
 * starts from an empty Redis, and `raw` is a connection of the test's own to it.
 */
export function useEmptiedDaemon(ready: (env: DaemonEnv & { raw: Redis }) => void, options: Partial<DaemonOptions> = {}): void {
  let env: DaemonEnv | undefined;
  useDaemon((e) => ready({ ...(env = e), raw: redisClient(e.redis.url) }), options);
  beforeEach(() => flushRedis(env!.redis.url));
}

export interface TwoDaemons {
  redis: TestRedis;
  a: TestDaemon;
  b: TestDaemon;
  onA: SwitchboardClient;
  onB: SwitchboardClient;
}

/** Two in-process daemons sharing one real redis-server, each with an SDK client, for a suite. */
export function useTwoDaemons(ready: (env: TwoDaemons) => void): void {
  let env: TwoDaemons | undefined;
  before(async () => {
    const redis = await startRedis();
    const [a, b] = await Promise.all([startTestDaemon(redis.url), startTestDaemon(redis.url)]);
    const [onA, onB] = await Promise.all([a.client(), b.client()]);
    ready((env = { redis, a, b, onA, onB }));
  });
  after(async () => {
    await Promise.all([env?.a.stop(), env?.b.stop()]);
    await env?.redis.stop();
  });
}
