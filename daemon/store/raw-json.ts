/**
 * A result that is already JSON text (built by a Lua script, or read from Redis): the dispatcher
 * splices it into the reply instead of parsing and re-serializing it.
 */
export class RawJson {
  /** JSON text, as a string or as UTF-8 bytes (large replies skip a round trip through JS strings). */
  constructor(readonly json: string | Buffer) {}
}

/** A script reply that is JSON text or nil. */
export function rawOrNull(reply: unknown): RawJson {
  return new RawJson(typeof reply === 'string' ? reply : 'null');
}
