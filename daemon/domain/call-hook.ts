/**
 * The call pipeline's extension point: validate → payload limits → hooks → handler → after hooks
 * → reply. A hook sees a validated call before its handler runs and refuses it by throwing an
 * RpcError (the connection rate limit's -32006, safety's -32010). It may also rewrite the call's
 * payload text (`ctx.json`, what handlers store) — safety's redaction does. `after` sees each
 * call that succeeded, once its handler answered (safety feeds breakers and budgets from
 * outcome.record this way); it must not throw, and the reply does not wait for it.
 */
import type { MethodName } from '../../protocol/schemas';
import type { CallContext } from './context';

export interface Call {
  method: MethodName;
  params: Record<string, unknown>;
  ctx: CallContext;
}

export interface CallHook {
  readonly name: string;
  check?(call: Call): void | Promise<void>;
  after?(call: Call): void;
}
