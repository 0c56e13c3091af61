--[[
  KEYS[1] agent hash
  Returns the AgentStatus JSON, or nil.
]]
--- @include "includes/agentJson"
return agentJson(KEYS[1])
