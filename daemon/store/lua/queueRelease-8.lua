--[[
  Hands a delivery back undone (a worker stopping with jobs it had not started): the job goes to the
  head of its line and the delivery does not count as an attempt.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] jobId
  ARGV[4] receipt
  ARGV[5] queues channel
  Returns the Job JSON. Errors: NOT_FOUND, CONFLICT (stale receipt).
]]
--- @include "includes/scriptErrors"
--- @include "includes/queueMoves"
local key = ARGV[1] .. ARGV[3]
local f = redis.call('HMGET', key, 'state', 'receipt', 'priority')
if not f[1] then return fail(ERR.NOT_FOUND, 'job "' .. ARGV[3] .. '" does not exist') end
if f[1] ~= 'active' or f[2] ~= ARGV[4] then return staleReceipt(ARGV[3], ARGV[4], f[1]) end
-- ZREM first: it does not grow memory, so the release runs whole at maxmemory too.
redis.call('ZREM', ACTIVE, ARGV[3])
makeWaiting(key, ARGV[3], f[3], true)
redis.call('HINCRBY', key, 'attempts', -1)
announce(ARGV[5], ARGV[2], 1, nowMs())
return jobJson(key)
