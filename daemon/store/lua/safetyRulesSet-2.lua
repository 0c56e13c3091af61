--[[
  Replaces the live rule set if its version is still the one the caller read (compare-and-set),
  appends the rules_changed audit entry and publishes rules.changed, all in one step.

  KEYS[1] rule set hash (version, json, at, by; absent = version 0, the built-in set)
  KEYS[2] audit stream
  ARGV[1] expected version
  ARGV[2] the new rules, JSON text (already compiled by the daemon)
  ARGV[3] who changes them, or ''
  ARGV[4] approximate audit stream cap
  ARGV[5] safety channel
  ARGV[6] how many rules the set holds (for the audit entry)
  Returns {1, newVersion} when stored, {0, liveVersion} when the version moved on.
]]
--- @include "includes/publishEvent"
local live = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if live ~= tonumber(ARGV[1]) then return { 0, live } end
local version = live + 1
local now = nowMs()
redis.call('HSET', KEYS[1], 'version', version, 'json', ARGV[2], 'at', int(now), 'by', ARGV[3])
local change = { oldVersion = live, newVersion = version }
if ARGV[3] ~= '' then change.by = ARGV[3] end
local detail = { oldVersion = live, newVersion = version, rules = tonumber(ARGV[6]) }
if ARGV[3] ~= '' then detail.by = ARGV[3] end
local entry = cjson.encode({ kind = 'rules_changed', subject = 'safety.rules.set', detail = detail })
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'k', 'rules_changed', 'j', entry)
local ts = tonumber(string.match(id, '^(%d+)'))
change.ts = ts
publishEvent(ARGV[5], 'rules.changed', ts, tostring(version), cjson.encode(change))
return { 1, version }
