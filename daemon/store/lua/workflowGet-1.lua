--[[
  One workflow with its steps, or its summary.

  KEYS[1] the workflow hash (includes/workflowSteps)
  ARGV[1] "1": only the WorkflowSummary
  Returns the Workflow (or WorkflowSummary) JSON, or nil when there is none.
]]
--- @include "includes/workflowSteps"
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if ARGV[1] == '1' then return wfSummaryJson(KEYS[1]) end
return wfJson(KEYS[1])
