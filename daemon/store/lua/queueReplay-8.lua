--[[
  Gives a dead job a fresh set of attempts: it waits at the back of its line again, keeping its
  lastError until it runs.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] jobId
  ARGV[4] queues channel
  Returns the Job JSON; publishes job.replayed. Errors: NOT_FOUND, CONFLICT (not dead).
]]
--- @include "includes/scriptErrors"
--- @include "includes/queueMoves"
local key = ARGV[1] .. ARGV[3]
local f = redis.call('HMGET', key, 'state', 'priority')
if not f[1] then return fail(ERR.NOT_FOUND, 'job "' .. ARGV[3] .. '" does not exist') end
if f[1] ~= 'dead' then return fail(ERR.CONFLICT, 'job "' .. ARGV[3] .. '" is ' .. f[1] .. ', not dead') end
local now = nowMs()
makeWaiting(key, ARGV[3], f[2], false)
redis.call('ZREM', DEAD, ARGV[3])
redis.call('HSET', key, 'attempts', 0)
redis.call('HDEL', key, 'finishedAt')
local json = jobJson(key)
publishEvent(ARGV[4], 'job.replayed', now, ARGV[2], json)
announce(ARGV[4], ARGV[2], 1, now)
return json
