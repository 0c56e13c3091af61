--[[
  Starts a workflow: writes its steps and sends those without dependencies to their queues. A
  workflowId that exists answers that workflow unchanged (idempotent start). Its id joins the
  workflow index (another slot) from the daemon, before this script.

  KEYS[1] the workflow hash (includes/workflowSteps)
  ARGV[1] workflowId
  ARGV[2] queues channel
  ARGV[3] workflows channel
  ARGV[4] retention (ms): the hash expires this long after the workflow ends
  ARGV[5…] field, value pairs of the workflow's definition (name, stopOnFailure, n, topo, per step
    and per queue fields), checked by the daemon
  Returns the Workflow JSON; publishes workflow.started.
]]
--- @include "includes/workflowSteps"
local wf = KEYS[1]
if redis.call('EXISTS', wf) == 1 then return wfJson(wf) end
local now = nowMs()
-- in slices: unpack has a stack limit, and a 1 000-step workflow has tens of thousands of values
for from = 5, #ARGV, 1000 do
  redis.call('HSET', wf, unpack(ARGV, from, math.min(from + 999, #ARGV)))
end
redis.call('HSET', wf, 'workflowId', ARGV[1], 'qch', ARGV[2], 'wch', ARGV[3], 'retentionMs', ARGV[4], 'status', 'running',
  'startedAt', int(now), 'open', 0, 'failures', 0)
wfReconcile(wf, now)
wfPublish(wf, 'workflow.started', now, wfSummaryJson(wf))
wfMaybeDone(wf, now)
return wfJson(wf)
