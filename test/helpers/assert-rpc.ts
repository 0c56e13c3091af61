import assert from 'node:assert/strict';
import { RpcError } from '../../protocol/errors';

/** Awaits a call that must fail with this JSON-RPC error code (and message pattern). */
export async function rejectsWith(promise: Promise<unknown>, code: number, pattern?: RegExp): Promise<RpcError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RpcError, `expected an RpcError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected error ${code}, but the call succeeded`);
}
