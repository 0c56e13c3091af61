--[[
  Records a heartbeat: pushes the agent's deadline out by its ttl and stores what it reports.
  A beat revives an expired agent (it was only silent); a stopped agent must be started again.

  KEYS[1] agent hash
  KEYS[2] expiry index
  KEYS[3] beats index
  KEYS[4] ended index
  ARGV[1] agentId
  ARGV[2] status ("starting" | "running")
  ARGV[3] progress, or "" to keep it
  ARGV[4] currentTask action: "keep" | "clear" | "set"
  ARGV[5] currentTask (with "set")
  ARGV[6] metadata JSON text, or "" to keep it
  ARGV[7] agents channel
  Returns the AgentStatus JSON; publishes agent.beat.
  Errors: NOT_FOUND (never started or record lapsed), CONFLICT (stopped).
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
local state = redis.call('HMGET', KEYS[1], 'status', 'alive', 'ttlSeconds')
if not state[1] then
  return redis.error_reply('NOT_FOUND agent "' .. ARGV[1] .. '" is not registered; call agent.start first')
end
if state[2] ~= '1' and state[1] ~= 'expired' then
  return redis.error_reply('CONFLICT agent "' .. ARGV[1] .. '" has stopped (' .. state[1] ..
    '); call agent.start to run it again')
end
local now = nowMs()
local fields = { 'status', ARGV[2], 'lastBeatAt', int(now), 'alive', '1' }
if ARGV[3] ~= '' then
  fields[#fields + 1] = 'progress'
  fields[#fields + 1] = ARGV[3]
end
if ARGV[4] == 'set' then
  fields[#fields + 1] = 'currentTask'
  fields[#fields + 1] = ARGV[5]
elseif ARGV[4] == 'clear' then
  redis.call('HDEL', KEYS[1], 'currentTask')
end
if ARGV[6] ~= '' then
  fields[#fields + 1] = 'metadata'
  fields[#fields + 1] = ARGV[6]
end
redis.call('HSET', KEYS[1], unpack(fields))
if state[2] ~= '1' then
  redis.call('HDEL', KEYS[1], 'endedAt')
  redis.call('PERSIST', KEYS[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
end
redis.call('ZADD', KEYS[2], now + tonumber(state[3]) * 1000, ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
local json = agentJson(KEYS[1])
publishEvent(ARGV[7], 'agent.beat', now, ARGV[1], json)
return json
