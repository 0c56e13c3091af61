/** WebSocket transport: one JSON-RPC stream per connection, pushes for its subscriptions. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../protocol/limits';
import type { EventHub, PushTarget } from '../hub/hub';
import { WaitingCalls } from '../hub/waiting-calls';
import type { DaemonLimits } from '../../protocol/limits';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { Logger } from '../../common/logger';
import type { InFlight } from './calls';
import type { DaemonMetrics } from './metrics';
import { errorReply, type RpcDispatcher } from './rpc';
import { ConnectionFlow } from './ws-flow';

/** A subscriber further behind than this loses pushes (its seq shows the gap, and it resyncs). */
const PUSH_HIGH_WATER_BYTES = 8 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;

export interface WsDeps {
  dispatcher: RpcDispatcher;
  hub: EventHub;
  metrics: DaemonMetrics;
  inFlight: InFlight;
  limits: DaemonLimits;
  log: Logger;
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
    const { dispatcher, hub, metrics, inFlight, limits, log } = this.deps;
    metrics.wsClients.inc();
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    const closed = new AbortController();
    const waitingCalls = new WaitingCalls(AbortSignal.any([closed.signal, inFlight.shutdown.signal]));
    const target: PushTarget = {
      push(frame) {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount > PUSH_HIGH_WATER_BYTES) return false;
        ws.send(frame);
        return true;
      },
    };
    const session = {};
    const handle = (text: string, waiting: () => void) =>
      inFlight
        .run(() => dispatcher.handle(text, { transport: 'ws', waitingCalls, caller: closed.signal, target, session, waiting }))
        .catch((error: unknown) => {
          // The dispatcher answers every failure it knows; this is the last guard that keeps one message from ending the process.
          log.error(`WebSocket message failed: ${(error as Error)?.stack ?? String(error)}`);
          return errorReply(null, new RpcError(ErrorCode.InternalError, 'internal error'));
        });
    const flow = new ConnectionFlow(
      {
        pause: () => ws.pause(),
        resume: () => ws.resume(),
        send: (data, sent) => (ws.readyState === ws.OPEN ? ws.send(data, { binary: false }, sent) : sent()),
      },
      { maxInFlight: limits.maxInFlightPerConnection, maxBuffered: limits.maxBufferedBytesPerConnection },
      handle,
      (limit) => metrics.limitHit(limit),
    );
    ws.on('message', (data, isBinary) => flow.receive(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString()));
    ws.on('close', () => {
      flow.close();
      metrics.wsClients.dec();
      closed.abort();
      hub.dropTarget(target);
    });
    ws.on('error', () => ws.terminate());
  }
}
