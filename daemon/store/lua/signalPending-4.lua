--[[
  One page of the signals agentId could still take, oldest first (inbox and broadcasts merged by
  send sequence).

  KEYS[1] the agent's inbox
  KEYS[2] broadcast set
  KEYS[3] the agent's seen-broadcasts set
  KEYS[4] the agent's broadcast floors
  ARGV[1] agentId
  ARGV[2] type, or ""
  ARGV[3] signal key prefix
  ARGV[4] cursor: the send sequence of the last signal of the previous page ('' = from the start)
  ARGV[5] most signals in the page
  Returns { next cursor or '', JSON array of Signal }. Reads at most one more match per box than
  the page holds (to know whether another page follows), plus the expired or seen entries it passes.
  Errors: INVALID when the cursor is not one a page gave.
]]
--- @include "includes/scriptErrors"
--- @include "includes/signalMatch"

-- The send sequence a cursor names.
local function cursorSeq(cursor)
  if cursor == '' then return 0 end
  if #cursor > 15 or not string.match(cursor, '^%d+$') then
    error(fail(ERR.INVALID, 'cursor ' .. cjson.encode(cursor) .. ' is not a cursor this listing gave'))
  end
  return tonumber(cursor)
end

local after, limit = cursorSeq(ARGV[4]), tonumber(ARGV[5])
local inbox, broadcasts = signalBoxes(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3], ARGV[1], ARGV[2], '')
local all = bySeq(signalMatches(inbox, after, limit + 1), signalMatches(broadcasts, after, limit + 1))
local out = {}
for i = 1, math.min(#all, limit) do out[i] = all[i].json end
local nextCursor = ''
if #all > limit then nextCursor = int(all[limit].seq) end
return { nextCursor, '[' .. table.concat(out, ',') .. ']' }
