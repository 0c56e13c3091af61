--- @include "includes/nowMs"
--- @include "includes/publishEvent"
-- A workflow's state and how it advances, shared by the workflow scripts and by the queue scripts
-- that end a step's job (ack, a death), so that a step's end and the enqueueing of what depended on
-- it are one atomic change.
--
-- One hash per workflow (keys.workflow): its own fields (workflowId, name, status, stopOnFailure,
-- startedAt, endedAt, n steps, open = steps not ended, failures = non-optional steps failed, topo =
-- JSON array of step indexes in dependency order, qch / wch = the queues and workflows channels,
-- retentionMs = how long the hash outlives the end, caps = JSON array of the capabilities steps
-- name, agents = JSON array of the agents that received capability steps) and, per step i
-- (1-based), fields "<i>:<what>": name, queue, input (JSON text), deps and next (JSON arrays of
-- indexes), optional, timeoutMs, maxAttempts, state, waiting (dependencies not yet done), run (job
-- runs so far), jobId, result, error, startedAt, endedAt, attempts, cap (JSON {name, version?} of a
-- step naming a capability; its queue is that capability's) and agent (who received its latest
-- delivery). "q:<queue>" holds
-- the JSON array of a queue's keys (QUEUE_KEYS order, then the job prefix), built in keys.ts; a
-- step's job hash carries `wf` (this hash's key) and `wfStep` (i).
--
-- These scripts reach keys they are not given (the workflow from a job, a dependent's queue), in
-- other slots: correct on one Redis, not on a Cluster (docs/workflows.md "Redis layout").

local WF_STEP_FIELDS = { 'name', 'queue', 'state', 'jobId', 'result', 'error', 'startedAt', 'endedAt', 'attempts', 'optional',
  'cap', 'agent' }

-- WorkflowStep JSON of step i; result holds JSON text and is spliced in.
local function wfStepJson(wf, i)
  local names = {}
  for k, field in ipairs(WF_STEP_FIELDS) do names[k] = i .. ':' .. field end
  local f = redis.call('HMGET', wf, unpack(names))
  local json = '{"name":' .. cjson.encode(f[1]) .. ',"queue":' .. cjson.encode(f[2]) .. ',"state":"' .. f[3] ..
    '","attempts":' .. (f[9] or '0')
  if f[10] == '1' then json = json .. ',"optional":true' end
  if f[4] then json = json .. ',"jobId":' .. cjson.encode(f[4]) end
  if f[5] then json = json .. ',"result":' .. f[5] end
  if f[6] then json = json .. ',"error":' .. cjson.encode(f[6]) end
  if f[7] then json = json .. ',"startedAt":' .. f[7] end
  if f[8] then json = json .. ',"endedAt":' .. f[8] end
  if f[11] then json = json .. ',"capability":' .. f[11] end
  if f[12] then json = json .. ',"agent":' .. cjson.encode(f[12]) end
  return json .. '}'
end

-- WorkflowSummary JSON (what the workflow events and workflow.list carry), from the hash.
local function wfSummaryJson(wf)
  local f = redis.call('HMGET', wf, 'workflowId', 'name', 'status', 'startedAt', 'endedAt', 'n', 'open', 'stopOnFailure',
    'caps', 'agents')
  local json = '{"workflowId":' .. cjson.encode(f[1]) .. ',"name":' .. cjson.encode(f[2]) .. ',"status":"' .. f[3] ..
    '","stopOnFailure":' .. (f[8] == '1' and 'true' or 'false') .. ',"startedAt":' .. f[4]
  if f[5] then json = json .. ',"endedAt":' .. f[5] end
  json = json .. ',"stepCount":' .. f[6] .. ',"openSteps":' .. f[7]
  if f[9] then json = json .. ',"capabilities":' .. f[9] end
  if f[10] then json = json .. ',"agents":' .. f[10] end
  return json .. '}'
end

-- What workflow.get adds to step i's JSON (not the events: an input may be large): its definition,
-- dependsOn by name (the editor's graph draws its edges), maxAttempts and input (JSON text, spliced).
local function wfStepDefinitionJson(wf, i, step)
  local f = redis.call('HMGET', wf, i .. ':deps', i .. ':maxAttempts', i .. ':input')
  local names = {}
  for k, d in ipairs(cjson.decode(f[1])) do names[k] = cjson.encode(redis.call('HGET', wf, d .. ':name')) end
  local json = step:sub(1, -2) .. ',"dependsOn":[' .. table.concat(names, ',') .. '],"maxAttempts":' .. f[2]
  if f[3] then json = json .. ',"input":' .. f[3] end
  return json .. '}'
end

-- Workflow JSON: the summary's fields and every step with its definition, in the order they were given.
local function wfJson(wf)
  local n = tonumber(redis.call('HGET', wf, 'n'))
  local steps = {}
  for i = 1, n do steps[i] = wfStepDefinitionJson(wf, i, wfStepJson(wf, i)) end
  local summary = wfSummaryJson(wf)
  return summary:sub(1, -2) .. ',"steps":[' .. table.concat(steps, ',') .. ']}'
end

local function wfPublish(wf, eventType, now, json)
  local f = redis.call('HMGET', wf, 'wch', 'workflowId')
  publishEvent(f[1], eventType, now, f[2], json)
end

local function wfStepEvent(wf, eventType, now, i)
  local id = redis.call('HGET', wf, 'workflowId')
  wfPublish(wf, eventType, now, '{"workflowId":' .. cjson.encode(id) .. ',"step":' .. wfStepJson(wf, i) .. '}')
end

-- Whether the workflow still advances (running or paused).
local function wfLive(wf)
  local status = redis.call('HGET', wf, 'status')
  return status == 'running' or status == 'paused'
end

-- Jobs made receivable by this script, per queue, announced once each at the end (wfAnnounce).
local wfAdded = {}

local function wfAnnounce(wf, now)
  local channel = redis.call('HGET', wf, 'qch')
  for queue, added in pairs(wfAdded) do
    publishEvent(channel, 'queue.enqueued', now, queue, '{"queue":' .. cjson.encode(queue) .. ',"added":' .. added ..
      ',"delayed":0}')
  end
  wfAdded = {}
end

local function wfQueueKeys(wf, queue)
  return cjson.decode(redis.call('HGET', wf, 'q:' .. queue))
end

-- Makes step i a job on its queue: its payload carries the workflow, the step, its input and the
-- result of every dependency that completed. Retries follow the workflow retry policy: exponential
-- backoff from 1 s, capped at 60 s (the job's backoffMax), jitter as every queue job has.
local function wfEnqueue(wf, i, now)
  local f = redis.call('HMGET', wf, i .. ':name', i .. ':queue', i .. ':input', i .. ':deps', i .. ':timeoutMs',
    i .. ':maxAttempts', i .. ':run', 'workflowId')
  local name, queue, workflowId = f[1], f[2], f[8]
  local run = (tonumber(f[7]) or 0) + 1
  local jobId = workflowId .. ':' .. name
  if run > 1 then jobId = jobId .. ':' .. run end
  local results = {}
  for _, d in ipairs(cjson.decode(f[4])) do
    local dep = redis.call('HMGET', wf, d .. ':name', d .. ':state', d .. ':result')
    if dep[2] == 'completed' then results[#results + 1] = cjson.encode(dep[1]) .. ':' .. (dep[3] or 'null') end
  end
  local payload = '{"workflowId":' .. cjson.encode(workflowId) .. ',"step":' .. cjson.encode(name) .. ',"input":' ..
    (f[3] or 'null') .. ',"results":{' .. table.concat(results, ',') .. '}}'
  local qk = wfQueueKeys(wf, queue)
  local key = qk[9] .. jobId
  redis.call('DEL', key)
  redis.call('HSET', key, 'jobId', jobId, 'queue', queue, 'payload', payload, 'priority', 'normal', 'state', 'waiting',
    'attempts', 0, 'maxAttempts', f[6], 'enqueuedAt', int(now), 'backoffType', 'exponential', 'backoffDelay', 1000,
    'backoffMax', 60000, 'wf', wf, 'wfStep', i)
  if f[5] then redis.call('HSET', key, 'visibilityMs', f[5]) end
  redis.call('LPUSH', qk[2], jobId)
  redis.call('HSET', wf, i .. ':state', 'queued', i .. ':jobId', jobId, i .. ':run', run, i .. ':attempts', 0)
  redis.call('HDEL', wf, i .. ':error', i .. ':startedAt', i .. ':endedAt')
  wfAdded[queue] = (wfAdded[queue] or 0) + 1
end

-- Takes a queued step's job off its queue (it has not been received: nobody holds it).
local function wfUnqueue(wf, i)
  local f = redis.call('HMGET', wf, i .. ':queue', i .. ':jobId')
  local qk = wfQueueKeys(wf, f[1])
  local key = qk[9] .. f[2]
  local state = redis.call('HGET', key, 'state')
  if state == 'waiting' then
    redis.call('LREM', qk[2], 1, f[2])
    redis.call('DEL', key)
  elseif state == 'delayed' then
    redis.call('ZREM', qk[4], f[2])
    redis.call('DEL', key)
  end
end

-- Ends the workflow (failed, cancelled or completed): steps that never ran or wait in a queue are
-- cancelled; a running one's end is still recorded, but advances nothing.
local function wfEnd(wf, status, now)
  redis.call('HSET', wf, 'status', status, 'endedAt', int(now))
  -- an ended workflow is kept for its retention (workflowRetentionMs); retryStep keeps it again
  local retention = tonumber(redis.call('HGET', wf, 'retentionMs'))
  if retention then redis.call('PEXPIRE', wf, retention) end
  local n = tonumber(redis.call('HGET', wf, 'n'))
  for i = 1, n do
    local state = redis.call('HGET', wf, i .. ':state')
    if state == 'queued' then wfUnqueue(wf, i) end
    if state == 'queued' or state == 'pending' or state == 'ready' then
      redis.call('HSET', wf, i .. ':state', 'cancelled', i .. ':endedAt', int(now))
    end
  end
  wfPublish(wf, 'workflow.' .. status, now, wfSummaryJson(wf))
end

-- Ends the workflow once no step is open.
local function wfMaybeDone(wf, now)
  local f = redis.call('HMGET', wf, 'open', 'failures')
  if tonumber(f[1]) > 0 then return end
  wfEnd(wf, tonumber(f[2]) > 0 and 'failed' or 'completed', now)
end

-- Whether a dependency in this state lets its dependents run (a completed step, or an optional one
-- that failed), holds them back, or skips them (a failed required step, a skipped one).
local function wfDepEffect(wf, d)
  local f = redis.call('HMGET', wf, d .. ':state', d .. ':optional')
  if f[1] == 'completed' or (f[1] == 'failed' and f[2] == '1') then return 'done' end
  if f[1] == 'failed' or f[1] == 'skipped' then return 'blocks' end
  return 'open'
end

-- Steps that can run now go to their queues (or wait as ready while paused): at start, resume and
-- retryStep, a pass in dependency order over every step that has not run; step ends advance
-- incrementally (wfStepEnded). Recounts open steps and failures.
local function wfReconcile(wf, now)
  local f = redis.call('HMGET', wf, 'topo', 'status', 'stopOnFailure')
  local paused, skipping = f[2] == 'paused', f[3] ~= '1'
  local open, failures = 0, 0
  for _, i in ipairs(cjson.decode(f[1])) do
    local s = redis.call('HMGET', wf, i .. ':state', i .. ':optional', i .. ':deps')
    local state = s[1]
    if state == 'pending' or state == 'ready' or state == 'cancelled' or state == 'skipped' then
      local waiting, blocked = 0, false
      for _, d in ipairs(cjson.decode(s[3])) do
        local effect = wfDepEffect(wf, d)
        if effect == 'blocks' then blocked = true elseif effect == 'open' then waiting = waiting + 1 end
      end
      if blocked and skipping then
        state = 'skipped'
        redis.call('HSET', wf, i .. ':state', state, i .. ':endedAt', int(now))
      elseif waiting == 0 and not blocked then
        if paused then
          state = 'ready'
          redis.call('HSET', wf, i .. ':state', state)
        else
          wfEnqueue(wf, i, now)
          state = 'queued'
        end
      else
        state = 'pending'
        redis.call('HSET', wf, i .. ':state', state, i .. ':waiting', waiting)
        redis.call('HDEL', wf, i .. ':endedAt')
      end
    end
    if state == 'failed' and s[2] ~= '1' then failures = failures + 1 end
    if state ~= 'completed' and state ~= 'failed' and state ~= 'skipped' then open = open + 1 end
  end
  redis.call('HSET', wf, 'open', open, 'failures', failures)
  wfAnnounce(wf, now)
end

-- Skips the pending dependents of step i, and theirs.
local function wfSkipAfter(wf, i, now)
  for _, d in ipairs(cjson.decode(redis.call('HGET', wf, i .. ':next'))) do
    if redis.call('HGET', wf, d .. ':state') == 'pending' then
      redis.call('HSET', wf, d .. ':state', 'skipped', d .. ':endedAt', int(now))
      redis.call('HINCRBY', wf, 'open', -1)
      wfSkipAfter(wf, d, now)
    end
  end
end

-- A step's job ended: acked (ok, value = result JSON text or '') or dead (value = the error).
-- Records it on the step and advances the workflow: dependents whose dependencies are all done go
-- to their queues; a failed required step fails the run (stopOnFailure) or skips its dependents.
-- A job that is not the step's current one (a replayed or superseded run) changes nothing.
local function wfStepEnded(wf, i, jobId, ok, value, attempts, now)
  local s = redis.call('HMGET', wf, 'status', i .. ':state', i .. ':jobId', i .. ':optional', 'stopOnFailure')
  if not s[1] or s[3] ~= jobId or (s[2] ~= 'queued' and s[2] ~= 'running') then return end
  local live = s[1] == 'running' or s[1] == 'paused'
  if ok then
    redis.call('HSET', wf, i .. ':state', 'completed', i .. ':endedAt', int(now), i .. ':attempts', attempts)
    if value ~= '' then redis.call('HSET', wf, i .. ':result', value) end
  else
    redis.call('HSET', wf, i .. ':state', 'failed', i .. ':endedAt', int(now), i .. ':attempts', attempts,
      i .. ':error', value)
  end
  if live then redis.call('HINCRBY', wf, 'open', -1) end
  wfStepEvent(wf, ok and 'step.completed' or 'step.failed', now, i)
  if not live then return end
  if ok or s[4] == '1' then
    local paused = s[1] == 'paused'
    for _, d in ipairs(cjson.decode(redis.call('HGET', wf, i .. ':next'))) do
      if redis.call('HGET', wf, d .. ':state') == 'pending' and redis.call('HINCRBY', wf, d .. ':waiting', -1) <= 0 then
        if paused then redis.call('HSET', wf, d .. ':state', 'ready') else wfEnqueue(wf, d, now) end
      end
    end
    wfAnnounce(wf, now)
  else
    redis.call('HINCRBY', wf, 'failures', 1)
    if s[5] == '1' then return wfEnd(wf, 'failed', now) end
    wfSkipAfter(wf, i, now)
  end
  wfMaybeDone(wf, now)
end

-- A step's job was delivered to `consumer`: the step runs (attempt `attempts`). A capability
-- step records the consumer as its agent (only agents advertising it receive from its queue).
local function wfStepStarted(wf, i, jobId, attempts, now, consumer)
  local s = redis.call('HMGET', wf, i .. ':jobId', i .. ':state', i .. ':startedAt', i .. ':cap')
  if s[1] ~= jobId or (s[2] ~= 'queued' and s[2] ~= 'running') then return end
  redis.call('HSET', wf, i .. ':state', 'running', i .. ':attempts', attempts)
  if not s[3] then redis.call('HSET', wf, i .. ':startedAt', int(now)) end
  if s[4] then
    redis.call('HSET', wf, i .. ':agent', consumer)
    local agents = cjson.decode(redis.call('HGET', wf, 'agents') or '[]')
    local known = false
    for _, agent in ipairs(agents) do known = known or agent == consumer end
    if not known then
      agents[#agents + 1] = consumer
      redis.call('HSET', wf, 'agents', cjson.encode(agents))
    end
  end
  if s[2] == 'queued' then wfStepEvent(wf, 'step.started', now, i) end
end
