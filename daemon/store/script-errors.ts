/**
 * The errors a Lua script may return, and the JSON-RPC code each becomes: one table, from which the
 * Lua include `includes/scriptErrors` (the ERR table and `fail`) is generated, so a script fails
 * with `return fail(ERR.NOT_FOUND, 'agent "x" is not registered')` and the reply carries the code
 * itself ("SB-32002 agent …"): nothing matches names or prefixes on the way back.
 */
import { ErrorCode, RpcError } from '../../protocol/errors';

export const SCRIPT_ERRORS = {
  NOT_FOUND: ErrorCode.NotFound,
  CONFLICT: ErrorCode.Conflict,
  RATE_LIMITED: ErrorCode.RateLimited,
  /** A param the schema cannot check (a cursor): the message starts with the param's name. */
  INVALID: ErrorCode.InvalidParams,
  /** A stored record the script cannot use (changed outside Switchboard): the message names the field. */
  DAMAGED: ErrorCode.InternalError,
} as const;

const MARK = 'SB';

export const SCRIPT_ERRORS_LUA = `-- Generated from daemon/store/script-errors.ts: the errors a script returns, by JSON-RPC code.
local ERR = { ${Object.entries(SCRIPT_ERRORS)
  .map(([name, code]) => `${name} = '${code}'`)
  .join(', ')} }
local function fail(code, message)
  return { err = '${MARK}' .. code .. ' ' .. message }
end
`;

/** The RpcError a script's `fail` reply stands for, or undefined for any other error. */
export function scriptError(message: string): RpcError | undefined {
  const text = message.startsWith('ERR ') ? message.slice(4) : message;
  if (!text.startsWith(MARK)) return undefined;
  const space = text.indexOf(' ');
  const code = Number(text.slice(MARK.length, space));
  // Redis appends where an error() was raised; the client needs only the message.
  const at = text.indexOf(' script: ', space);
  const detail = text.slice(space + 1, at < 0 ? undefined : at);
  if (code !== ErrorCode.InvalidParams) return new RpcError(code, detail);
  return new RpcError(code, `invalid params: ${detail}`, { field: detail.split(' ', 1)[0], rule: 'format' });
}
