--- @include "includes/nowMs"
-- Signals in a box (an inbox, or the broadcast set) that agentId may take, oldest first, filtered
-- by type and source ("" = any). Entries whose signal expired are dropped from the box on the way.
-- For broadcasts, those agentId sent or has already seen are skipped. Stops after `limit` matches.
local function signalMatches(box, prefix, agentId, seenKey, signalType, source, limit)
  local found = {}
  local entries = redis.call('ZRANGE', box, 0, -1, 'WITHSCORES')
  for i = 1, #entries, 2 do
    local id = entries[i]
    local sig = redis.call('HMGET', prefix .. id, 'json', 'type', 'source', 'target')
    if not sig[1] then
      redis.call('ZREM', box, id)
    elseif (signalType == '' or sig[2] == signalType) and (source == '' or sig[3] == source)
      and (not seenKey or (sig[3] ~= agentId and redis.call('SISMEMBER', seenKey, id) == 0)) then
      found[#found + 1] = { id = id, seq = tonumber(entries[i + 1]), json = sig[1], type = sig[2],
        source = sig[3], target = sig[4], broadcast = seenKey ~= nil }
      if #found == limit then break end
    end
  end
  return found
end

-- Marks a signal taken by agentId: a direct signal is deleted, a broadcast is only marked seen by
-- this agent (the seen set lives as long as the broadcast set, so it outlives every broadcast in it).
local function signalTaken(sig, box, prefix, seenKey)
  if sig.broadcast then
    redis.call('SADD', seenKey, sig.id)
    redis.call('PEXPIRE', seenKey, math.max(redis.call('PTTL', box), 1))
  else
    redis.call('ZREM', box, sig.id)
    redis.call('DEL', prefix .. sig.id)
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
