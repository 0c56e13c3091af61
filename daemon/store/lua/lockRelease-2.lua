--[[
  Frees the lock (its waiters are woken by the lock.released frame).

  KEYS[1] the lock's holder hash
  KEYS[2] the lock's fence counter
  ARGV[1] lock name
  ARGV[2] owner
  ARGV[3] fencing token
  ARGV[4] coordination channel
  Returns the released Lock JSON. Errors: CONFLICT (not the current holder and token: nothing changes).
]]
--- @include "includes/lockHolder"
local name, owner, token = ARGV[1], ARGV[2], tonumber(ARGV[3])
local now = nowMs()
local holder = lockHolder()
local refused = lockHeldBy(name, owner, token, holder, now)
if refused then return refused end
redis.call('DEL', KEYS[1])
local json = lockJson(name, owner, token, holder[3])
publishEvent(ARGV[4], 'lock.released', now, 'lock:' .. name, json)
return json
