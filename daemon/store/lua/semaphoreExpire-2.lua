--[[
  The sweeper's visit to one semaphore: expired permits are pruned and published.

  KEYS[1] the semaphore's permits
  KEYS[2] the semaphore's owners
  ARGV[1] semaphore name
  ARGV[2] coordination channel
  Returns the earliest expiry of a permit still held (epoch ms), or 0.
]]
--- @include "includes/semaphorePermits"
local now = nowMs()
pruneExpired(ARGV[1], now, ARGV[2])
keepUntilLastPermit(now)
return int(earliestExpiry())
