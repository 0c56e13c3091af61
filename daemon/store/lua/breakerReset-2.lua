--[[
  Closes a breaker and clears its counts (it leaves breaker.list). The caller audits and announces it.

  KEYS[1] seen (zset: breaker name -> latest failure ms)
  KEYS[2] open (zset: open breaker name -> when it turns half-open)
  ARGV[1] breaker hash prefix
  ARGV[2] breaker name
  Returns {the closed Breaker JSON, the state it had}; NOT_FOUND when no breaker has that name.
]]
--- @include "includes/scriptErrors"
--- @include "includes/breaker"
local name = ARGV[2]
local b = breakerLoad(ARGV[1], name)
if not b.exists and not redis.call('ZSCORE', KEYS[1], name) then
  return fail(ERR.NOT_FOUND, 'breaker "' .. name .. '" has seen no calls')
end
local was = b.s
redis.call('DEL', b.key)
redis.call('ZREM', KEYS[1], name)
redis.call('ZREM', KEYS[2], name)
local closed = { name = name, s = 'closed', f = 0 }
return { breakerJson(closed), was }
