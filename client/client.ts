/** SwitchboardClient: one typed method per RPC method, auto-reconnect, subscriptions that survive reconnects. */
import { DEFAULTS } from '../protocol/limits';
import { EventEmitter } from 'node:events';
import { isBlockingCall, METHOD_NAMES, NAMESPACES, WAIT_MS_METHODS, type MethodName, type ParamsOf, type ResultOf } from '../protocol/methods';
import type { HelloResult, PushedEvent, Topic } from '../protocol/types';
import { PROTOCOL_VERSION } from '../protocol/version';
import type { BackoffOptions } from './backoff';
import { randomUUID } from 'node:crypto';
import { ConnectionError, RpcConnection, type ConnectionState } from './connection';
import { discoverDaemon, type DiscoveryOptions } from './discovery';
import { PushRouter } from './push-router';

export interface ClientOptions extends DiscoveryOptions {
  /** Sent in `hello`, e.g. "my-agent/1.2". */
  clientName?: string;
  /** false: no reconnect; or backoff bounds (default 100 ms doubling to 5 s, jittered). */
  reconnect?: boolean | BackoffOptions;
  /** Deadline for a non-blocking call (default 30 s); blocking calls get their own timeout plus this. */
  requestTimeoutMs?: number;
}

type CallFn<M extends MethodName> = {} extends ParamsOf<M>
  ? <P extends ParamsOf<M> = ParamsOf<M> & { limit?: undefined }>(params?: P) => Promise<ResultOf<M, P>>
  : <P extends ParamsOf<M>>(params: P) => Promise<ResultOf<M, P>>;
/** `rules.get` → `rulesGet`: a method with more than one dot after its domain (`safety.rules.get`) becomes one camelCase name. */
type Camel<S extends string> = S extends `${infer Head}.${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type Namespace<D extends string> = {
  [M in Extract<MethodName, `${D}.${string}`> as M extends `${D}.${infer Verb}` ? Camel<Verb> : never]: CallFn<M>;
};

export interface SubscribeOptions {
  /**
   * Called when events may have been missed (a seq gap, or a reconnect): reload a snapshot
   * (agents.list, approvals.pending…) and apply later events on top of it.
   */
  onResync?(): void;
}

export interface Subscription {
  readonly topics: readonly Topic[];
  unsubscribe(): Promise<void>;
}

interface LiveSubscription {
  topics: Topic[];
  handler(event: PushedEvent): void;
  options: SubscribeOptions;
  serverId?: string;
  lastSeq: number;
  /** Unsubscribed: a resubscribe on its way is undone, and pushes held for it are dropped, not handed over. */
  ended?: boolean;
}

type Namespaces = { readonly [D in keyof typeof NAMESPACES as (typeof NAMESPACES)[D]]: Namespace<D> };

// The namespaces (client.agents, client.signals…) are made in the constructor from NAMESPACES;
// this interface gives them their types, so a new domain needs no edit here.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SwitchboardClient extends Namespaces {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SwitchboardClient extends EventEmitter<{ state: [ConnectionState]; reconnected: [] }> {
  /** The daemon's answer to the latest `hello`. */
  daemon?: HelloResult;

  private readonly connection: RpcConnection;
  private readonly subscriptions = new Set<LiveSubscription>();
  private readonly router = new PushRouter<LiveSubscription>((live, event) => this.deliver(live, event));
  private opens = 0;

  private constructor(private readonly options: ClientOptions) {
    super();
    const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.connection = new RpcConnection({
      endpoint: () => discoverDaemon(options),
      reconnect: options.reconnect ?? true,
      requestTimeoutMs,
      onOpen: () => this.onOpen(),
    });
    this.connection.on('state', (state) => {
      this.emit('state', state);
      if (state === 'open' && this.opens > 1) this.emit('reconnected');
    });
    this.connection.on('notification', (method, params) => {
      if (method === 'event') this.router.route(params as PushedEvent);
    });
    const namespace = (domain: string) =>
      Object.fromEntries(
        METHOD_NAMES.filter((m) => m.startsWith(`${domain}.`)).map((m) => [camel(m.slice(domain.length + 1)), (p?: object) => this.call(m, p ?? {})]),
      );
    for (const [domain, field] of Object.entries(NAMESPACES)) Object.assign(this, { [field]: namespace(domain) });
    // A request survives a dropped connection or a daemon restart: the retry carries the same
    // idempotency key, so the daemon answers with the request filed the first time.
    this.approvals.request = ((params: ParamsOf<'approval.request'>) =>
      this.resumable('approval.request', { clientRequestId: randomUUID(), ...params })) as Namespace<'approval'>['request'];
  }

  /** Connects (finding the daemon through options, env, or daemon.json) and says hello. */
  static async connect(options: ClientOptions = {}): Promise<SwitchboardClient> {
    const client = new SwitchboardClient(options);
    await client.connection.open();
    return client;
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  /**
   * `batch`: sent at the end of this turn of the event loop together with the other batched calls
   * of the turn, as one JSON-RPC batch (one frame each way). The daemon answers a batch at once, so
   * a call that blocks (signal.wait, a queue.receive with waitMs) would hold up the others' replies.
   */
  call<M extends MethodName, P extends ParamsOf<M> = ParamsOf<M>>(method: M, params: P, options: { batch?: boolean } = {}): Promise<ResultOf<M, P>> {
    const timeoutMs = isBlockingCall(method, params) ? blockingTimeout(method, params) : undefined;
    return this.connection.call(method, params, {
      timeoutMs: timeoutMs === undefined ? undefined : timeoutMs + (this.options.requestTimeoutMs ?? 30_000),
      batch: options.batch,
    }) as Promise<ResultOf<M, P>>;
  }

  /**
   * Runs a method as a JSON-RPC notification: no reply frame, so no result and no error reach
   * the caller. For fire-and-forget traffic such as routine heartbeats. False when not connected.
   */
  notify<M extends MethodName>(method: M, params: ParamsOf<M>): boolean {
    return this.connection.notify(method, params);
  }

  /** Calls again with the same params after each reconnect until the call is answered or the client closes. */
  private async resumable<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    for (;;) {
      try {
        return await this.call(method, params);
      } catch (error) {
        if (!(error instanceof ConnectionError) || this.state === 'closed') throw error;
        await this.reopened();
      }
    }
  }

  /** Resolves when the connection is open again; rejects if the client closes first. */
  private reopened(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onState = (state: ConnectionState) => {
        if (state !== 'open' && state !== 'closed') return;
        this.off('state', onState);
        if (state === 'open') resolve();
        else reject(new ConnectionError('the client is closed'));
      };
      if (this.state === 'open') return resolve();
      this.on('state', onState);
    });
  }

  /** Subscribes to topics; kept across reconnects (with onResync called, since pushes may have been missed). */
  async subscribe(topics: Topic[], handler: (event: PushedEvent) => void, options: SubscribeOptions = {}): Promise<Subscription> {
    const live: LiveSubscription = { topics, handler, options, lastSeq: 0 };
    live.serverId = await this.router.subscribe(async () => (await this.call('subscribe', { topics })).subscriptionId, live);
    this.subscriptions.add(live);
    return {
      topics,
      unsubscribe: async () => {
        live.ended = true;
        this.subscriptions.delete(live);
        if (live.serverId === undefined) return;
        this.router.detach(live.serverId);
        if (this.connection.state === 'open') await this.call('unsubscribe', { subscriptionId: live.serverId });
      },
    };
  }

  close(): void {
    this.connection.close();
  }

  private async onOpen(): Promise<void> {
    this.daemon = (await this.connection.call(
      'hello',
      { client: this.options.clientName ?? 'switchboard-client', protocolVersion: PROTOCOL_VERSION },
      { early: true },
    )) as HelloResult;
    if (this.opens++ === 0) return;
    this.router.clear();
    for (const live of this.subscriptions) {
      live.lastSeq = 0;
      const subscribe = async () => ((await this.connection.call('subscribe', { topics: live.topics }, { early: true })) as { subscriptionId: string }).subscriptionId;
      const serverId = await this.router.subscribe(subscribe, live);
      if (live.ended) {
        // Unsubscribed while this subscribe was on its way: what it made on the daemon goes too.
        this.router.detach(serverId);
        await this.connection.call('unsubscribe', { subscriptionId: serverId }, { early: true });
        continue;
      }
      live.serverId = serverId;
      live.options.onResync?.();
    }
  }

  private deliver(live: LiveSubscription, event: PushedEvent): void {
    if (live.ended) return;
    const gap = event.seq !== live.lastSeq + 1;
    live.lastSeq = event.seq;
    if (gap) live.options.onResync?.();
    live.handler(event);
  }
}

/** How long a blocking call may wait on the daemon: waitMs for those that take it, the others their timeoutMs (approvals: the default). */
function blockingTimeout(method: MethodName, params: unknown): number {
  const { timeoutMs, waitMs } = params as { timeoutMs?: unknown; waitMs?: unknown };
  if (WAIT_MS_METHODS.has(method)) return waitMs as number;
  return typeof timeoutMs === 'number' ? timeoutMs : DEFAULTS.approvalTimeoutMs;
}

function camel(verb: string): string {
  return verb.replace(/\.([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
