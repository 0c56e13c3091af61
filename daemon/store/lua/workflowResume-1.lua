--[[
  Resumes a paused workflow: the steps that became ready meanwhile go to their queues.

  KEYS[1] the workflow hash (includes/workflowSteps)
  ARGV[1] workflowId (for errors)
  Returns the Workflow JSON; publishes workflow.resumed. Errors: NOT_FOUND, CONFLICT (not paused).
]]
--- @include "includes/scriptErrors"
--- @include "includes/workflowSteps"
local wf = KEYS[1]
local status = redis.call('HGET', wf, 'status')
if not status then return fail(ERR.NOT_FOUND, 'workflow "' .. ARGV[1] .. '" does not exist') end
if status ~= 'paused' then return fail(ERR.CONFLICT, 'workflow "' .. ARGV[1] .. '" is ' .. status .. ', not paused') end
local now = nowMs()
redis.call('HSET', wf, 'status', 'running')
wfReconcile(wf, now)
wfPublish(wf, 'workflow.resumed', now, wfSummaryJson(wf))
wfMaybeDone(wf, now)
return wfJson(wf)
