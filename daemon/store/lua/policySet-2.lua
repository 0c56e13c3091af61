--[[
  Replaces the tool policy if the caller read the live version (compare-and-set), audits
  `policy_changed` (old → new) and publishes `policy.changed`, in one step.

  KEYS[1] policy hash (version, json, at, by)
  KEYS[2] audit stream
  ARGV[1] expected version (0: the built-in default is live)
  ARGV[2] policy JSON text (checked by the daemon)
  ARGV[3] who changes it, or ''
  ARGV[4] approximate audit stream cap
  ARGV[5] safety channel
  Returns {1, new version}, or {0, live version} when the expected one is not live.
]]
--- @include "includes/publishEvent"
--- @include "includes/auditAppend"
local live = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if live ~= tonumber(ARGV[1]) then return { 0, live } end
local new = live + 1
local by = ARGV[3] ~= '' and (',"by":' .. cjson.encode(ARGV[3])) or ''
local change = '{"oldVersion":' .. int(live) .. ',"newVersion":' .. int(new) .. by .. '}'
local _, ts = auditAppend(KEYS[2], ARGV[4], 'policy_changed', '{"kind":"policy_changed","subject":"policy","detail":' .. change .. '}')
redis.call('HSET', KEYS[1], 'version', new, 'json', ARGV[2], 'at', ts, 'by', ARGV[3])
publishEvent(ARGV[5], 'policy.changed', ts, 'policy', withField(change, 'ts', ts))
return { 1, new }
