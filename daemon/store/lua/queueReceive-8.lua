--[[
  Delivers up to `count` jobs to a consumer: first what fell due (delayed jobs, lapsed deliveries),
  then high before normal before low, first in first out within each. Each delivery gets
  attempts + 1, a new receipt (a fencing token from the queue's counter) and a visibility deadline.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] consumer
  ARGV[4] visibility (ms)
  ARGV[5] most jobs to deliver
  ARGV[6] queues channel
  Returns { JSON array of the delivered Jobs, next due time (epoch ms) or 0 }.
]]
--- @include "includes/queueMoves"
local prefix, queue, consumer = ARGV[1], ARGV[2], ARGV[3]
local visibilityMs, want = tonumber(ARGV[4]), tonumber(ARGV[5])
local now = nowMs()
promoteDue(prefix, now, 100, ARGV[6], queue)
local out = {}
for _, priority in ipairs({ 'high', 'normal', 'low' }) do
  if #out >= want then break end
  local ids = redis.call('RPOP', WAIT[priority], want - #out)
  if ids then
    for i = 1, #ids do
      local key = prefix .. ids[i]
      local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
      if f[1] then
        local receipt = tostring(redis.call('HINCRBY', META, 'receipts', 1))
        local visibleUntil = int(now + visibilityMs)
        f[5], f[6], f[10], f[11], f[12] = 'active', tostring(tonumber(f[6]) + 1), receipt, consumer, visibleUntil
        redis.call('HSET', key, 'state', 'active', 'attempts', f[6], 'receipt', receipt, 'consumer', consumer,
          'visibleUntil', visibleUntil)
        redis.call('ZADD', ACTIVE, visibleUntil, ids[i])
        out[#out + 1] = jobJsonOf(f)
      end
    end
  end
end
return { '[' .. table.concat(out, ',') .. ']', int(nextDue()) }
