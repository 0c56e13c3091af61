/** Limits from SPEC §3, shared by the daemon's validation, the SDK and the docs. */
export const ID_PATTERN = '^[A-Za-z0-9._:@/-]{1,128}$';
export const ID_REGEXP = new RegExp(ID_PATTERN);
/** Largest serialized payload / context / metadata / data value (bytes); the daemon may be configured lower or higher. */
export const DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
/** Largest WebSocket frame or HTTP body (bytes). */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const MAX_TIMEOUT_MS = 3_600_000;
/** agent.list also returns agents that ended or expired this recently. */
export const RECENTLY_ENDED_MS = 10 * 60 * 1000;
export const MAX_RECENT_EVENTS = 1000;
/** event.publish keeps roughly this many entries per type (approximate trimming). */
export const EVENT_STREAM_MAXLEN = 10_000;
