--[[
  Reads what outcome.stats merges, for one agent or for every agent with outcomes in the window,
  in one snapshot; the merging (histograms included) is left to the daemon: Redis copies bytes.
  Over the running window's length (ALERT_BUCKETS buckets) an agent costs one string, less the
  buckets that have left it since its last outcome; over any other window, its buckets there.

  KEYS[1] agents (zset: agent -> latest outcome ms)
  ARGV[1] agent hash prefix
  ARGV[2] running window key prefix
  ARGV[3] bucket key prefix
  ARGV[4] buckets in the window
  ARGV[5] agentName, or '' for every agent
  Returns { now, then per agent { name, alert ('1' on), latest outcome ms, { strings to add },
  { strings to subtract } } } (a string is false where a bucket is empty).
]]
--- @include "includes/outcomeLayout"
--- @include "includes/nowMs"
local now = nowMs()
local newest = math.floor(now / BUCKET_MS)
local buckets = tonumber(ARGV[4])
local since = (newest - buckets + 1) * BUCKET_MS
local agents
if ARGV[5] == '' then
  agents = redis.call('ZRANGE', KEYS[1], since, '+inf', 'BYSCORE', 'WITHSCORES')
else
  local at = redis.call('ZSCORE', KEYS[1], ARGV[5])
  agents = (at and tonumber(at) >= since) and { ARGV[5], at } or {}
end

local function bucketRange(name, from, to)
  local names = {}
  for b = from, to do names[#names + 1] = ARGV[3] .. name .. ':' .. b end
  if #names == 0 then return {} end
  return redis.call('MGET', unpack(names))
end

local out = { int(now) }
for i = 1, #agents, 2 do
  local name = agents[i]
  local f = redis.call('HMGET', ARGV[1] .. name, 'head', 'alert')
  local head = tonumber(f[1])
  local plus, minus
  if buckets == ALERT_BUCKETS and head and head <= newest - ALERT_BUCKETS then
    plus, minus = {}, {} -- every bucket it holds has left the window
  elseif buckets == ALERT_BUCKETS and head then
    plus, minus = { redis.call('GET', ARGV[2] .. name) }, bucketRange(name, head - ALERT_BUCKETS + 1, newest - ALERT_BUCKETS)
  else
    plus, minus = bucketRange(name, newest - buckets + 1, newest), {}
  end
  out[#out + 1] = { name, f[2] or '0', agents[i + 1], plus, minus }
end
return out
