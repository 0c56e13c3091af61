--[[
  Appends an event to its type's stream (trimmed near the cap), keeps the stream and the type for
  the retention from now, and announces it.

  KEYS[1] the type's stream
  KEYS[2] event types by name (zset, every score 0)
  KEYS[3] event types by end of retention (zset: type -> ms)
  ARGV[1] type
  ARGV[2] data JSON text
  ARGV[3] approximate stream cap
  ARGV[4] events channel
  ARGV[5] retention (ms)
  Returns the stream entry id; publishes the Event keyed by its type.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[2])
local retentionMs = tonumber(ARGV[5])
redis.call('PEXPIRE', KEYS[1], retentionMs)
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZADD', KEYS[3], nowMs() + retentionMs, ARGV[1])
local ts = tonumber(string.match(id, '^(%d+)'))
publishEvent(ARGV[4], ARGV[1], ts, ARGV[1], '{"id":"' .. id .. '","type":' .. cjson.encode(ARGV[1]) ..
  ',"data":' .. ARGV[2] .. ',"ts":' .. int(ts) .. '}')
return id
