--[[
  Registers (or re-registers, active again) one tool version, bumps the registry version, audits
  `tool_registered` and publishes `tool.registered`, in one step.

  KEYS[1] tools hash ("<name>:<version>" → ToolSpec JSON)
  KEYS[2] registry version counter
  KEYS[3] audit stream
  ARGV[1] "<name>:<version>"
  ARGV[2] ToolSpec JSON text without registeredAt (filled here from the Redis clock)
  ARGV[3] AuditEntry JSON text without id and ts
  ARGV[4] approximate audit stream cap
  ARGV[5] safety channel
  Returns the stored ToolSpec JSON.
]]
--- @include "includes/publishEvent"
--- @include "includes/auditAppend"
local _, ts = auditAppend(KEYS[3], ARGV[4], 'tool_registered', ARGV[3])
local spec = withField(ARGV[2], 'registeredAt', ts)
redis.call('HSET', KEYS[1], ARGV[1], spec)
redis.call('INCR', KEYS[2])
publishEvent(ARGV[5], 'tool.registered', ts, ARGV[1], withField(spec, 'ts', ts))
return spec
