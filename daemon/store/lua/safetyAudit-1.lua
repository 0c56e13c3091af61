--[[
  Appends one decision to the audit stream (trimmed near its cap) and, when an event type is
  given, announces it on the safety channel in the same step.

  KEYS[1] audit stream
  ARGV[1] kind (blocked, warned, policy_denied…)
  ARGV[2] AuditEntry fields as a JSON object text without id and ts: {"kind",…}
  ARGV[3] approximate stream cap
  ARGV[4] safety channel
  ARGV[5] event type to publish, or ''
  ARGV[6] event data JSON text (its "ts" is filled from the entry id)
  ARGV[7] event routing key
  Returns the entry id.
]]
--- @include "includes/publishEvent"
--- @include "includes/auditAppend"
local id, ts = auditAppend(KEYS[1], ARGV[3], ARGV[1], ARGV[2])
if ARGV[5] ~= '' then
  publishEvent(ARGV[4], ARGV[5], ts, ARGV[7], withField(ARGV[6], 'ts', ts))
end
return id
