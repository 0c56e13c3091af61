--[[
  Extends the current delivery's visibility (a lease extension) to now + visibilityMs.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] jobId
  ARGV[3] receipt
  ARGV[4] visibility (ms)
  Returns the Job JSON. Errors: NOT_FOUND, CONFLICT (stale receipt).
]]
--- @include "includes/queueMoves"
local key = ARGV[1] .. ARGV[2]
local f = redis.call('HMGET', key, 'state', 'receipt')
if not f[1] then return fail(ERR.NOT_FOUND, 'job "' .. ARGV[2] .. '" does not exist') end
if f[1] ~= 'active' or f[2] ~= ARGV[3] then return staleReceipt(ARGV[2], ARGV[3], f[1]) end
local visibleUntil = nowMs() + tonumber(ARGV[4])
-- ZREM first: it does not grow memory, so the extension runs whole at maxmemory too.
redis.call('ZREM', ACTIVE, ARGV[2])
redis.call('ZADD', ACTIVE, visibleUntil, ARGV[2])
redis.call('HSET', key, 'visibleUntil', int(visibleUntil))
return jobJson(key)
