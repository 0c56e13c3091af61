--[[
  Drops every signal agentId could take (of one type, or all): direct ones are deleted, broadcasts
  are marked seen by this agent only.

  KEYS[1] the agent's inbox
  KEYS[2] broadcast set
  KEYS[3] the agent's seen-broadcasts set
  ARGV[1] agentId
  ARGV[2] type, or ""
  ARGV[3] signal key prefix
  ARGV[4] signals channel
  Returns how many were cleared; publishes signal.cleared when any were.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/signalMatch"
local direct = signalMatches(KEYS[1], ARGV[3], ARGV[1], nil, ARGV[2], '', -1)
local broadcast = signalMatches(KEYS[2], ARGV[3], ARGV[1], KEYS[3], ARGV[2], '', -1)
for i = 1, #direct do signalTaken(direct[i], KEYS[1], ARGV[3], KEYS[3]) end
for i = 1, #broadcast do signalTaken(broadcast[i], KEYS[2], ARGV[3], KEYS[3]) end
local cleared = #direct + #broadcast
if cleared > 0 then
  local signalType = cjson.null
  if ARGV[2] ~= '' then signalType = ARGV[2] end
  publishEvent(ARGV[4], 'signal.cleared', nowMs(), ARGV[1],
    cjson.encode({ agentId = ARGV[1], type = signalType, cleared = cleared }))
end
return cleared
