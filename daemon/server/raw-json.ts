/**
 * A result that is already JSON text (built by a Lua script, or read from Redis): the dispatcher
 * splices it into the reply instead of parsing and re-serializing it.
 */
export class RawJson {
  constructor(readonly json: string) {}
}

/** A script reply that is JSON text or nil. */
export function rawOrNull(reply: unknown): RawJson {
  return new RawJson(typeof reply === 'string' ? reply : 'null');
}
