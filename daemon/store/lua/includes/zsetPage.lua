--- @include "includes/scriptErrors"
--- @include "includes/nowMs"
-- Paging through a sorted set in its own order: by score, equal scores by member. A cursor names
-- the last entry a page gave, "<score>:<member>" (scores here are whole numbers: epoch ms or 0);
-- the next page starts right after that place in the order whether or not the entry is still
-- there, so paging resumes correctly after writes. A call costs O(log N) to find its start plus its
-- page, never the whole set, and returns at most one page (so callers may unpack it).

-- Whether member a sorts after b as Redis orders members: bytewise. (Lua's < uses the server's
-- collation locale, which need not be.)
local function sortsAfter(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end

-- The score and member a cursor names; anything else was not given by a listing.
local function parseCursor(cursor)
  local score, member = string.match(cursor, '^(%-?%d+):([A-Za-z0-9._:@/%-]+)$')
  if not score or #member > 128 then
    error(fail(ERR.INVALID, 'cursor ' .. cjson.encode(cursor) .. ' is not a cursor this listing gave'))
  end
  return score, member
end

-- The rank of the first entry after (score, member): a binary search among the entries tied at that
-- score, which Redis keeps ordered by member.
local function rankAfter(key, score, member)
  local lo = redis.call('ZCOUNT', key, '-inf', '(' .. score)
  local hi = redis.call('ZCOUNT', key, '-inf', score)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if sortsAfter(redis.call('ZRANGE', key, mid, mid)[1], member) then hi = mid else lo = mid + 1 end
  end
  return lo
end

-- Up to `limit` members after `cursor` ('' = from the start) among those scoring up to `upper` (a
-- ZCOUNT max: '+inf', or '(<ms>' for below it), and the cursor of the next page ('' after the last).
local function zsetPage(key, cursor, limit, upper)
  local start = 0
  if cursor ~= '' then start = rankAfter(key, parseCursor(cursor)) end
  local total = redis.call('ZCOUNT', key, '-inf', upper)
  local stop = math.min(start + limit, total) - 1
  if stop < start then return {}, '' end
  local entries = redis.call('ZRANGE', key, start, stop, 'WITHSCORES')
  local members = {}
  for i = 1, #entries, 2 do members[#members + 1] = entries[i] end
  if stop + 1 == total then return members, '' end
  return members, int(tonumber(entries[#entries])) .. ':' .. entries[#entries - 1]
end
