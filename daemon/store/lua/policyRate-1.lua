--[[
  Takes one token from an agent's callsPerMinute bucket: it holds at most callsPerMinute tokens
  and refills at callsPerMinute per minute, on the Redis clock shared by every daemon.

  KEYS[1] the agent's bucket hash (t tokens, at last refill in epoch ms)
  ARGV[1] callsPerMinute (the bucket's size)
  Returns {1, 0} when a token was taken, else {0, ms until one is there}.
]]
--- @include "includes/nowMs"
local size = tonumber(ARGV[1])
local perMs = size / 60000
local now = nowMs()
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1]) or size
local at = tonumber(state[2]) or now
tokens = math.min(size, tokens + math.max(0, now - at) * perMs)
local taken, retryAfter = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
else
  retryAfter = math.ceil((1 - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 't', tokens, 'at', now)
-- Gone once full again: a full bucket and no bucket are the same.
redis.call('PEXPIRE', KEYS[1], math.ceil((size - tokens) / perMs) + 1000)
return { taken, retryAfter }
