--[[
  Fails a delivery. With attempts left (and retry), the job waits out its backoff as delayed (or, with
  no backoff, goes to the back of its line); else it goes dead with the error (so does a workflow
  step's job whose workflow has ended).

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] jobId
  ARGV[4] receipt
  ARGV[5] error message ('' for none)
  ARGV[6] "1" retry, "0" dead at once
  ARGV[7] jitter, a number in [0, 1) (Lua's random is not random inside Redis)
  ARGV[8] queues channel
  ARGV[9] the longest backoff (ms): an exponential one stops growing there (a job's own backoffMax first)
  Returns the Job JSON; publishes job.retrying or job.dead.
  Errors: NOT_FOUND, CONFLICT (stale receipt).
]]
--- @include "includes/scriptErrors"
--- @include "includes/queueMoves"
local prefix, queue, jobId, receipt = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local key = prefix .. jobId
local f = redis.call('HMGET', key, 'state', 'receipt', 'attempts', 'maxAttempts', 'backoffType', 'backoffDelay',
  'priority', 'backoffMax', 'wf')
if not f[1] then return fail(ERR.NOT_FOUND, 'job "' .. jobId .. '" does not exist') end
if f[1] ~= 'active' or f[2] ~= receipt then return staleReceipt(jobId, receipt, f[1]) end
-- ZREM first: it does not grow memory, so the nack runs whole at maxmemory too.
redis.call('ZREM', ACTIVE, jobId)
local now = nowMs()
local attempts = tonumber(f[3])
local message = ARGV[5]
if message == '' then message = 'nacked (attempt ' .. attempts .. ')' end
-- a step of a workflow that has ended (cancelled, or failed elsewhere) is not tried again
if f[9] and not wfLive(f[9]) then message = message .. ' (its workflow has ended: not retried)' end
if ARGV[6] ~= '1' or attempts >= tonumber(f[4]) or (f[9] and not wfLive(f[9])) then
  makeDead(key, jobId, now, message, ARGV[8], queue)
  return jobJson(key)
end
local wait = 0
local base = tonumber(f[6]) or 0
if f[5] == 'fixed' then wait = base elseif f[5] == 'exponential' then wait = base * 2 ^ (attempts - 1) end
wait = math.min(wait, tonumber(f[8]) or tonumber(ARGV[9]))
if wait > 0 then
  -- up to 20 % more, so that jobs that failed together do not all come back together
  local runAt = now + math.floor(wait * (1 + 0.2 * tonumber(ARGV[7])))
  redis.call('ZADD', DELAYED, runAt, jobId)
  redis.call('HSET', key, 'state', 'delayed', 'runAt', int(runAt), 'lastError', message)
  redis.call('HDEL', key, 'receipt', 'consumer', 'visibleUntil')
else
  makeWaiting(key, jobId, f[7], false)
  redis.call('HSET', key, 'lastError', message)
  announce(ARGV[8], queue, 1, now)
end
local json = jobJson(key)
publishEvent(ARGV[8], 'job.retrying', now, queue, json)
return json
