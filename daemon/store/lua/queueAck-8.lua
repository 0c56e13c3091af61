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
local replies, done = {}, 0
for i = 3, #ARGV, 3 do
  local jobId, receipt, result = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = prefix .. jobId
  local f = redis.call('HMGET', key, 'state', 'receipt')
  if not f[1] then
    replies[#replies + 1] = fail(ERR.NOT_FOUND, 'job "' .. jobId .. '" does not exist')
  elseif f[2] ~= receipt or (f[1] ~= 'active' and f[1] ~= 'completed') then
    replies[#replies + 1] = fail(ERR.CONFLICT, 'job "' .. jobId .. '" is not held with receipt "' .. receipt ..
      '" (it is ' .. f[1] .. '; its delivery was superseded or ended)')
  elseif f[1] == 'completed' then
    replies[#replies + 1] = jobJson(key)
  else
    -- ZADD first: at maxmemory Redis refuses the script before anything is written.
    redis.call('ZADD', COMPLETED, now, jobId)
    redis.call('ZREM', ACTIVE, jobId)
    redis.call('HSET', key, 'state', 'completed', 'finishedAt', int(now))
    if result ~= '' then redis.call('HSET', key, 'result', result) end
    redis.call('HDEL', key, 'consumer', 'visibleUntil')
    done = done + 1
    replies[#replies + 1] = jobJson(key)
  end
end
if done > 0 then
  redis.call('HINCRBY', META, 'completedTotal', done)
  local over = redis.call('ZCARD', COMPLETED) - kept
  if over > 0 then
    local old = redis.call('ZPOPMIN', COMPLETED, over)
    for i = 1, #old, 2 do redis.call('DEL', prefix .. old[i]) end
  end
end
return replies
