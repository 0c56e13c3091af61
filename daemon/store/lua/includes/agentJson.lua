-- AgentStatus JSON of an agent hash, or nil when the hash is gone. The metadata field already
-- holds JSON text and is spliced in as is, so numbers in it keep their precision.
local function agentJson(key)
  local f = redis.call('HMGET', key, 'agentId', 'status', 'progress', 'currentTask', 'metadata',
    'startedAt', 'lastBeatAt', 'ttlSeconds', 'alive')
  if not f[1] then return nil end
  local task = 'null'
  if f[4] then task = cjson.encode(f[4]) end
  return '{"agentId":' .. cjson.encode(f[1]) .. ',"status":"' .. f[2] .. '","progress":' .. f[3] ..
    ',"currentTask":' .. task .. ',"metadata":' .. f[5] .. ',"startedAt":' .. f[6] ..
    ',"lastBeatAt":' .. f[7] .. ',"ttlSeconds":' .. f[8] .. ',"alive":' ..
    (f[9] == '1' and 'true' or 'false') .. '}'
end

-- A JSON array of the AgentStatus of each id (ids whose hash is gone are left out).
local function agentsJsonArray(prefix, ids, out)
  for i = 1, #ids do
    local json = agentJson(prefix .. ids[i])
    if json then out[#out + 1] = json end
  end
  return out
end
