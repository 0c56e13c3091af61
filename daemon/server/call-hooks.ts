/**
 * The call pipeline's extension point: validate → payload limits → hooks → handler → reply. A
 * hook sees a validated call before its handler runs and refuses it by throwing an RpcError
 * (rate limits -32006 now; safety -32010 and tool policy come with their issues).
 */
import type { MethodName } from '../../protocol/schemas';
import type { CallContext } from '../domain/context';

export interface Call {
  method: MethodName;
  params: Record<string, unknown>;
  ctx: CallContext;
}

export interface CallHook {
  readonly name: string;
  check(call: Call): void | Promise<void>;
}
