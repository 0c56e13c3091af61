--[[
  Marks one tool version deprecated, bumps the registry version, audits `tool_deprecated` and
  publishes `tool.deprecated`, in one step. Deprecating it again changes nothing.

  KEYS[1] tools hash
  KEYS[2] registry version counter
  KEYS[3] audit stream
  ARGV[1] "<name>:<version>"
  ARGV[2] AuditEntry JSON text without id and ts
  ARGV[3] approximate audit stream cap
  ARGV[4] safety channel
  Returns the ToolSpec JSON.
]]
--- @include "includes/scriptErrors"
--- @include "includes/publishEvent"
--- @include "includes/auditAppend"
local spec = redis.call('HGET', KEYS[1], ARGV[1])
if not spec then return fail(ERR.NOT_FOUND, 'tool "' .. ARGV[1] .. '" is not registered') end
-- The daemon writes "status" right after name and version, whose characters cannot hold a quote,
-- so the first match is the field itself (re-encoding with cjson would turn a schema's [] into {}).
local deprecated, changed = string.gsub(spec, '"status":"active"', '"status":"deprecated"', 1)
if changed == 0 then return spec end
local _, ts = auditAppend(KEYS[3], ARGV[3], 'tool_deprecated', ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], deprecated)
redis.call('INCR', KEYS[2])
publishEvent(ARGV[4], 'tool.deprecated', ts, ARGV[1], withField(deprecated, 'ts', ts))
return deprecated
