--[[
  Sets a scope's budget. The use counted in the current period is kept when the period stays the
  same (changing a limit does not forgive what was spent); a limit raised above the use lets the
  budget warn and refuse again later in the period. Answers budget.warning / budget.exceeded too
  when the new limit is already reached (the caller audits and announces).

  KEYS[1] scopes (zset of the scopes with a budget, scores 0)
  ARGV[1] budget hash prefix
  ARGV[2] now (epoch ms), or '' for the Redis clock
  ARGV[3] warning fraction
  ARGV[4] scope
  ARGV[5] tokens allowed, or ''
  ARGV[6] cost allowed (integer, 1e-9 USD), or ''
  ARGV[7] period (ms)
  Returns the Budget JSON, then the crossings as "<event type>", "<Budget JSON>" pairs.
]]
--- @include "includes/budget"
local prefix, warn, scope = ARGV[1], tonumber(ARGV[3]), ARGV[4]
local now = ARGV[2] ~= '' and tonumber(ARGV[2]) or nowMs()
local period = tonumber(ARGV[7])
local b = budgetLoad(prefix, scope, now)
if not b or b.p ~= period then
  b = { scope = scope, key = prefix .. scope, ut = 0, uc = 0, p = period, ps = now - now % period }
end
b.tk, b.cn = tonumber(ARGV[5]), tonumber(ARGV[6])
local used = budgetFraction(b)
if used < warn then b.wp = nil end
if used < 1 then b.xp = nil end
local changes = {}
budgetAnnounce(b, warn, changes)
budgetSave(b)
redis.call('ZADD', KEYS[1], 0, scope)
table.insert(changes, 1, budgetJson(b, warn))
return changes
