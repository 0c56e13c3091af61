--[[
  Adds the tokens and cost of one tick's outcomes to the budgets of their scopes (their agent's
  and their workflow's; a scope without a budget is not counted), in the current period, and
  answers the budgets reaching 80 % or 100 % (once a period each), which the caller audits and
  announces. Each budget is read and written once per call.

  KEYS[1] scopes (zset; unused here, names the slot)
  ARGV[1] budget hash prefix
  ARGV[2] now (epoch ms), or '' for the Redis clock
  ARGV[3] warning fraction
  ARGV[4…] three values per outcome and scope: scope, tokens, cost (integer, 1e-9 USD)
  Returns the crossings, as "<event type>", "<Budget JSON>" pairs in order.
]]
--- @include "includes/budget"
local prefix, warn = ARGV[1], tonumber(ARGV[3])
local now = ARGV[2] ~= '' and tonumber(ARGV[2]) or nowMs()
local loaded, order, changes = {}, {}, {}

for i = 4, #ARGV, 3 do
  local scope = ARGV[i]
  if loaded[scope] == nil then
    loaded[scope] = budgetLoad(prefix, scope, now) or false
    if loaded[scope] then order[#order + 1] = loaded[scope] end
  end
  local b = loaded[scope]
  if b then b.ut, b.uc = b.ut + tonumber(ARGV[i + 1]), b.uc + tonumber(ARGV[i + 2]) end
end

for _, b in ipairs(order) do
  budgetAnnounce(b, warn, changes)
  budgetSave(b)
end
return changes
