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
--- @include "includes/queueMoves"
local prefix, kept = ARGV[1], tonumber(ARGV[2])
local now = nowMs()
local finishedAt = int(now)
local replies, done, repeats = {}, {}, {}
local byId = {}
-- First every ack is checked, with one read of every field (the completed job is built from it,
-- not read back); then the writes, ZREM first: it does not grow memory, so at maxmemory the acks
-- still run whole.
for i = 3, #ARGV, 3 do
  local jobId, receipt, result = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local f = redis.call('HMGET', prefix .. jobId, unpack(JOB_FIELDS))
  local earlier = byId[jobId]
  if earlier and earlier.f[10] == receipt then
    -- the same ack twice in one call (a retry): answered as the first
    repeats[#repeats + 1] = { reply = #replies + 1, of = earlier }
    replies[#replies + 1] = false
  elseif not f[1] then
    replies[#replies + 1] = fail(ERR.NOT_FOUND, 'job "' .. jobId .. '" does not exist')
  elseif f[10] ~= receipt or (f[5] ~= 'active' and f[5] ~= 'completed') then
    replies[#replies + 1] = staleReceipt(jobId, receipt, f[5])
  elseif f[5] == 'completed' then
    replies[#replies + 1] = jobJsonOf(f)
  else
    f[5], f[15] = 'completed', finishedAt
    if result ~= '' then f[14] = result end
    done[#done + 1] = { reply = #replies + 1, f = f, result = result }
    byId[jobId] = done[#done]
    replies[#replies + 1] = false
  end
end
if #done == 0 then return replies end
local ids, completed = {}, {}
for k, job in ipairs(done) do
  ids[k] = job.f[1]
  completed[2 * k - 1] = now
  completed[2 * k] = job.f[1]
end
redis.call('ZREM', ACTIVE, unpack(ids))
for _, job in ipairs(done) do
  -- The receipt stays, so a repeated ack is recognised; consumer and visibleUntil show only while active.
  local key = prefix .. job.f[1]
  if job.result == '' then
    redis.call('HSET', key, 'state', 'completed', 'finishedAt', finishedAt)
  else
    redis.call('HSET', key, 'state', 'completed', 'finishedAt', finishedAt, 'result', job.result)
  end
  replies[job.reply] = jobJsonOf(job.f)
  if job.f[16] then wfStepEnded(job.f[16], job.f[17], job.f[1], true, job.result, job.f[6], now) end
end
for _, again in ipairs(repeats) do replies[again.reply] = replies[again.of.reply] end
redis.call('ZADD', COMPLETED, unpack(completed))
redis.call('HINCRBY', META, 'completedTotal', #done)
local over = redis.call('ZCARD', COMPLETED) - kept
if over > 0 then
  local old = redis.call('ZPOPMIN', COMPLETED, over)
  for i = 1, #old, 2 do redis.call('DEL', prefix .. old[i]) end
end
return replies
