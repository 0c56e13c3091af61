-- The hash fields of an agent, in the order agentJsonOf reads them.
local AGENT_FIELDS = { 'agentId', 'status', 'progress', 'currentTask', 'metadata', 'startedAt', 'lastBeatAt',
  'ttlSeconds', 'alive' }

-- AgentStatus JSON from field values (as HMGET returns them). The metadata field already holds
-- JSON text and is spliced in as is, so numbers in it keep their precision.
local function agentJsonOf(f)
  local task = 'null'
  if f[4] then task = cjson.encode(f[4]) end
  return '{"agentId":' .. cjson.encode(f[1]) .. ',"status":"' .. f[2] .. '","progress":' .. f[3] ..
    ',"currentTask":' .. task .. ',"metadata":' .. f[5] .. ',"startedAt":' .. f[6] ..
    ',"lastBeatAt":' .. f[7] .. ',"ttlSeconds":' .. f[8] .. ',"alive":' ..
    (f[9] == '1' and 'true' or 'false') .. '}'
end

-- AgentStatus JSON of an agent hash, or nil when the hash is gone.
local function agentJson(key)
  local f = redis.call('HMGET', key, unpack(AGENT_FIELDS))
  if not f[1] then return nil end
  return agentJsonOf(f)
end
