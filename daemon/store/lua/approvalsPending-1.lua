--[[
  One page of the pending approvals, soonest to expire first.

  KEYS[1] pending index (zset: request id -> expiresAt ms)
  ARGV[1] request key prefix
  ARGV[2] cursor ('' = from the start)
  ARGV[3] most requests in the page
  Returns { next cursor or '', JSON array of Approval }; a request whose record is gone is left out
  (so a page may hold fewer than asked before the last; the expiry sweep drops it from the index).
  Errors: INVALID when the cursor is not one a page gave.
]]
--- @include "includes/approvalJson"
--- @include "includes/zsetPage"
local ids, cursor = zsetPage(KEYS[1], ARGV[2], tonumber(ARGV[3]), '+inf')
local out = {}
for i = 1, #ids do
  local json = approvalJson(ARGV[1] .. ids[i])
  if json then out[#out + 1] = json end
end
return { cursor, '[' .. table.concat(out, ',') .. ']' }
