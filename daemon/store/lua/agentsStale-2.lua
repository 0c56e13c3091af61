--[[
  One page of the alive agents whose last beat is older than the threshold, longest silent first.

  KEYS[1] beats index (zset: id -> last beat ms)
  KEYS[2] listed (hash: id -> AgentStatus JSON)
  ARGV[1] threshold (ms)
  ARGV[2] cursor ('' = from the start)
  ARGV[3] most agents in the page
  Returns { next cursor or '', JSON array of AgentStatus }.
  Errors: INVALID when the cursor is not one a page gave.
]]
--- @include "includes/nowMs"
--- @include "includes/zsetPage"
local ids, cursor = zsetPage(KEYS[1], ARGV[2], tonumber(ARGV[3]), '(' .. int(nowMs() - tonumber(ARGV[1])))
if #ids == 0 then return { cursor, '[]' } end
return { cursor, '[' .. table.concat(redis.call('HMGET', KEYS[2], unpack(ids)), ',') .. ']' }
