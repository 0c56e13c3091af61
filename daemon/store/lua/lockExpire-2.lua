--[[
  The sweeper's visit to one lock: an expired holder is dropped and lock.expired published.

  KEYS[1] the lock's holder hash
  KEYS[2] the lock's fence counter (unused: the include's keys)
  ARGV[1] lock name
  ARGV[2] coordination channel
  Returns when the current lease ends (epoch ms), or 0 when the lock is free.
]]
--- @include "includes/lockHolder"
local holder = lockHolder()
if dropExpired(ARGV[1], holder, nowMs(), ARGV[2]) then return 0 end
return int(holder[3])
