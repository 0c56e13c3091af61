--[[
  KEYS[1] pending index
  ARGV[1] request key prefix
  Returns a JSON array of the pending Approvals, soonest to expire first.
]]
--- @include "includes/approvalJson"
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for i = 1, #ids do
  local json = approvalJson(ARGV[1] .. ids[i])
  if json then out[#out + 1] = json end
end
return '[' .. table.concat(out, ',') .. ']'
