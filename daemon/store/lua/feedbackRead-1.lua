--[[
  The buckets of a stage that are within retention (every tier).

  KEYS[1] the stage's hash (fields "<tier>:<day>" -> "count sum min max")
  ARGV[1] retention (days, today included)
  ARGV[2] day length (ms)
  Returns { today's day number, field, value, field, value, … }; older buckets are left out (the
  next record drops them).
]]
--- @include "includes/nowMs"
local today = math.floor(nowMs() / tonumber(ARGV[2]))
local flat = redis.call('HGETALL', KEYS[1])
local out = { today }
for i = 1, #flat, 2 do
  local day = tonumber(string.match(flat[i], ':(%d+)$'))
  if day > today - tonumber(ARGV[1]) then
    out[#out + 1] = flat[i]
    out[#out + 1] = flat[i + 1]
  end
end
return out
