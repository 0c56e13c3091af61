--[[
  Drops every signal agentId could take (of one type, or all): direct ones are deleted, broadcasts
  are marked seen by this agent only. Walks the indexes a chunk at a time, so a long box costs
  time in proportion but never one huge reply.

  KEYS[1] the agent's inbox
  KEYS[2] broadcast set
  KEYS[3] the agent's seen-broadcasts set
  KEYS[4] the agent's broadcast floors
  ARGV[1] agentId
  ARGV[2] type, or ""
  ARGV[3] signal key prefix
  ARGV[4] signals channel
  Returns how many were cleared; publishes signal.cleared when any were.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/signalMatch"
local inbox, broadcasts = signalBoxes(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3], ARGV[1], ARGV[2], '')
local cleared = 0
for _, scan in ipairs({ inbox, broadcasts }) do
  eachMatch(scan, 0, function(sig)
    signalTaken(scan, sig)
    cleared = cleared + 1
    return false, true
  end)
end
if cleared > 0 then
  local signalType = cjson.null
  if ARGV[2] ~= '' then signalType = ARGV[2] end
  publishEvent(ARGV[4], 'signal.cleared', nowMs(), ARGV[1],
    cjson.encode({ agentId = ARGV[1], type = signalType, cleared = cleared }))
end
return cleared
