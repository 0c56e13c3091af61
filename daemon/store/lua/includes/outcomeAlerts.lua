--- @include "includes/outcomeLayout"
--- @include "includes/publishEvent"
-- The failure-rate alert of one agent: running totals of its last ALERT_BUCKETS buckets, kept in
-- its hash (head = newest bucket counted, n = outcomes, e = errors, alert = '1' while on) and
-- moved forward by subtracting the buckets that leave, so a check costs O(1), not a re-read.

-- The agent's window as of bucket `bucket` (never behind the newest bucket it has counted).
local function alertWindow(agentKey, bucketPrefix, bucket)
  local f = redis.call('HMGET', agentKey, 'head', 'n', 'e', 'alert')
  local head, n, e = tonumber(f[1]), tonumber(f[2]) or 0, tonumber(f[3]) or 0
  if head == nil or bucket - head >= ALERT_BUCKETS then
    n, e = 0, 0
  elseif bucket > head then
    for old = head - ALERT_BUCKETS + 1, bucket - ALERT_BUCKETS do
      local c = redis.call('BITFIELD_RO', bucketPrefix .. old, 'GET', 'u32', '#' .. COUNT_SLOT, 'GET', 'u32', '#' .. ERRORS_SLOT)
      n, e = n - c[1], e - c[2]
    end
  end
  return { head = math.max(head or bucket, bucket), n = n, e = e, alerting = f[4] == '1' }
end

local function alertJson(agentName, w, percent, now)
  local rate = w.n > 0 and w.e / w.n or 0
  return '{"agentName":' .. cjson.encode(agentName) .. ',"errorRate":' .. cjson.encode(rate) .. ',"count":' .. int(w.n) ..
    ',"errors":' .. int(w.e) .. ',"threshold":' .. cjson.encode(percent / 100) .. ',"windowSeconds":' .. ALERT_WINDOW_SECONDS ..
    ',"at":' .. int(now) .. '}'
end

-- Turns the alert on (rate above the threshold with at least minCount outcomes) or off (rate at
-- most RECOVERY_FRACTION of it; an empty window is rate 0), publishing each change once, and stores
-- the window. Compared without dividing: e/n > p/100 as 100e > pn.
local function settleAlert(agentKey, alertingKey, agentName, w, percent, minCount, now, channel)
  if not w.alerting and w.n >= minCount and w.e * 100 > percent * w.n then
    w.alerting = true
    redis.call('ZADD', alertingKey, now, agentName)
    publishEvent(channel, 'alert.failure_rate', now, agentName, alertJson(agentName, w, percent, now))
  elseif w.alerting and w.e * 100 <= percent * RECOVERY_FRACTION * w.n then
    w.alerting = false
    redis.call('ZREM', alertingKey, agentName)
    publishEvent(channel, 'alert.recovered', now, agentName, alertJson(agentName, w, percent, now))
  end
  redis.call('HSET', agentKey, 'head', w.head, 'n', w.n, 'e', w.e, 'alert', w.alerting and '1' or '0')
  redis.call('PEXPIRE', agentKey, BUCKET_KEEP_MS + BUCKET_MS)
end
