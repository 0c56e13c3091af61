--[[
  Pushes the holder's lease out to now + ttl.

  KEYS[1] the lock's holder hash
  KEYS[2] the lock's fence counter
  ARGV[1] lock name
  ARGV[2] owner
  ARGV[3] fencing token
  ARGV[4] ttl (ms)
  ARGV[5] coordination channel
  Returns the Lock JSON. Errors: CONFLICT (not the current holder and token: nothing changes).
]]
--- @include "includes/lockHolder"
local name, owner, token = ARGV[1], ARGV[2], tonumber(ARGV[3])
local now = nowMs()
local refused = lockHeldBy(name, owner, token, lockHolder(), now)
if refused then return refused end
local expiresAt = now + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'expiresAt', int(expiresAt))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + EXPIRED_KEPT_MS)
local json = lockJson(name, owner, token, expiresAt)
publishEvent(ARGV[5], 'lock.renewed', now, 'lock:' .. name, json)
return json
