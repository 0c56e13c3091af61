--[[
  Records the heartbeats of one or more agents: those that reached the daemon in the same tick,
  from any number of connections, so that they cost one round trip. For each, pushes the agent's
  deadline out by its ttl and stores what it reports. A beat revives an expired agent (it was
  only silent); a stopped agent must be started again. One beat's error does not stop the others.

  KEYS[1] expiry index
  KEYS[2] beats index
  KEYS[3] ended index
  KEYS[4] listed (hash: id -> AgentStatus JSON of every agent agent.list shows)
  ARGV[1] agent key prefix
  ARGV[2] agents channel
  ARGV[3…] six values per beat:
    agentId
    status ("starting" | "running")
    progress, or "" to keep it
    currentTask action: "keep" | "clear" | "set"
    currentTask (with "set")
    metadata JSON text, or "" to keep it
  Returns, per beat in order, its AgentStatus JSON or an error: NOT_FOUND (never started or record
  lapsed), CONFLICT (stopped), DAMAGED (a record this script cannot use). Publishes agent.beat for
  each beat recorded.
]]
--- @include "includes/scriptErrors"
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
local now = nowMs()

-- Whether a stored field is JSON number text: the reply splices it in as it is. Integers (the
-- times, the ttl) are one anchored find; only other text is looked at further.
local function isNumberText(s)
  if s:find('^%-?%d+$') then return true end
  local mantissa = s:match('^-?%d+%.%d+') or s:match('^-?%d+')
  if not mantissa then return false end
  local rest = s:sub(#mantissa + 1)
  return rest == '' or rest:match('^[eE][-+]?%d+$') ~= nil
end

-- Why a numeric field cannot be used, or nil.
local function badNumber(name, value)
  if not value then return name .. ' is missing' end
  if isNumberText(value) then return nil end
  return name .. ' is "' .. value .. '", not a number'
end

-- Why a record cannot take this beat (a field the new state keeps from it is missing or not a
-- number), or nil. Checked before the beat's first write: a Lua error once a beat has written
-- would end the whole script, failing the other beats after earlier ones were stored. Every beat
-- runs it, so it builds no tables.
local function damage(f, progress, metadata)
  if not f[2] then return 'status is missing' end
  if metadata == '' and not f[5] then return 'metadata is missing' end
  local problem = badNumber('startedAt', f[6]) or badNumber('ttlSeconds', f[8])
  if problem == nil and progress == '' then problem = badNumber('progress', f[3]) end
  return problem
end

local function beat(agentId, status, progress, taskAction, task, metadata)
  local key = ARGV[1] .. agentId
  -- One read of every field; the new state is built from it, not read back. pcall: a key of
  -- another type is this beat's error, not the whole script's.
  local f = redis.pcall('HMGET', key, unpack(AGENT_FIELDS))
  if f.err then
    return fail(ERR.DAMAGED, 'agent "' .. agentId .. '" cannot be read (' .. f.err .. '); call agent.start to register it again')
  end
  if not f[1] then
    return fail(ERR.NOT_FOUND, 'agent "' .. agentId .. '" is not registered; call agent.start first')
  end
  local problem = damage(f, progress, metadata)
  if problem then
    return fail(ERR.DAMAGED, 'agent "' .. agentId .. '" has a damaged record (' .. problem .. '); call agent.start to register it again')
  end
  local wasAlive = f[9] == '1'
  if not wasAlive and f[2] ~= 'expired' then
    return fail(ERR.CONFLICT, 'agent "' .. agentId .. '" has stopped (' .. f[2] ..
      '); call agent.start to run it again')
  end
  f[2], f[7], f[9] = status, int(now), '1'
  local fields = { 'status', f[2], 'lastBeatAt', f[7], 'alive', '1' }
  if progress ~= '' then
    f[3] = progress
    fields[#fields + 1] = 'progress'
    fields[#fields + 1] = progress
  end
  if taskAction == 'set' then
    f[4] = task
    fields[#fields + 1] = 'currentTask'
    fields[#fields + 1] = task
  elseif taskAction == 'clear' then
    f[4] = false
  end
  if metadata ~= '' then
    f[5] = metadata
    fields[#fields + 1] = 'metadata'
    fields[#fields + 1] = metadata
  end
  -- HSET is the first write: Redis refuses a script at maxmemory only at its first memory-growing one.
  redis.call('HSET', key, unpack(fields))
  if taskAction == 'clear' then redis.call('HDEL', key, 'currentTask') end
  if not wasAlive then
    redis.call('HDEL', key, 'endedAt')
    redis.call('PERSIST', key)
    redis.call('ZREM', KEYS[3], agentId)
  end
  redis.call('ZADD', KEYS[1], now + tonumber(f[8]) * 1000, agentId)
  redis.call('ZADD', KEYS[2], now, agentId)
  local json = agentJsonOf(f)
  redis.call('HSET', KEYS[4], agentId, json)
  publishEvent(ARGV[2], 'agent.beat', now, agentId, json)
  return json
end

local replies = {}
for i = 3, #ARGV, 6 do
  replies[#replies + 1] = beat(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
end
return replies
