--[[
  Retention sweep: event types not published for their retention leave event.types, and their
  stream goes too (its own PEXPIRE has normally removed it already).

  KEYS[1] event types by end of retention (zset: type -> ms)
  KEYS[2] event types by name
  ARGV[1] stream key prefix
  ARGV[2] most types to drop in one call
  Returns how many were dropped (the sweeper calls again while that is the batch size).
]]
--- @include "includes/nowMs"
local types = redis.call('ZRANGE', KEYS[1], '-inf', nowMs(), 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
if #types == 0 then return 0 end
local streams = {}
for i = 1, #types do streams[i] = ARGV[1] .. types[i] end
redis.call('DEL', unpack(streams))
redis.call('ZREM', KEYS[1], unpack(types))
redis.call('ZREM', KEYS[2], unpack(types))
return #types
