--[[
  The oldest signal agentId may take (its own inbox and the broadcasts it has not seen), matching
  type and source; with consume, takes it so no one else gets it (signal.check / signal.wait).
  Reads the type's indexes when filtering by type, and only as far as the first match.

  KEYS[1] the agent's inbox
  KEYS[2] broadcast set
  KEYS[3] the agent's seen-broadcasts set
  KEYS[4] the agent's broadcast floors
  ARGV[1] agentId
  ARGV[2] type, or ""
  ARGV[3] source, or ""
  ARGV[4] "1" to consume
  ARGV[5] signal key prefix
  ARGV[6] signals channel
  Returns the Signal JSON, or nil; publishes signal.consumed when consuming.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/signalMatch"
local inbox, broadcasts = signalBoxes(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[5], ARGV[1], ARGV[2], ARGV[3])
local sig = bySeq(signalMatches(inbox, 0, 1), signalMatches(broadcasts, 0, 1))[1]
if not sig then return nil end
if ARGV[4] == '1' then
  signalTaken(sig.broadcast and broadcasts or inbox, sig)
  publishEvent(ARGV[6], 'signal.consumed', nowMs(), sig.target, cjson.encode({ signalId = sig.id,
    type = sig.type, source = sig.source, target = sig.target, by = ARGV[1] }))
end
return sig.json
