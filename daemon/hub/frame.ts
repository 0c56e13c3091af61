/**
 * What a Lua script publishes on a domain channel: "type\nts\nkey\njson" (see
 * store/lua/includes/publishEvent.lua). The key (agent id, "<signal target> <type>", request id, event type)
 * lets the daemon route and wake waiters without parsing the JSON, which it forwards as is.
 */
export interface Frame {
  type: string;
  ts: number;
  key: string;
  json: string;
}

export function parseFrame(message: string): Frame | undefined {
  const a = message.indexOf('\n');
  const b = message.indexOf('\n', a + 1);
  const c = message.indexOf('\n', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  return { type: message.slice(0, a), ts: Number(message.slice(a + 1, b)), key: message.slice(b + 1, c), json: message.slice(c + 1) };
}
