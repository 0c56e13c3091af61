--[[
  Delivers up to `count` jobs to a consumer: first what fell due (delayed jobs, lapsed deliveries),
  then high before normal before low, first in first out within each. Each delivery gets
  attempts + 1, a new receipt (a fencing token from the queue's counter) and a visibility deadline.
  A workflow step's job marks its step running.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] consumer
  ARGV[4] visibility (ms)
  ARGV[5] most jobs to deliver
  ARGV[6] queues channel
  Returns { JSON array of the delivered Jobs, next due time (epoch ms) or 0, now (epoch ms) }.
]]
--- @include "includes/queueMoves"
local prefix, queue, consumer = ARGV[1], ARGV[2], ARGV[3]
local visibilityMs, want = tonumber(ARGV[4]), tonumber(ARGV[5])
local now = nowMs()
promoteDue(prefix, now, 100, ARGV[6], queue)
local ids = {}
for _, priority in ipairs({ 'high', 'normal', 'low' }) do
  if #ids >= want then break end
  for _, id in ipairs(redis.call('RPOP', WAIT[priority], want - #ids) or {}) do ids[#ids + 1] = id end
end
if #ids == 0 then return { '[]', int(nextDue()), int(now) } end
-- one counter step for the whole delivery, one ZADD for every visibility deadline
local receipt = redis.call('HINCRBY', META, 'receipts', #ids) - #ids
local out, deadlines = {}, {}
for i = 1, #ids do
  local key = prefix .. ids[i]
  local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
  if f[1] then
    -- a workflow step's job has its own visibility (the step's timeoutMs)
    local visibleUntil = int(now + (tonumber(f[18]) or visibilityMs))
    receipt = receipt + 1
    f[5], f[6], f[10], f[11], f[12] = 'active', tostring(tonumber(f[6]) + 1), int(receipt), consumer, visibleUntil
    redis.call('HSET', key, 'state', 'active', 'attempts', f[6], 'receipt', f[10], 'consumer', consumer,
      'visibleUntil', visibleUntil)
    deadlines[#deadlines + 1] = visibleUntil
    deadlines[#deadlines + 1] = ids[i]
    out[#out + 1] = jobJsonOf(f)
    if f[16] then wfStepStarted(f[16], f[17], f[1], f[6], now, consumer) end
  end
end
if #deadlines > 0 then redis.call('ZADD', ACTIVE, unpack(deadlines)) end
return { '[' .. table.concat(out, ',') .. ']', int(nextDue()), int(now) }
