--[[
  Runs a failed, cancelled or skipped step again (a new job, with fresh attempts) and reopens its
  workflow: the steps it held back run after it. Completed steps never run again: their results are
  the checkpoint the retried step and its dependents start from. A reopened workflow no longer
  expires until it ends again.

  KEYS[1] the workflow hash (includes/workflowSteps)
  ARGV[1] workflowId (for errors)
  ARGV[2] step name
  Returns the Workflow JSON; publishes workflow.resumed. Errors: NOT_FOUND (workflow or step),
  CONFLICT (the step has not ended in failure, or the workflow was cancelled).
]]
--- @include "includes/scriptErrors"
--- @include "includes/workflowSteps"
local wf, id, step = KEYS[1], ARGV[1], ARGV[2]
local f = redis.call('HMGET', wf, 'status', 'n:' .. step)
if not f[1] then return fail(ERR.NOT_FOUND, 'workflow "' .. id .. '" does not exist') end
if not f[2] then return fail(ERR.NOT_FOUND, 'workflow "' .. id .. '" has no step "' .. step .. '"') end
if f[1] == 'cancelled' then return fail(ERR.CONFLICT, 'workflow "' .. id .. '" was cancelled') end
local i = f[2]
local state = redis.call('HGET', wf, i .. ':state')
if state ~= 'failed' and state ~= 'cancelled' and state ~= 'skipped' then
  return fail(ERR.CONFLICT, 'step "' .. step .. '" is ' .. state .. ' (only a failed, cancelled or skipped step is retried)')
end
local now = nowMs()
redis.call('HSET', wf, i .. ':state', 'pending')
if f[1] ~= 'paused' then redis.call('HSET', wf, 'status', 'running') end
redis.call('HDEL', wf, 'endedAt')
-- reopened: kept until it ends again (its retention starts over then)
redis.call('PERSIST', wf)
wfReconcile(wf, now)
wfPublish(wf, 'workflow.resumed', now, wfSummaryJson(wf))
local s = redis.call('HMGET', wf, 'stopOnFailure', 'failures')
if s[1] == '1' and tonumber(s[2]) > 0 then wfEnd(wf, 'failed', now) else wfMaybeDone(wf, now) end
return wfJson(wf)
