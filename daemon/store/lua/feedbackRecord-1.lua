--[[
  Counts one quality score in today's bucket of a stage's tier and drops buckets past retention.

  KEYS[1] the stage's hash (fields "<tier>:<day>" -> "count sum min max")
  ARGV[1] tier
  ARGV[2] quality, 0..1
  ARGV[3] retention (days, today included)
  ARGV[4] day length (ms)
  Returns the Redis time of the record (epoch ms). The hash holds at most retention buckets per
  tier, and goes with its last score's retention.
]]
--- @include "includes/nowMs"
local now = nowMs()
local dayMs = tonumber(ARGV[4])
local days = tonumber(ARGV[3])
local today = math.floor(now / dayMs)
local q = tonumber(ARGV[2])
local field = ARGV[1] .. ':' .. today
local old = redis.call('HGET', KEYS[1], field)
local count, sum, lo, hi = 1, q, q, q
if old then
  local c, s, mn, mx = string.match(old, '^(%S+) (%S+) (%S+) (%S+)$')
  count = tonumber(c) + 1
  sum = tonumber(s) + q
  lo = math.min(tonumber(mn), q)
  hi = math.max(tonumber(mx), q)
end
-- %.17g keeps every bit of a double, so the sums add up as they would in one place.
redis.call('HSET', KEYS[1], field, string.format('%d %.17g %.17g %.17g', count, sum, lo, hi))
local fields = redis.call('HKEYS', KEYS[1])
for i = 1, #fields do
  local day = tonumber(string.match(fields[i], ':(%d+)$'))
  if day <= today - days then redis.call('HDEL', KEYS[1], fields[i]) end
end
redis.call('PEXPIREAT', KEYS[1], (today + days) * dayMs)
return int(now)
