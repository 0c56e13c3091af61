/** JSON-RPC error codes, SPEC §3. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  NotFound: -32002,
  Conflict: -32003,
  TooLarge: -32004,
  RedisUnavailable: -32005,
  RateLimited: -32006,
  ProtocolVersion: -32009,
  BlockedBySafety: -32010,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The `data` member of an error: which field broke which rule, where that is known. */
export interface RpcErrorData {
  field?: string;
  rule?: string;
  [key: string]: unknown;
}

/** An invalid-params refusal's reason as a person reads it beside what they typed: without the "invalid params: " its message starts with. */
export function invalidParamsReason(error: RpcError): string {
  return error.message.replace(/^invalid params: /, '');
}

/** An error that travels over the wire as a JSON-RPC error object. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: RpcErrorData,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toJSON(): { code: number; message: string; data?: RpcErrorData } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}
