--[[
  Reads the stats buckets of a window one by one, for one agent or for every agent with outcomes
  in it, in one snapshot (outcome.timeline); the daemon merges them into steps.

  KEYS[1] agents (zset: agent -> latest outcome ms)
  ARGV[1] bucket key prefix
  ARGV[2] buckets in the window (the newest one still filling)
  ARGV[3] agentName, or '' for every agent
  Returns { now, then per agent { name, { its buckets, oldest first (false where empty) } } }.
]]
--- @include "includes/outcomeLayout"
--- @include "includes/nowMs"
local now = nowMs()
local newest = math.floor(now / BUCKET_MS)
local buckets = tonumber(ARGV[2])
local since = (newest - buckets + 1) * BUCKET_MS
local agents
if ARGV[3] == '' then
  agents = redis.call('ZRANGE', KEYS[1], since, '+inf', 'BYSCORE')
else
  local at = redis.call('ZSCORE', KEYS[1], ARGV[3])
  agents = (at and tonumber(at) >= since) and { ARGV[3] } or {}
end
local out = { int(now) }
for _, name in ipairs(agents) do
  local names = {}
  for b = newest - buckets + 1, newest do names[#names + 1] = ARGV[1] .. name .. ':' .. b end
  out[#out + 1] = { name, redis.call('MGET', unpack(names)) }
end
return out
