--- @include "includes/outcomeLayout"
--- @include "includes/publishEvent"
-- An agent's running window: a string in the bucket layout holding the sum of its last
-- ALERT_BUCKETS buckets, and in its hash `head` (the newest bucket counted) and `alert` ('1' while
-- its failure-rate alert is on). Moving the window forward subtracts the buckets that leave it, so
-- the alert check and outcome.stats over the default window read one string, not the history.

-- BITFIELD operations that subtract one bucket's counters from the window.
local function subtractOps(bucket)
  local ops = {}
  local function sub(kind, slot, value)
    if value ~= 0 then
      ops[#ops + 1], ops[#ops + 2], ops[#ops + 3], ops[#ops + 4] = 'INCRBY', kind, '#' .. slot, int(-value)
    end
  end
  for slot = 0, #bucket / 4 - 1 do
    -- u32 slots, except the three i64 ones that overlay u32 slots 8..13
    if slot < 8 or slot >= BINS_SLOT then sub('u32', slot, struct.unpack('>I4', bucket, slot * 4 + 1)) end
  end
  for slot = TOKENS_SLOT, DURATION_SLOT do
    if #bucket >= (slot + 1) * 8 then sub('i64', slot, struct.unpack('>i8', bucket, slot * 8 + 1)) end
  end
  return ops
end

-- The window of one agent moved to `bucket` (never behind the newest bucket it has counted).
local function openWindow(agentPrefix, windowPrefix, bucketPrefix, agentName, bucket)
  local w = { name = agentName, agentKey = agentPrefix .. agentName, windowKey = windowPrefix .. agentName,
    buckets = bucketPrefix .. agentName .. ':' }
  local f = redis.call('HMGET', w.agentKey, 'head', 'alert')
  local head = tonumber(f[1])
  w.alerting = f[2] == '1'
  if head == nil or bucket - head >= ALERT_BUCKETS then
    redis.call('DEL', w.windowKey)
  elseif bucket > head then
    for old = head - ALERT_BUCKETS + 1, bucket - ALERT_BUCKETS do
      local leaving = redis.call('GET', w.buckets .. old)
      local ops = leaving and subtractOps(leaving) or {}
      if #ops > 0 then redis.call('BITFIELD', w.windowKey, unpack(ops)) end
    end
  end
  w.head = math.max(head or bucket, bucket)
  local c = redis.call('BITFIELD_RO', w.windowKey, 'GET', 'u32', '#' .. COUNT_SLOT, 'GET', 'u32', '#' .. ERRORS_SLOT)
  w.n, w.e = c[1], c[2]
  return w
end

local function alertJson(w, percent, now)
  local rate = w.n > 0 and w.e / w.n or 0
  return '{"agentName":' .. cjson.encode(w.name) .. ',"errorRate":' .. cjson.encode(rate) .. ',"count":' .. int(w.n) ..
    ',"errors":' .. int(w.e) .. ',"threshold":' .. cjson.encode(percent / 100) .. ',"windowSeconds":' .. ALERT_WINDOW_SECONDS ..
    ',"at":' .. int(now) .. '}'
end

-- Turns the alert on (rate above the threshold with at least minCount outcomes) or off (rate at
-- most RECOVERY_FRACTION of it; an empty window is rate 0), publishing each change once.
-- Compared without dividing: e/n > p/100 as 100e > pn.
local function settleAlert(w, alertingKey, percent, minCount, now, channel)
  if not w.alerting and w.n >= minCount and w.e * 100 > percent * w.n then
    w.alerting = true
    redis.call('ZADD', alertingKey, now, w.name)
    publishEvent(channel, 'alert.failure_rate', now, w.name, alertJson(w, percent, now))
  elseif w.alerting and w.e * 100 <= percent * RECOVERY_FRACTION * w.n then
    w.alerting = false
    redis.call('ZREM', alertingKey, w.name)
    publishEvent(channel, 'alert.recovered', now, w.name, alertJson(w, percent, now))
  end
end

-- Stores where the window stands; the agent's keys live as long as its oldest bucket may be read.
local function saveWindow(w)
  redis.call('HSET', w.agentKey, 'head', w.head, 'alert', w.alerting and '1' or '0')
  redis.call('PEXPIRE', w.agentKey, BUCKET_KEEP_MS + BUCKET_MS)
  redis.call('PEXPIRE', w.windowKey, BUCKET_KEEP_MS + BUCKET_MS)
end
