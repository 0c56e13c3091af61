--[[
  Moves the window of agents whose failure-rate alert is on to now, so an alert recovers when its
  failures age out even if the agent records nothing more (an agent that stopped).

  KEYS[1] alerting agents (zset: agent -> when its alert was last settled; the longest unvisited first)
  ARGV[1] agent hash prefix
  ARGV[2] running window key prefix
  ARGV[3] bucket key prefix
  ARGV[4] alert threshold (percent)
  ARGV[5] outcomes an agent needs before an alert
  ARGV[6] outcomes channel
  ARGV[7] agents to visit at most
  Returns how many agents recovered (publishing alert.recovered for each); those still on go to
  the back of the set, so a sweep of many reaches every one in turn.
]]
--- @include "includes/outcomeWindow"
local now = nowMs()
local bucket = math.floor(now / BUCKET_MS)
local recovered = 0
for _, agentName in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[7]) - 1)) do
  local w = openWindow(ARGV[1], ARGV[2], ARGV[3], agentName, bucket)
  settleAlert(w, KEYS[1], tonumber(ARGV[4]), tonumber(ARGV[5]), now, ARGV[6])
  saveWindow(w)
  if w.alerting then redis.call('ZADD', KEYS[1], 'XX', now, agentName) else recovered = recovered + 1 end
end
return recovered
