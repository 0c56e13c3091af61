--[[
  Takes cost tokens from a token bucket that holds at most burst and refills at rate per second,
  on the Redis clock shared by every daemon.

  KEYS[1] the bucket's hash (t tokens, at last refill in epoch ms)
  ARGV[1] rate (tokens per second)
  ARGV[2] burst
  ARGV[3] cost
  Returns {allowed 1|0, whole tokens left, ms until the same take would be allowed}. Errors: INVALID (cost over burst).
]]
--- @include "includes/scriptErrors"
--- @include "includes/nowMs"
local perMs, burst, cost = tonumber(ARGV[1]) / 1000, tonumber(ARGV[2]), tonumber(ARGV[3])
if cost > burst then return fail(ERR.INVALID, 'cost ' .. ARGV[3] .. ' is over burst ' .. ARGV[2] .. ': it could never be taken') end
local now = nowMs()
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local allowed, retryAfter = 0, 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retryAfter = math.ceil((cost - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 't', tokens, 'at', now)
-- Gone once full again: a full bucket and no bucket are the same.
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1000)
return { allowed, math.floor(tokens), retryAfter }
