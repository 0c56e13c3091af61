--[[
  One page of the event types, by name.

  KEYS[1] event types by name (zset, every score 0, so ordered by name)
  ARGV[1] cursor ('' = from the start)
  ARGV[2] most types in the page
  Returns { next cursor or '', JSON array of type names }.
  Errors: INVALID when the cursor is not one a page gave.
]]
--- @include "includes/zsetPage"
local types, cursor = zsetPage(KEYS[1], ARGV[1], tonumber(ARGV[2]), '+inf')
for i = 1, #types do types[i] = cjson.encode(types[i]) end
return { cursor, '[' .. table.concat(types, ',') .. ']' }
