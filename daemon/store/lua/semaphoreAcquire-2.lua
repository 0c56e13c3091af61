--[[
  Grants a permit if fewer than limit unexpired ones are held (expired ones are pruned first).

  KEYS[1] the semaphore's permits
  KEYS[2] the semaphore's owners
  ARGV[1] semaphore name
  ARGV[2] owner
  ARGV[3] limit
  ARGV[4] ttl (ms)
  ARGV[5] permit id
  ARGV[6] coordination channel
  Returns {1, Permit JSON, earliest expiry} when granted, else {0, ms until the earliest permit expires}.
]]
--- @include "includes/semaphorePermits"
local name, limit, channel = ARGV[1], tonumber(ARGV[3]), ARGV[6]
local now = nowMs()
pruneExpired(name, now, channel)
local held = redis.call('ZCARD', KEYS[1])
if held >= limit then return { 0, earliestExpiry() - now } end
local expiresAt = now + tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], expiresAt, ARGV[5])
redis.call('HSET', KEYS[2], ARGV[5], ARGV[2], '#limit', limit)
keepUntilLastPermit(now)
publishEvent(channel, 'semaphore.acquired', now, 'semaphore:' .. name, permitJson(name, ARGV[5], ARGV[2], expiresAt, limit, held + 1))
return { 1, '{"permitId":' .. cjson.encode(ARGV[5]) .. ',"expiresAt":' .. int(expiresAt) .. '}', int(earliestExpiry()) }
