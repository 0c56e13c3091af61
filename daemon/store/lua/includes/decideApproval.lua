--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/approvalJson"
-- Moves a pending request to its final status (approved | rejected | expired), takes it off the
-- pending index, keeps the record for the retention, and publishes approval.<status>.
local function decideApproval(key, pendingKey, requestId, status, now, extra, retentionMs, channel)
  redis.call('HSET', key, 'status', status, 'decidedAt', int(now), unpack(extra))
  redis.call('ZREM', pendingKey, requestId)
  redis.call('PEXPIRE', key, retentionMs)
  local json = approvalJson(key)
  publishEvent(channel, 'approval.' .. status, now, requestId, json)
  return json
end
