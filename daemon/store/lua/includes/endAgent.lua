--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
-- Takes an agent off the alive indexes with a final status, keeps it on the ended index for
-- agent.list, lets its record lapse after the retention, and publishes the change.
local function endAgent(key, agentId, status, now, expiryKey, beatsKey, endedKey, retentionMs, channel, eventType)
  redis.call('HSET', key, 'status', status, 'alive', '0', 'endedAt', int(now))
  redis.call('ZREM', expiryKey, agentId)
  redis.call('ZREM', beatsKey, agentId)
  redis.call('ZADD', endedKey, now, agentId)
  redis.call('PEXPIRE', key, retentionMs)
  local json = agentJson(key)
  publishEvent(channel, eventType, now, agentId, json)
  return json
end
