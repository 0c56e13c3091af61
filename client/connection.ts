/**
 * One JSON-RPC 2.0 connection over WebSocket that heals itself: on a drop it reconnects with
 * capped backoff and jitter, runs the `onOpen` hook (hello, resubscribe) before anything queued is
 * sent, and fails the calls that were in flight with ConnectionError (they may or may not have
 * run; agents retry beats and waits anyway).
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { RpcError, type RpcErrorData } from '../protocol/errors';
import { MAX_FRAME_BYTES } from '../protocol/limits';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { Endpoint } from './discovery';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

export interface ConnectionOptions {
  /** Read again before every reconnect: a restarted daemon may have a new port or token. */
  endpoint(): Endpoint;
  reconnect: boolean | BackoffOptions;
  requestTimeoutMs: number;
  /** Runs on every (re)open before queued calls go out; use `call(…, { early: true })` inside it. */
  onOpen(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Incoming {
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: RpcErrorData };
}

export class RpcConnection extends EventEmitter<{ state: [ConnectionState]; notification: [string, unknown] }> {
  state: ConnectionState = 'connecting';
  private ws?: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queued: (() => void)[] = [];
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;
  /** Requests made with `batch` in this turn of the event loop, sent together as one JSON-RPC batch. */
  private outbox: string[] = [];

  constructor(private readonly options: ConnectionOptions) {
    super();
  }

  /** First connection: resolves once open (hook done), rejects if the daemon cannot be reached. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.dial((error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * `batch`: send at the end of this turn of the event loop, in one JSON-RPC batch with the other
   * `batch` calls of the turn (one frame, one message for the daemon; it answers them in one
   * frame, so never batch a call that blocks).
   */
  call(method: string, params: unknown, options: { timeoutMs?: number; early?: boolean; batch?: boolean } = {}): Promise<unknown> {
    if (this.state === 'closed') return Promise.reject(new ConnectionError('the client is closed'));
    return new Promise((resolve, reject) => {
      const send = () => {
        const id = this.nextId++;
        const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new ConnectionError(`${method} got no reply within ${timeoutMs} ms`));
        }, timeoutMs);
        this.pending.set(id, { resolve, reject, timer });
        const text = JSON.stringify({ jsonrpc: '2.0', id, method, params });
        if (options.batch) {
          if (this.outbox.push(text) === 1) setImmediate(() => this.flushOutbox());
          return;
        }
        // calls leave in the order they were made: batched ones of this turn go first
        this.flushOutbox();
        this.ws!.send(text);
      };
      if (this.state === 'open' || (options.early && this.ws?.readyState === WebSocket.OPEN)) send();
      else this.queued.push(send);
    });
  }

  /**
   * Sends a JSON-RPC notification: the daemon runs it and sends no reply, not even an error.
   * Returns false (nothing sent) unless the connection is open; a notification is never queued.
   */
  notify(method: string, params: unknown): boolean {
    if (this.state !== 'open') return false;
    this.flushOutbox();
    this.ws!.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
    return true;
  }

  close(): void {
    this.setState('closed');
    clearTimeout(this.retryTimer);
    this.ws?.close(1000);
    this.failInFlight(new ConnectionError('the client is closed'));
    this.queued.length = 0;
  }

  private flushOutbox(): void {
    const messages = this.outbox;
    this.outbox = [];
    // after a drop the calls in it were failed with the connection; the new socket must not get them
    if (messages.length === 0 || this.ws?.readyState !== WebSocket.OPEN) return;
    if (messages.length === 1) return this.ws.send(messages[0]!);
    // As few frames as the daemon's frame limit allows (a larger one would close the connection).
    let batch: string[] = [];
    let bytes = 2;
    for (const message of messages) {
      const size = Buffer.byteLength(message) + 1;
      if (bytes + size > MAX_FRAME_BYTES && batch.length > 0) {
        this.ws.send(`[${batch.join(',')}]`);
        [batch, bytes] = [[], 2];
      }
      batch.push(message);
      bytes += size;
    }
    this.ws.send(`[${batch.join(',')}]`);
  }

  private dial(firstResult?: (error?: Error) => void): void {
    let endpoint: Endpoint;
    try {
      endpoint = this.options.endpoint();
    } catch (error) {
      if (firstResult) return firstResult(error as Error);
      return this.scheduleRetry();
    }
    const ws = new WebSocket(endpoint.url, { headers: { Authorization: `Bearer ${endpoint.token}` }, perMessageDeflate: false });
    this.ws = ws;
    const isFirst = firstResult !== undefined;
    let opened = false;
    ws.on('unexpected-response', (_req, res) => {
      ws.emit('error', new ConnectionError(`daemon refused the connection: HTTP ${res.statusCode}`));
      res.resume();
    });
    ws.on('open', () => {
      opened = true;
      this.attempt = 0;
      this.options.onOpen().then(
        () => {
          if (this.ws !== ws || this.state === 'closed') return;
          this.setState('open');
          for (const send of this.queued.splice(0)) send();
          firstResult?.();
        },
        (error: Error) => {
          if (isFirst) {
            firstResult?.(error);
            this.close();
          } else ws.close(1011, 'handshake failed');
        },
      );
    });
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('error', (error) => {
      if (!opened && isFirst) {
        firstResult?.(error);
        this.close();
      }
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.outbox = [];
      this.failInFlight(new ConnectionError('connection to the daemon was lost'));
      if (this.state === 'closed') return;
      if (this.options.reconnect === false) return this.close();
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    this.setState('reconnecting');
    const backoff = typeof this.options.reconnect === 'object' ? this.options.reconnect : {};
    this.retryTimer = setTimeout(() => this.dial(), backoffDelay(this.attempt++, backoff));
  }

  private receive(text: string): void {
    let messages: Incoming | Incoming[];
    try {
      messages = JSON.parse(text) as Incoming | Incoming[];
    } catch {
      return;
    }
    for (const message of Array.isArray(messages) ? messages : [messages]) {
      if (message.method !== undefined) {
        this.emit('notification', message.method, message.params);
        continue;
      }
      const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
      if (!pending) continue;
      this.pending.delete(message.id as number);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new RpcError(message.error.code, message.error.message, message.error.data));
      else pending.resolve(message.result);
    }
  }

  private failInFlight(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }

  private setState(state: ConnectionState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    this.emit('state', state);
  }
}
