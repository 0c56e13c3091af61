--[[
  Budgets with their use in the current period (read only: an ended period reads as empty).

  KEYS[1] scopes (zset of the scopes with a budget, scores 0: by name)
  ARGV[1] budget hash prefix
  ARGV[2] now (epoch ms), or '' for the Redis clock
  ARGV[3] warning fraction
  ARGV[4…] the scopes to read; none: every budget
  Returns per scope its Budget JSON, or false when it has none.
]]
--- @include "includes/budget"
local prefix, warn = ARGV[1], tonumber(ARGV[3])
local now = ARGV[2] ~= '' and tonumber(ARGV[2]) or nowMs()
local scopes = {}
for i = 4, #ARGV do scopes[#scopes + 1] = ARGV[i] end
if #scopes == 0 then scopes = redis.call('ZRANGE', KEYS[1], 0, -1) end
local out = {}
for i, scope in ipairs(scopes) do
  local b = budgetLoad(prefix, scope, now)
  out[i] = b and budgetJson(b, warn) or false
end
return out
