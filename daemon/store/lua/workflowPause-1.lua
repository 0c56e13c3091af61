--[[
  Pauses a running workflow: steps already in their queues run and are recorded, but no further
  step is enqueued (those that could run wait as ready) until workflow.resume.

  KEYS[1] the workflow hash (includes/workflowSteps)
  ARGV[1] workflowId (for errors)
  Returns the Workflow JSON; publishes workflow.paused. Errors: NOT_FOUND, CONFLICT (not running).
]]
--- @include "includes/scriptErrors"
--- @include "includes/workflowSteps"
local wf = KEYS[1]
local status = redis.call('HGET', wf, 'status')
if not status then return fail(ERR.NOT_FOUND, 'workflow "' .. ARGV[1] .. '" does not exist') end
if status ~= 'running' then return fail(ERR.CONFLICT, 'workflow "' .. ARGV[1] .. '" is ' .. status .. ', not running') end
redis.call('HSET', wf, 'status', 'paused')
wfPublish(wf, 'workflow.paused', nowMs(), wfSummaryJson(wf))
return wfJson(wf)
