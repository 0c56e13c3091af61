--[[
  Turns open breakers past their cool-down half-open (publishing breaker.half_open), so that
  watchers learn it without anyone asking.

  KEYS[1] seen (zset; unused here, names the slot)
  KEYS[2] open (zset: open breaker name -> when it turns half-open)
  ARGV[1] breaker hash prefix
  ARGV[2] safety channel
  ARGV[3] now (epoch ms), or '' for the Redis clock
  ARGV[4..9] settings (includes/breaker)
  ARGV[10] most breakers to handle
  Returns how many it handled.
]]
--- @include "includes/breaker"
local prefix = ARGV[1]
local now = breakerNow(ARGV[3])
local s = breakerSettings(4)
local ctx = { channel = ARGV[2], open = KEYS[2], changes = {} }
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[10]))
for _, name in ipairs(due) do
  local b = breakerLoad(prefix, name)
  if b.exists then
    breakerDue(b, now, s, ctx)
    breakerSave(b, s)
  end
  redis.call('ZREM', KEYS[2], name)
end
return #due
