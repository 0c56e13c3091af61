--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
-- Ends an agent with a final status: takes it off the beats index, keeps it on the ended index
-- for agent.list, lets its record lapse after the retention, and publishes the change. The caller
-- takes it off the expiry index: agent.stop after this HSET (at maxmemory Redis refuses the
-- script there, before anything changed), the sweep before it (see agentsExpire).
-- idx: { beats = …, ended = …, listed = … } index keys.
local function endAgent(key, agentId, status, now, idx, retentionMs, channel, eventType)
  redis.call('HSET', key, 'status', status, 'alive', '0', 'endedAt', int(now))
  redis.call('ZREM', idx.beats, agentId)
  redis.call('ZADD', idx.ended, now, agentId)
  redis.call('PEXPIRE', key, retentionMs)
  local json = agentJson(key)
  redis.call('HSET', idx.listed, agentId, json)
  publishEvent(channel, eventType, now, agentId, json)
  return json
end
