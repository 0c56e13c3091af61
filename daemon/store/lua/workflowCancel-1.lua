--[[
  Cancels a running or paused workflow: steps not yet received never run (their waiting jobs leave
  their queues); a running step's end is still recorded but advances nothing.

  KEYS[1] the workflow hash (includes/workflowSteps)
  ARGV[1] workflowId (for errors)
  Returns the Workflow JSON; publishes workflow.cancelled. Errors: NOT_FOUND, CONFLICT (it has ended).
]]
--- @include "includes/scriptErrors"
--- @include "includes/workflowSteps"
local wf = KEYS[1]
local status = redis.call('HGET', wf, 'status')
if not status then return fail(ERR.NOT_FOUND, 'workflow "' .. ARGV[1] .. '" does not exist') end
if status ~= 'running' and status ~= 'paused' then
  return fail(ERR.CONFLICT, 'workflow "' .. ARGV[1] .. '" has ended (' .. status .. ')')
end
wfEnd(wf, 'cancelled', nowMs())
return wfJson(wf)
