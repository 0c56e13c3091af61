--[[
  One consistent snapshot of the alive agents plus those that ended within the window.

  KEYS[1] expiry index (alive agents)
  KEYS[2] ended index
  ARGV[1] agent key prefix
  ARGV[2] window for ended agents (ms)
  Returns a JSON array of AgentStatus.
]]
--- @include "includes/nowMs"
--- @include "includes/agentJson"
local out = agentsJsonArray(ARGV[1], redis.call('ZRANGE', KEYS[1], 0, -1), {})
agentsJsonArray(ARGV[1], redis.call('ZRANGEBYSCORE', KEYS[2], nowMs() - tonumber(ARGV[2]), '+inf'), out)
return '[' .. table.concat(out, ',') .. ']'
