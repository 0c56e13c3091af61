--- @include "includes/nowMs"
-- Signal boxes. A box (an agent's inbox, or the broadcast set) is a sorted set of entries
-- "<signalId>#<type>" scored by the global send sequence, and beside it one index per type,
-- "<box>#<type>", holding that type's entries (ids and types never contain '#'). A scan reads one
-- of them in send order, a chunk at a time, from a starting sequence, and stops at its last match:
-- its cost is O(log N) plus the entries it passes. For broadcasts, the agent's floors (a hash:
-- index -> sequence) say where the entries it can never take again (seen, its own, or expired)
-- end, so they are passed once, not on every call.

local SCAN_CHUNK = 64

-- The id and type of an entry. (Entries written before types were indexed are a bare id.)
local function entryParts(member)
  return string.match(member, '^([^#]*)#?(.*)$')
end

-- The index a scan reads: the box itself, or its index of one type.
local function boxIndex(box, signalType)
  if signalType == '' then return box end
  return box .. '#' .. signalType
end

-- The field of an agent's floors hash for an index: '*' for the whole box ('*' is never a type).
local function floorField(signalType)
  if signalType == '' then return '*' end
  return signalType
end

-- Takes an entry out of its box and its type index (its signal expired or was taken).
local function dropEntry(box, member)
  local _, signalType = entryParts(member)
  redis.call('ZREM', box, member)
  redis.call('ZREM', boxIndex(box, signalType), member)
end

-- Calls visit(member, seq) on the entries of `index` after sequence `after`, in send order, until
-- it returns true.
local function eachEntry(index, after, visit)
  local lower = after
  repeat
    local entries = redis.call('ZRANGE', index, '(' .. int(lower), '+inf', 'BYSCORE', 'LIMIT', 0, SCAN_CHUNK, 'WITHSCORES')
    for i = 1, #entries, 2 do
      lower = tonumber(entries[i + 1])
      if visit(entries[i], lower) then return end
    end
  until #entries < 2 * SCAN_CHUNK
end

-- The two scans of what agentId may take: its inbox and the broadcast set. A scan holds `box`,
-- `prefix` (signal key prefix), `agent`, `type` and `source` ('' = any); the broadcasts' also
-- `seen` (the agent's set of broadcasts it took or cleared) and `floors`.
local function signalBoxes(inbox, broadcasts, seen, floors, prefix, agentId, signalType, source)
  local scan = { box = inbox, prefix = prefix, agent = agentId, type = signalType, source = source }
  return scan, { box = broadcasts, prefix = prefix, agent = agentId, type = signalType, source = source,
    seen = seen, floors = floors }
end

-- Moves the agent's floor for the scanned index up to `seq`. The floors live as long as the box, as
-- the seen set does: past that, every entry below them has expired anyway.
local function raiseFloor(scan, seq)
  redis.call('HSET', scan.floors, floorField(scan.type), int(seq))
  redis.call('PEXPIRE', scan.floors, math.max(redis.call('PTTL', scan.box), 1))
end

-- Calls onMatch(sig) on each signal of a box the agent may take, after sequence `after`, in send
-- order, until it returns true (stop); its second result says it took the signal. Entries whose
-- signal expired leave every index on the way; for broadcasts the seen set is asked first (O(1), no
-- read of the signal), and the floor rises over the leading run the agent can never take again.
local function eachMatch(scan, after, onMatch)
  local floor = 0
  if scan.floors then floor = tonumber(redis.call('HGET', scan.floors, floorField(scan.type))) or 0 end
  -- only a scan that starts at the floor knows the run below it is unbroken
  local run, runEnd = after <= floor, floor
  eachEntry(boxIndex(scan.box, scan.type), math.max(after, floor), function(member, seq)
    local id = entryParts(member)
    local gone = scan.seen ~= nil and redis.call('SISMEMBER', scan.seen, id) == 1
    local stop = false
    if not gone then
      local sig = redis.call('HMGET', scan.prefix .. id, 'json', 'type', 'source', 'target')
      if not sig[1] then
        dropEntry(scan.box, member)
        gone = true
      elseif scan.seen and sig[3] == scan.agent then
        gone = true -- a broadcast is not delivered to its sender
      elseif scan.source == '' or sig[3] == scan.source then
        stop, gone = onMatch({ id = id, member = member, seq = seq, json = sig[1], type = sig[2],
          source = sig[3], target = sig[4], broadcast = scan.seen ~= nil })
      end
    end
    if run and gone then runEnd = seq else run = false end
    return stop
  end)
  if scan.floors and runEnd > floor then raiseFloor(scan, runEnd) end
end

-- Up to `limit` signals of a box the agent may take, after sequence `after`, oldest first.
local function signalMatches(scan, after, limit)
  local found = {}
  eachMatch(scan, after, function(sig)
    found[#found + 1] = sig
    return #found == limit
  end)
  return found
end

-- Marks a signal taken by the agent: a direct signal is deleted, a broadcast is only marked seen by
-- this agent (the seen set lives as long as the broadcast set, so it outlives every broadcast in it).
local function signalTaken(scan, sig)
  if sig.broadcast then
    redis.call('SADD', scan.seen, sig.id)
    redis.call('PEXPIRE', scan.seen, math.max(redis.call('PTTL', scan.box), 1))
  else
    dropEntry(scan.box, sig.member)
    redis.call('DEL', scan.prefix .. sig.id)
  end
end

-- Both lists merged in send order.
local function bySeq(a, b)
  local out = {}
  local i, j = 1, 1
  while i <= #a or j <= #b do
    if j > #b or (i <= #a and a[i].seq < b[j].seq) then
      out[#out + 1] = a[i]; i = i + 1
    else
      out[#out + 1] = b[j]; j = j + 1
    end
  end
  return out
end
