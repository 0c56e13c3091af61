--[[
  Adds jobs to one queue: those enqueued in the same tick, from any number of connections, in one
  call. A jobId that exists answers that job unchanged (idempotent). One job's error does not stop
  the others.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] the daemon's default maxLength
  ARGV[4] queues channel
  ARGV[5…] seven values per job: jobId, payload JSON, priority, delayMs, maxAttempts, backoff type
    ('' for none), backoff delayMs
  Returns, per job in order, its Job JSON or an error: RATE_LIMITED (the queue is at its maxLength).
  Publishes queue.enqueued once, with how many jobs became receivable.
]]
--- @include "includes/scriptErrors"
--- @include "includes/queueMoves"
local prefix, queue = ARGV[1], ARGV[2]
local now = nowMs()
local limit = maxLength(ARGV[3])
local length = queueLength()
local replies, added = {}, 0
for i = 5, #ARGV, 7 do
  local jobId, payload, priority, delayMs = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local key = prefix .. jobId
  local existing = jobJson(key)
  if existing then
    replies[#replies + 1] = existing
  elseif length >= limit then
    replies[#replies + 1] = fail(ERR.RATE_LIMITED, 'queue "' .. queue .. '" is full (maxLength ' .. int(limit) .. ')')
  else
    -- HSET first: at maxmemory Redis refuses the script before anything is written.
    redis.call('HSET', key, 'jobId', jobId, 'queue', queue, 'payload', payload, 'priority', priority,
      'attempts', 0, 'maxAttempts', ARGV[i + 4], 'enqueuedAt', int(now), 'backoffType', ARGV[i + 5],
      'backoffDelay', ARGV[i + 6])
    if delayMs > 0 then
      redis.call('HSET', key, 'state', 'delayed', 'runAt', int(now + delayMs))
      redis.call('ZADD', DELAYED, now + delayMs, jobId)
    else
      makeWaiting(key, jobId, priority, false)
      added = added + 1
    end
    length = length + 1
    replies[#replies + 1] = jobJson(key)
  end
end
announce(ARGV[4], queue, added, now)
return replies
