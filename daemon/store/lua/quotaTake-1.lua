--[[
  Takes cost units of a quota of limit per period: over fixed periods aligned to epoch multiples,
  or over a sliding window estimated from this period's count and the last one's, weighted by how
  much of the last one the window still covers (the sliding-window counter).

  KEYS[1] the quota's hash (p period number, n its count, q the previous period's count)
  ARGV[1] limit
  ARGV[2] period (ms)
  ARGV[3] 1 sliding, 0 fixed
  ARGV[4] cost
  Returns {allowed 1|0, whole units left, ms until the same take would be allowed, end of this period (epoch ms)}.
  Errors: INVALID (cost over limit).
]]
--- @include "includes/scriptErrors"
--- @include "includes/nowMs"
local limit, P, sliding, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1', tonumber(ARGV[4])
if cost > limit then return fail(ERR.INVALID, 'cost ' .. ARGV[4] .. ' is over limit ' .. ARGV[1] .. ': it could never be taken') end
local now = nowMs()
local period = math.floor(now / P)
local elapsed = now - period * P
local h = redis.call('HMGET', KEYS[1], 'p', 'n', 'q')
local n, q = tonumber(h[2] or '0'), tonumber(h[3] or '0')
if tonumber(h[1] or '-1') ~= period then
  q = (tonumber(h[1] or '-1') == period - 1) and n or 0
  n = 0
end
if not sliding then q = 0 end
local used = q * (1 - elapsed / P) + n
local allowed, retryAfter = 0, 0
if used + cost <= limit then
  n = n + cost
  used = used + cost
  allowed = 1
elseif not sliding then
  retryAfter = P - elapsed
elseif n + cost <= limit then
  -- within this period, once enough of the previous one has slid out of the window
  retryAfter = math.ceil(P * (1 - (limit - n - cost) / q) - elapsed)
else
  -- in the next period, this one's count becomes the weighted one
  retryAfter = (P - elapsed) + math.ceil(math.max(0, P * (1 - (limit - cost) / n)))
end
redis.call('HSET', KEYS[1], 'p', period, 'n', n, 'q', q)
redis.call('PEXPIRE', KEYS[1], 2 * P)
return { allowed, math.max(0, math.floor(limit - used)), math.max(0, retryAfter), int((period + 1) * P) }
