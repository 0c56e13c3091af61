--[[
  Grants a free (or expired) lock with the next fencing token.

  KEYS[1] the lock's holder hash
  KEYS[2] the lock's fence counter
  ARGV[1] lock name
  ARGV[2] owner
  ARGV[3] ttl (ms)
  ARGV[4] coordination channel
  Returns {1, Lock JSON} when granted, else {0, ms until the holder's lease ends}.
]]
--- @include "includes/lockHolder"
local name, channel = ARGV[1], ARGV[4]
local now = nowMs()
local holder = lockHolder()
if not dropExpired(name, holder, now, channel) then return { 0, holder[3] - now } end
local token = redis.call('INCR', KEYS[2])
local expiresAt = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'token', token, 'expiresAt', int(expiresAt))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + EXPIRED_KEPT_MS)
local json = lockJson(name, ARGV[2], token, expiresAt)
publishEvent(channel, 'lock.acquired', now, 'lock:' .. name, json)
return { 1, json }
