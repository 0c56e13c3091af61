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
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'k', ARGV[1], 'j', ARGV[2])
local ts = tonumber(string.match(id, '^(%d+)'))
if ARGV[5] ~= '' then
  publishEvent(ARGV[4], ARGV[5], ts, ARGV[7], string.sub(ARGV[6], 1, -2) .. ',"ts":' .. int(ts) .. '}')
end
return id
