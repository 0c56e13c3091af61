--[[
  Records a heartbeat: pushes the agent's deadline out by its ttl and stores what it reports.
  A beat revives an expired agent (it was only silent); a stopped agent must be started again.

  KEYS[1] agent hash
  KEYS[2] expiry index
  KEYS[3] beats index
  KEYS[4] ended index
  KEYS[5] listed (hash: id -> AgentStatus JSON of every agent agent.list shows)
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
--- @include "includes/scriptErrors"
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
-- One read of every field; the new state is built from it, not read back.
local f = redis.call('HMGET', KEYS[1], unpack(AGENT_FIELDS))
if not f[1] then
  return fail(ERR.NOT_FOUND, 'agent "' .. ARGV[1] .. '" is not registered; call agent.start first')
end
local wasAlive = f[9] == '1'
if not wasAlive and f[2] ~= 'expired' then
  return fail(ERR.CONFLICT, 'agent "' .. ARGV[1] .. '" has stopped (' .. f[2] ..
    '); call agent.start to run it again')
end
local now = nowMs()
f[2], f[7], f[9] = ARGV[2], int(now), '1'
local fields = { 'status', f[2], 'lastBeatAt', f[7], 'alive', '1' }
if ARGV[3] ~= '' then
  f[3] = ARGV[3]
  fields[#fields + 1] = 'progress'
  fields[#fields + 1] = ARGV[3]
end
if ARGV[4] == 'set' then
  f[4] = ARGV[5]
  fields[#fields + 1] = 'currentTask'
  fields[#fields + 1] = ARGV[5]
elseif ARGV[4] == 'clear' then
  f[4] = false
end
if ARGV[6] ~= '' then
  f[5] = ARGV[6]
  fields[#fields + 1] = 'metadata'
  fields[#fields + 1] = ARGV[6]
end
-- HSET is the first write: Redis refuses a script at maxmemory only at its first memory-growing one.
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[4] == 'clear' then redis.call('HDEL', KEYS[1], 'currentTask') end
if not wasAlive then
  redis.call('HDEL', KEYS[1], 'endedAt')
  redis.call('PERSIST', KEYS[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
end
redis.call('ZADD', KEYS[2], now + tonumber(f[8]) * 1000, ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
local json = agentJsonOf(f)
redis.call('HSET', KEYS[5], ARGV[1], json)
publishEvent(ARGV[7], 'agent.beat', now, ARGV[1], json)
return json
