--[[
  Appends an event to its type's stream (trimmed near the cap) and announces it.

  KEYS[1] the type's stream
  KEYS[2] set of known event types
  ARGV[1] type
  ARGV[2] data JSON text
  ARGV[3] approximate stream cap
  ARGV[4] events channel
  Returns the stream entry id; publishes the Event keyed by its type.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'd', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
local ts = tonumber(string.match(id, '^(%d+)'))
publishEvent(ARGV[4], ARGV[1], ts, ARGV[1], '{"id":"' .. id .. '","type":' .. cjson.encode(ARGV[1]) ..
  ',"data":' .. ARGV[2] .. ',"ts":' .. int(ts) .. '}')
return id
