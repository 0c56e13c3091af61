--[[
  Every signal agentId could still take, oldest first.

  KEYS[1] the agent's inbox
  KEYS[2] broadcast set
  KEYS[3] the agent's seen-broadcasts set
  ARGV[1] agentId
  ARGV[2] type, or ""
  ARGV[3] signal key prefix
  Returns a JSON array of Signal.
]]
--- @include "includes/signalMatch"
local all = bySeq(signalMatches(KEYS[1], ARGV[3], ARGV[1], nil, ARGV[2], '', -1),
  signalMatches(KEYS[2], ARGV[3], ARGV[1], KEYS[3], ARGV[2], '', -1))
local out = {}
for i = 1, #all do out[i] = all[i].json end
return '[' .. table.concat(out, ',') .. ']'
