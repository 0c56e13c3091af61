--[[
  Reads the stats buckets of a window, for one agent or for every agent with outcomes in it, in
  one snapshot. Merging them (histograms included) is left to the daemon: Redis only copies bytes.

  KEYS[1] agents (zset: agent -> latest outcome ms)
  ARGV[1] agent hash prefix
  ARGV[2] bucket key prefix
  ARGV[3] buckets in the window
  ARGV[4] agentName, or '' for every agent
  Returns { now, then per agent: name, alert ('1' on), latest outcome ms, the window's buckets
  (false where empty), ... }.
]]
--- @include "includes/outcomeLayout"
--- @include "includes/nowMs"
local now = nowMs()
local newest = math.floor(now / BUCKET_MS)
local buckets = tonumber(ARGV[3])
local since = (newest - buckets + 1) * BUCKET_MS
local agents
if ARGV[4] == '' then
  agents = redis.call('ZRANGE', KEYS[1], since, '+inf', 'BYSCORE', 'WITHSCORES')
else
  local at = redis.call('ZSCORE', KEYS[1], ARGV[4])
  agents = (at and tonumber(at) >= since) and { ARGV[4], at } or {}
end
local out = { int(now) }
for i = 1, #agents, 2 do
  local name = agents[i]
  out[#out + 1] = name
  out[#out + 1] = redis.call('HGET', ARGV[1] .. name, 'alert') or '0'
  out[#out + 1] = agents[i + 1]
  local names = {}
  for b = newest - buckets + 1, newest do names[#names + 1] = ARGV[2] .. name .. ':' .. b end
  local values = redis.call('MGET', unpack(names))
  for j = 1, buckets do out[#out + 1] = values[j] end
end
return out
