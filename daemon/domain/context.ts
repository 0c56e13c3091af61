import type { MethodName, ParamsOf, ResultOf } from '../../protocol/methods';
import type { PushTarget } from '../hub/hub';
import type { WaitingCalls } from '../hub/waiting-calls';
import type { RawJson } from '../store/raw-json';

/** What a handler knows about the call it serves. */
export interface CallContext {
  transport: 'ws' | 'http';
  /**
   * The connection's blocking calls (counted for maxWaitingPerConnection); their waits end early
   * when the caller goes away or the daemon shuts down.
   */
  waitingCalls: WaitingCalls;
  /** Aborted only when the caller goes away (its connection closed): the call counts as aborted. */
  caller: AbortSignal;
  /**
   * Called when a blocking call starts waiting: the WebSocket's flow control stops counting its
   * message as in flight, so an agent's waits never hold up its beats. (Absent over HTTP.)
   */
  waiting?: () => void;
  /** The caller's WebSocket connection, for subscriptions (absent over HTTP). */
  target?: PushTarget;
  /** JSON text of the params' payload fields (payload, context, metadata, data), size-checked once. */
  json: Partial<Record<string, string>>;
  /** Per-connection state the `hello` handshake records. */
  session: { client?: string; protocolVersion?: string };
  /**
   * Set by a handler whose call only repeated an earlier one (an outcome.record of an eventId
   * recorded already, answered with the first record): after hooks do not count it again.
   */
  repeated?: boolean;
}

export type Handler<M extends MethodName> = (params: ParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M> | RawJson>;
export type Handlers = { [M in MethodName]: Handler<M> };
