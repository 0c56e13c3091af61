/** WebSocket transport: one JSON-RPC stream per connection, pushes for its subscriptions. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../protocol/limits';
import type { EventHub, PushTarget } from '../events/hub';
import type { InFlight } from './calls';
import type { DaemonMetrics } from './metrics';
import type { RpcDispatcher } from './rpc';

/** A subscriber further behind than this loses pushes (its seq shows the gap, and it resyncs). */
const PUSH_HIGH_WATER_BYTES = 8 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;

export interface WsDeps {
  dispatcher: RpcDispatcher;
  hub: EventHub;
  metrics: DaemonMetrics;
  inFlight: InFlight;
}

export class WsTransport {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly alive = new WeakSet<WebSocket>();
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly deps: WsDeps) {
    this.wss.on('connection', (ws) => this.accept(ws));
    // Drop peers that vanished without closing (sleeping laptops, killed processes).
    this.pinger = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) ws.terminate();
        else {
          this.alive.delete(ws);
          ws.ping();
        }
      }
    }, PING_INTERVAL_MS).unref();
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  get clientCount(): number {
    return this.wss.clients.size;
  }

  /** Closes every connection (after in-flight replies were sent). */
  close(): Promise<void> {
    clearInterval(this.pinger);
    for (const ws of this.wss.clients) ws.close(1001, 'daemon shutting down');
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    const { dispatcher, hub, metrics, inFlight } = this.deps;
    metrics.wsClients.inc();
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    const closed = new AbortController();
    const signal = AbortSignal.any([closed.signal, inFlight.shutdown.signal]);
    const target: PushTarget = {
      push(frame) {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount > PUSH_HIGH_WATER_BYTES) return false;
        ws.send(frame);
        return true;
      },
    };
    const session = {};
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      void inFlight
        .run(() => dispatcher.handle(text, { transport: 'ws', signal, target, session }))
        .then((reply) => {
          if (reply !== undefined && ws.readyState === ws.OPEN) ws.send(reply, { binary: false });
        });
    });
    ws.on('close', () => {
      metrics.wsClients.dec();
      closed.abort();
      hub.dropTarget(target);
    });
    ws.on('error', () => ws.terminate());
  }
}
