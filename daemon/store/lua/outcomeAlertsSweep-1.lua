--[[
  Moves the window of agents whose failure-rate alert is on to now, so an alert recovers when its
  failures age out even if the agent records nothing more (an agent that stopped).

  KEYS[1] alerting agents (zset: agent -> when its alert was last settled; the longest unvisited first)
  ARGV[1] agent hash prefix
  ARGV[2] bucket key prefix
  ARGV[3] alert threshold (percent)
  ARGV[4] outcomes an agent needs before an alert
  ARGV[5] outcomes channel
  ARGV[6] agents to visit at most
  Returns how many agents recovered (publishing alert.recovered for each); those still on go to
  the back of the set, so a sweep of many reaches every one in turn.
]]
--- @include "includes/outcomeAlerts"
local now = nowMs()
local bucket = math.floor(now / BUCKET_MS)
local recovered = 0
for _, agentName in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[6]) - 1)) do
  local agentKey = ARGV[1] .. agentName
  local w = alertWindow(agentKey, ARGV[2] .. agentName .. ':', bucket)
  settleAlert(agentKey, KEYS[1], agentName, w, tonumber(ARGV[3]), tonumber(ARGV[4]), now, ARGV[5])
  if w.alerting then redis.call('ZADD', KEYS[1], 'XX', now, agentName) else recovered = recovered + 1 end
end
return recovered
