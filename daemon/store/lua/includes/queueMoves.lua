--- @include "includes/scriptErrors"
--- @include "includes/queueJob"
--- @include "includes/publishEvent"
--- @include "includes/workflowSteps"
-- The transitions several queue scripts share.

-- The CONFLICT a delivery's call gets when its receipt is not the job's current one.
local function staleReceipt(jobId, receipt, state)
  return fail(ERR.CONFLICT, 'job "' .. jobId .. '" is not held with receipt "' .. receipt .. '" (it is ' .. state ..
    '; its delivery was superseded or ended)')
end

-- Puts a job at the back of its priority's line (LPUSH in, RPOP out). `front`: at the head instead,
-- for a delivery that was lost rather than failed, so it keeps its place.
local function makeWaiting(key, jobId, priority, front)
  if front then redis.call('RPUSH', WAIT[priority], jobId) else redis.call('LPUSH', WAIT[priority], jobId) end
  redis.call('HSET', key, 'state', 'waiting')
  redis.call('HDEL', key, 'runAt', 'receipt', 'consumer', 'visibleUntil')
end

-- Ends a job as dead: it stays, with its last error, until replayed or purged.
local function makeDead(key, jobId, now, lastError, channel, queue)
  redis.call('ZADD', DEAD, now, jobId)
  redis.call('HSET', key, 'state', 'dead', 'finishedAt', int(now), 'lastError', lastError)
  redis.call('HDEL', key, 'runAt', 'receipt', 'consumer', 'visibleUntil')
  publishEvent(channel, 'job.dead', now, queue, jobJson(key))
  local step = redis.call('HMGET', key, 'wf', 'wfStep', 'attempts')
  if step[1] then wfStepEnded(step[1], step[2], jobId, false, lastError, step[3], now) end
end

-- Tells blocked receivers (on every daemon) that `added` jobs can be received now, or that
-- `delayed` jobs will be (so that they look again when those fall due).
local function announce(channel, queue, added, now, delayed)
  delayed = delayed or 0
  if added > 0 or delayed > 0 then
    publishEvent(channel, 'queue.enqueued', now, queue, '{"queue":' .. cjson.encode(queue) .. ',"added":' .. added ..
      ',"delayed":' .. delayed .. '}')
  end
end

-- What falls due by `now`, up to `batch` of each: delayed jobs join their line; a delivery whose
-- visibility ran out goes back to the head of its line (attempts left) or dead (none left).
-- Returns how many jobs became receivable.
local function promoteDue(prefix, now, batch, channel, queue)
  local moved = 0
  -- Each job leaves its index (a ZREM, which does not grow memory) before anything else is
  -- written: at maxmemory a script whose first write grows memory is refused whole, and these
  -- moves must still happen then.
  local due = redis.call('ZRANGE', DELAYED, '-inf', now, 'BYSCORE', 'LIMIT', 0, batch)
  for i = 1, #due do
    local key = prefix .. due[i]
    redis.call('ZREM', DELAYED, due[i])
    local priority = redis.call('HGET', key, 'priority')
    if priority then
      makeWaiting(key, due[i], priority, false)
      moved = moved + 1
    end
  end
  local lapsed = redis.call('ZRANGE', ACTIVE, '-inf', now, 'BYSCORE', 'LIMIT', 0, batch)
  local back = {}
  for i = 1, #lapsed do
    local key = prefix .. lapsed[i]
    redis.call('ZREM', ACTIVE, lapsed[i])
    local f = redis.call('HMGET', key, 'priority', 'attempts', 'maxAttempts', 'consumer', 'receipt')
    if f[1] then
      local reason = 'visibility ran out (delivery ' .. f[2] .. ' to ' .. f[4] .. ')'
      if tonumber(f[2]) >= tonumber(f[3]) then
        makeDead(key, lapsed[i], now, reason, channel, queue)
      else
        back[#back + 1] = { id = lapsed[i], key = key, priority = f[1], receipt = tonumber(f[5]), reason = reason }
      end
    end
  end
  -- Back to the head of their lines in the order they were delivered: pushed newest first, so the
  -- oldest delivery is received first again.
  table.sort(back, function(a, b) return a.receipt > b.receipt end)
  for _, job in ipairs(back) do
    makeWaiting(job.key, job.id, job.priority, true)
    redis.call('HSET', job.key, 'lastError', job.reason)
    publishEvent(channel, 'job.retrying', now, queue, jobJson(job.key))
    moved = moved + 1
  end
  announce(channel, queue, moved, now)
  return moved
end
