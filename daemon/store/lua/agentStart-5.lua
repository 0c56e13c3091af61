--[[
  Registers an agent, or registers it again from scratch (a restarted agent process reuses its id).

  KEYS[1] agent hash
  KEYS[2] expiry index (zset: id -> deadline ms)
  KEYS[3] beats index (zset: id -> last beat ms)
  KEYS[4] ended index (zset: id -> end ms)
  KEYS[5] listed (hash: id -> AgentStatus JSON of every agent agent.list shows)
  ARGV[1] agentId
  ARGV[2] ttlSeconds
  ARGV[3] metadata (JSON object text)
  ARGV[4] agents channel
  Returns the AgentStatus JSON; publishes agent.started.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
local now = nowMs()
local ttl = tonumber(ARGV[2])
-- HSET first: Redis refuses a script at maxmemory only at its first memory-growing write, so
-- that must come before anything else changes. Then what a previous run left goes.
redis.call('HSET', KEYS[1], 'agentId', ARGV[1], 'status', 'starting', 'progress', '0', 'metadata', ARGV[3],
  'startedAt', int(now), 'lastBeatAt', int(now), 'ttlSeconds', ARGV[2], 'alive', '1')
redis.call('HDEL', KEYS[1], 'currentTask', 'endedAt')
redis.call('PERSIST', KEYS[1])
redis.call('ZADD', KEYS[2], now + ttl * 1000, ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
local json = agentJson(KEYS[1])
redis.call('HSET', KEYS[5], ARGV[1], json)
publishEvent(ARGV[4], 'agent.started', now, ARGV[1], json)
return json
