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
  Publishes queue.enqueued once, with how many jobs became receivable and how many were delayed.
]]
--- @include "includes/scriptErrors"
--- @include "includes/queueMoves"
local prefix, queue = ARGV[1], ARGV[2]
local now = nowMs()
local enqueuedAt = int(now)
local limit = maxLength(ARGV[3])
local length = queueLength()
local replies, added, delayed = {}, 0, 0
for i = 5, #ARGV, 7 do
  local jobId, payload, priority, delayMs = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local key = prefix .. jobId
  local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
  if f[1] then
    replies[#replies + 1] = jobJsonOf(f)
  elseif length >= limit then
    replies[#replies + 1] = fail(ERR.RATE_LIMITED, 'queue "' .. queue .. '" is full (maxLength ' .. int(limit) .. ')')
  else
    local state, runAt = 'waiting', false
    if delayMs > 0 then state, runAt = 'delayed', int(now + delayMs) end
    -- HSET first: at maxmemory Redis refuses the script before anything is written.
    redis.call('HSET', key, 'jobId', jobId, 'queue', queue, 'payload', payload, 'priority', priority, 'state', state,
      'attempts', 0, 'maxAttempts', ARGV[i + 4], 'enqueuedAt', enqueuedAt, 'backoffType', ARGV[i + 5],
      'backoffDelay', ARGV[i + 6])
    if runAt then
      redis.call('HSET', key, 'runAt', runAt)
      redis.call('ZADD', DELAYED, now + delayMs, jobId)
      delayed = delayed + 1
    else
      redis.call('LPUSH', WAIT[priority], jobId)
      added = added + 1
    end
    length = length + 1
    -- the new job's JSON from what was just written, not read back
    replies[#replies + 1] = jobJsonOf({ jobId, queue, payload, priority, state, '0', ARGV[i + 4], enqueuedAt, runAt })
  end
end
announce(ARGV[4], queue, added, now, delayed)
return replies
