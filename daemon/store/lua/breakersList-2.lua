--[[
  Every breaker that has seen a failure, by name, as it stands now (one past its cool-down shows,
  and turns, half-open). A name whose breaker has expired (closed, its counts stale) leaves the list.

  KEYS[1] seen (zset: breaker name -> latest failure ms)
  KEYS[2] open (zset: open breaker name -> when it turns half-open)
  ARGV[1] breaker hash prefix
  ARGV[2] safety channel
  ARGV[3] now (epoch ms), or '' for the Redis clock
  ARGV[4..9] settings (includes/breaker)
  Returns the Breaker JSON texts.
]]
--- @include "includes/breaker"
local prefix = ARGV[1]
local now = breakerNow(ARGV[3])
local s = breakerSettings(4)
local ctx = { channel = ARGV[2], open = KEYS[2], changes = {} }
local names = redis.call('ZRANGE', KEYS[1], 0, -1)
table.sort(names)
local out = {}
for _, name in ipairs(names) do
  local b = breakerLoad(prefix, name)
  if b.exists then
    breakerDue(b, now, s, ctx)
    breakerSave(b, s)
    out[#out + 1] = breakerJson(b)
  else
    redis.call('ZREM', KEYS[1], name)
  end
end
return out
