--- @include "includes/nowMs"
-- A queue's scripts take its keys in one order (daemon/store/scripts.ts QUEUE_KEYS):
-- KEYS[1..3] the waiting lists of high, normal and low priority, KEYS[4] delayed, KEYS[5] active,
-- KEYS[6] dead, KEYS[7] completed, KEYS[8] meta; and the job key prefix as their first argument.
local WAIT = { high = KEYS[1], normal = KEYS[2], low = KEYS[3] }
local DELAYED, ACTIVE, DEAD, COMPLETED, META = KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]

local JOB_FIELDS = { 'jobId', 'queue', 'payload', 'priority', 'state', 'attempts', 'maxAttempts', 'enqueuedAt',
  'runAt', 'receipt', 'consumer', 'visibleUntil', 'lastError', 'result', 'finishedAt', 'wf', 'wfStep', 'visibilityMs' }
-- wf and wfStep mark a workflow step's job (includes/workflowSteps); visibilityMs is that step's timeoutMs.

-- Job JSON from field values (as HMGET JOB_FIELDS returns them). payload and result already hold
-- JSON text and are spliced in; what belongs to a delivery shows only while the job is active.
local function jobJsonOf(f)
  local state = f[5]
  local json = '{"jobId":' .. cjson.encode(f[1]) .. ',"queue":' .. cjson.encode(f[2]) .. ',"payload":' .. f[3] ..
    ',"priority":"' .. f[4] .. '","state":"' .. state .. '","attempts":' .. f[6] .. ',"maxAttempts":' .. f[7] ..
    ',"enqueuedAt":' .. f[8]
  if f[18] then json = json .. ',"visibilityMs":' .. f[18] end
  if state == 'delayed' and f[9] then json = json .. ',"runAt":' .. f[9] end
  if state == 'active' then
    json = json .. ',"receipt":' .. cjson.encode(f[10]) .. ',"consumer":' .. cjson.encode(f[11]) ..
      ',"visibleUntil":' .. f[12]
  end
  if f[13] then json = json .. ',"lastError":' .. cjson.encode(f[13]) end
  if f[14] then json = json .. ',"result":' .. f[14] end
  if f[15] and (state == 'completed' or state == 'dead') then json = json .. ',"finishedAt":' .. f[15] end
  return json .. '}'
end

-- Job JSON of a job hash, or nil when it is gone.
local function jobJson(key)
  local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
  if not f[1] then return nil end
  return jobJsonOf(f)
end

-- Waiting, delayed and active jobs: what maxLength bounds.
local function queueLength()
  return redis.call('LLEN', WAIT.high) + redis.call('LLEN', WAIT.normal) + redis.call('LLEN', WAIT.low) +
    redis.call('ZCARD', DELAYED) + redis.call('ZCARD', ACTIVE)
end

-- The queue's maxLength: its own (queue.configure), else the daemon's default.
local function maxLength(default)
  return tonumber(redis.call('HGET', META, 'maxLength')) or tonumber(default)
end

-- QueueStats JSON.
local function statsJson(defaultMaxLength)
  return '{"waiting":{"high":' .. redis.call('LLEN', WAIT.high) .. ',"normal":' .. redis.call('LLEN', WAIT.normal) ..
    ',"low":' .. redis.call('LLEN', WAIT.low) .. '},"delayed":' .. redis.call('ZCARD', DELAYED) ..
    ',"active":' .. redis.call('ZCARD', ACTIVE) .. ',"completed":' .. redis.call('ZCARD', COMPLETED) ..
    ',"dead":' .. redis.call('ZCARD', DEAD) .. ',"completedTotal":' ..
    (redis.call('HGET', META, 'completedTotal') or '0') .. ',"maxLength":' .. int(maxLength(defaultMaxLength)) .. '}'
end

-- The earliest time something falls due here (a delayed job, or the end of a delivery's visibility),
-- or 0: a blocked queue.receive looks again then, and the sweeper is told when to come back.
local function nextDue()
  local d = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')[2]
  local a = redis.call('ZRANGE', ACTIVE, 0, 0, 'WITHSCORES')[2]
  if d and a then return math.min(tonumber(d), tonumber(a)) end
  return tonumber(d or a or 0)
end
