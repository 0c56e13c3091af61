--[[
  Returns a held permit (a waiter is woken by the semaphore.released frame).

  KEYS[1] the semaphore's permits
  KEYS[2] the semaphore's owners
  ARGV[1] semaphore name
  ARGV[2] permit id
  ARGV[3] coordination channel
  Returns 1. Errors: CONFLICT (expired or released: nothing changes).
]]
--- @include "includes/semaphorePermits"
local name, permitId = ARGV[1], ARGV[2]
local now = nowMs()
local expiresAt, refused = permitHeld(name, permitId, now)
if refused then return refused end
local owner = redis.call('HGET', KEYS[2], permitId) or ''
local limit = semaphoreLimit()
redis.call('ZREM', KEYS[1], permitId)
redis.call('HDEL', KEYS[2], permitId)
local held = redis.call('ZCARD', KEYS[1])
keepUntilLastPermit(now)
publishEvent(ARGV[3], 'semaphore.released', now, 'semaphore:' .. name, permitJson(name, permitId, owner, expiresAt, limit, held))
return 1
