--[[
  Sets a scope's budget. The use counted in the current period is kept when the period stays the
  same (changing a limit does not forgive what was spent); a limit raised above the use lets the
  budget warn and refuse again later in the period. Announces budget.changed, and budget.warning /
  budget.exceeded when the new limit is already reached.

  KEYS[1] scopes (zset of the scopes with a budget, scores 0)
  ARGV[1] budget hash prefix
  ARGV[2] safety channel
  ARGV[3] now (epoch ms), or '' for the Redis clock
  ARGV[4] warning fraction
  ARGV[5] scope
  ARGV[6] tokens allowed, or ''
  ARGV[7] cost allowed (integer, 1e-9 USD), or ''
  ARGV[8] period (ms)
  Returns the Budget JSON, then the announcements as "<event type>", "<Budget JSON>" pairs.
]]
--- @include "includes/budget"
local prefix, channel, warn, scope = ARGV[1], ARGV[2], tonumber(ARGV[4]), ARGV[5]
local now = ARGV[3] ~= '' and tonumber(ARGV[3]) or nowMs()
local period = tonumber(ARGV[8])
local b = budgetLoad(prefix, scope, now)
if not b or b.p ~= period then
  b = { scope = scope, key = prefix .. scope, ut = 0, uc = 0, p = period, ps = now - now % period }
end
b.tk, b.cn = tonumber(ARGV[6]), tonumber(ARGV[7])
local used = budgetFraction(b)
if used < warn then b.wp = nil end
if used < 1 then b.xp = nil end
local changes = {}
budgetAnnounce(b, now, warn, channel, changes)
budgetSave(b)
redis.call('ZADD', KEYS[1], 0, scope)
local json = budgetJson(b, warn)
publishEvent(channel, 'budget.changed', now, scope, json)
table.insert(changes, 1, json)
return changes
