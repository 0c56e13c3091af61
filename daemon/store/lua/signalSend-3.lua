--[[
  Stores a signal for one agent (or for all, when the box is the broadcast set) and announces it.

  KEYS[1] box: the target's inbox, or the broadcast set (zset: "<signal id>#<type>" -> send
          sequence; see includes/signalMatch), beside its type index "<box>#<type>"
  KEYS[2] send sequence counter
  KEYS[3] signal hash
  ARGV[1] signalId
  ARGV[2] type
  ARGV[3] source agent id
  ARGV[4] target agent id, or "*"
  ARGV[5] payload JSON text
  ARGV[6] ttl (ms)
  ARGV[7] signals channel
  Returns the Signal JSON; publishes signal.sent keyed "<target> <type>" (ids hold no space), so a
  daemon wakes only the waiters this signal may satisfy.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
local now = nowMs()
local ttl = tonumber(ARGV[6])
local json = '{"signalId":' .. cjson.encode(ARGV[1]) .. ',"type":' .. cjson.encode(ARGV[2]) ..
  ',"source":' .. cjson.encode(ARGV[3]) .. ',"target":' .. cjson.encode(ARGV[4]) ..
  ',"payload":' .. ARGV[5] .. ',"sentAt":' .. int(now) .. ',"expiresAt":' .. int(now + ttl) .. '}'
redis.call('HSET', KEYS[3], 'json', json, 'type', ARGV[2], 'source', ARGV[3], 'target', ARGV[4])
redis.call('PEXPIRE', KEYS[3], ttl)
local seq = redis.call('INCR', KEYS[2])
for _, index in ipairs({ KEYS[1], KEYS[1] .. '#' .. ARGV[2] }) do
  redis.call('ZADD', index, seq, ARGV[1] .. '#' .. ARGV[2])
  -- an index lives as long as its longest-lived signal
  if redis.call('PTTL', index) < ttl then
    redis.call('PEXPIRE', index, ttl)
  end
end
publishEvent(ARGV[7], 'signal.sent', now, ARGV[4] .. ' ' .. ARGV[2], json)
return json
