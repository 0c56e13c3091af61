--[[
  Alive agents whose last beat is older than the threshold.

  KEYS[1] beats index
  ARGV[1] agent key prefix
  ARGV[2] threshold (ms)
  Returns a JSON array of AgentStatus, longest silent first.
]]
--- @include "includes/nowMs"
--- @include "includes/agentJson"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. int(nowMs() - tonumber(ARGV[2])))
return '[' .. table.concat(agentsJsonArray(ARGV[1], ids, {}), ',') .. ']'
