--[[
  Completes deliveries of one queue: the acks that reached the daemon in the same tick, in one call.
  Only the current delivery's receipt completes a job; an ack repeated with that receipt answers the
  completed job again (a retry after a lost reply). The newest `kept` completed jobs are kept.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] completed jobs to keep
  ARGV[3…] three values per ack: jobId, receipt, result JSON text ('' for none)
  Returns, per ack in order, its Job JSON or an error: NOT_FOUND, CONFLICT (stale receipt).
]]
--- @include "includes/scriptErrors"
--- @include "includes/queueJob"
local prefix, kept = ARGV[1], tonumber(ARGV[2])
local now = nowMs()
local finishedAt = int(now)
local replies, completed, released = {}, {}, {}
for i = 3, #ARGV, 3 do
  local jobId, receipt, result = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = prefix .. jobId
  -- One read of every field; the completed job is built from it, not read back.
  local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
  if not f[1] then
    replies[#replies + 1] = fail(ERR.NOT_FOUND, 'job "' .. jobId .. '" does not exist')
  elseif f[10] ~= receipt or (f[5] ~= 'active' and f[5] ~= 'completed') then
    replies[#replies + 1] = fail(ERR.CONFLICT, 'job "' .. jobId .. '" is not held with receipt "' .. receipt ..
      '" (it is ' .. f[5] .. '; its delivery was superseded or ended)')
  elseif f[5] == 'completed' then
    replies[#replies + 1] = jobJsonOf(f)
  else
    -- HSET first: at maxmemory Redis refuses the script before anything is written. The receipt
    -- stays, so a repeated ack is recognised; consumer and visibleUntil show only while active.
    if result == '' then
      redis.call('HSET', key, 'state', 'completed', 'finishedAt', finishedAt)
    else
      redis.call('HSET', key, 'state', 'completed', 'finishedAt', finishedAt, 'result', result)
      f[14] = result
    end
    f[5], f[15] = 'completed', finishedAt
    completed[#completed + 1] = now
    completed[#completed + 1] = jobId
    released[#released + 1] = jobId
    replies[#replies + 1] = jobJsonOf(f)
  end
end
if #released > 0 then
  redis.call('ZADD', COMPLETED, unpack(completed))
  redis.call('ZREM', ACTIVE, unpack(released))
  redis.call('HINCRBY', META, 'completedTotal', #released)
  local over = redis.call('ZCARD', COMPLETED) - kept
  if over > 0 then
    local old = redis.call('ZPOPMIN', COMPLETED, over)
    for i = 1, #old, 2 do redis.call('DEL', prefix .. old[i]) end
  end
end
return replies
