/** The daemon's HTTP server: /healthz, /metrics, POST /v1/rpc, and the /v1 WebSocket upgrade. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode, RpcError } from '../../protocol/errors';
import { MAX_FRAME_BYTES, MAX_TIMEOUT_MS } from '../../protocol/limits';
import type { Health } from '../../protocol/types';
import { WaitingCalls } from '../hub/waiting-calls';
import type { InFlight } from './calls';
import type { CallContext } from '../domain/context';
import type { RequestGuard } from './guard';
import type { DaemonMetrics } from './metrics';
import { errorReply, type RpcDispatcher } from './rpc';

export interface HttpDeps {
  guard: RequestGuard;
  dispatcher: RpcDispatcher;
  metrics: DaemonMetrics;
  inFlight: InFlight;
  metricsPublic: boolean;
  health(): Health;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export function createHttpServer(deps: HttpDeps): Server {
  // Long polls may last as long as the longest timeout.
  const server = createServer({ requestTimeout: MAX_TIMEOUT_MS + 60_000 }, (req, res) => {
    route(deps, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `internal error: ${(error as Error).message}\n`);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = req.url?.split('?')[0];
    const refusal = path === '/v1' ? deps.guard.check(req, true) : { status: 404 as const, reason: 'no WebSocket endpoint here; use /v1' };
    if (refusal) {
      const text = `${refusal.reason}\n`;
      socket.end(
        `HTTP/1.1 ${refusal.status} ${STATUS[refusal.status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
      return;
    }
    deps.upgrade(req, socket, head);
  });
  return server;
}

const STATUS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = req.url?.split('?')[0];
  if (path === '/healthz' && req.method === 'GET') {
    const refusal = deps.guard.checkPlace(req);
    if (refusal) return send(res, refusal.status, 'text/plain', `${refusal.reason}\n`);
    const health = deps.health();
    return send(res, health.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(health));
  }
  if (path === '/metrics' && req.method === 'GET') {
    const refusal = deps.metricsPublic ? deps.guard.checkPlace(req) : deps.guard.check(req, true);
    if (refusal) return send(res, refusal.status, 'text/plain', `${refusal.reason}\n`);
    return send(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
  }
  if (path === '/v1/rpc') {
    const refusal = deps.guard.check(req, true);
    if (refusal) return send(res, refusal.status, 'text/plain', `${refusal.reason}\n`);
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST\n', { Allow: 'POST' });
    const body = await readBody(req, MAX_FRAME_BYTES);
    if (body === undefined) {
      const tooLarge = new RpcError(ErrorCode.TooLarge, `request body is over ${MAX_FRAME_BYTES} bytes`);
      return send(res, 413, 'application/json', errorReply(null, tooLarge), { Connection: 'close' });
    }
    const caller = new AbortController();
    res.on('close', () => caller.abort());
    const waitingCalls = new WaitingCalls(AbortSignal.any([caller.signal, deps.inFlight.shutdown.signal]));
    const reply = await deps.inFlight.run(() => deps.dispatcher.handle(body, { transport: 'http', waitingCalls, caller: caller.signal, session: sessionOf(req) }));
    return reply === undefined ? send(res, 204, 'text/plain', '') : send(res, 200, 'application/json', reply);
  }
  send(res, 404, 'text/plain', 'not found: try POST /v1/rpc, GET /healthz or GET /metrics\n');
}

/** Per-connection state (rate limits) lives as long as the keep-alive socket that carries the requests. */
const sessions = new WeakMap<object, CallContext['session']>();
function sessionOf(req: IncomingMessage): CallContext['session'] {
  let session = sessions.get(req.socket);
  if (!session) sessions.set(req.socket, (session = {}));
  return session;
}

/** The body as text, or undefined when it passes the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
