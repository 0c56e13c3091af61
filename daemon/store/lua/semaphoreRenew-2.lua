--[[
  Pushes a held permit out to now + ttl.

  KEYS[1] the semaphore's permits
  KEYS[2] the semaphore's owners
  ARGV[1] semaphore name
  ARGV[2] permit id
  ARGV[3] ttl (ms)
  ARGV[4] coordination channel
  Returns the Permit JSON. Errors: CONFLICT (expired or released: nothing changes).
]]
--- @include "includes/semaphorePermits"
local name, permitId = ARGV[1], ARGV[2]
local now = nowMs()
local _, refused = permitHeld(name, permitId, now)
if refused then return refused end
local expiresAt = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], expiresAt, permitId)
keepUntilLastPermit(now)
local owner = redis.call('HGET', KEYS[2], permitId) or ''
publishEvent(ARGV[4], 'semaphore.renewed', now, 'semaphore:' .. name,
  permitJson(name, permitId, owner, expiresAt, semaphoreLimit(), redis.call('ZCARD', KEYS[1])))
return '{"permitId":' .. cjson.encode(permitId) .. ',"expiresAt":' .. int(expiresAt) .. '}'
