/**
 * The shape of every message between a webview and its host: requests (answered by a response
 * with the same id) and notifications. Each webview app declares its own methods in a protocol.ts.
 */
export interface RequestMessage<M extends string = string, P = unknown> {
  kind: 'request';
  id: number;
  method: M;
  params: P;
}

export interface ResponseMessage<R = unknown> {
  kind: 'response';
  id: number;
  result?: R;
  error?: string;
}

export interface NotificationMessage<M extends string = string, P = unknown> {
  kind: 'notification';
  method: M;
  params: P;
}

export type Message = RequestMessage | ResponseMessage | NotificationMessage;

/** A protocol: what each side may ask (requests with results) and tell (notifications). */
export interface Protocol {
  /** Webview → host requests: method → [params, result]. */
  requests: Record<string, [unknown, unknown]>;
  /** Webview → host notifications (always includes `ready`). */
  toHost: Record<string, unknown>;
  /** Host → webview notifications. */
  toWebview: Record<string, unknown>;
}

export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && ['request', 'response', 'notification'].includes((value as Message).kind);
}
