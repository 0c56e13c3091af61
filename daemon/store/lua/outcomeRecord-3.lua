--[[
  Records outcomes: those that reached the daemon in the same tick, from any number of
  connections, in one call. Each is appended to the capped stream, counted in its agent's current
  stats bucket, and moves the agent's failure-rate alert, which is published when it turns on or
  off. A client-given eventId seen within the dedupe time records nothing and answers the first.

  KEYS[1] outcomes stream
  KEYS[2] agents (zset: agent -> latest outcome ms)
  KEYS[3] alerting agents (zset: agent -> when its alert went on)
  ARGV[1] agent hash prefix
  ARGV[2] bucket key prefix
  ARGV[3] eventId key prefix
  ARGV[4] approximate stream cap
  ARGV[5] outcomes channel
  ARGV[6] alert threshold (percent)
  ARGV[7] outcomes an agent needs before an alert
  ARGV[8] dedupe time (ms)
  ARGV[9…] eleven values per outcome:
    eventId
    dedupe ('1': the client chose the eventId, remember it)
    agentName
    status
    tokens
    cost (integer, 1e-9 USD)
    duration (integer, µs)
    histogram bin
    workflowId, or ''
    tags as '\n'-separated and -wrapped text, or ''
    the other fields as JSON members, without braces
  Returns, per outcome in order, its OutcomeEvent JSON, or an error: CONFLICT (a repeated eventId
  whose first record has left the stream). Publishes outcome.recorded once, with the new outcomes.
]]
--- @include "includes/scriptErrors"
--- @include "includes/outcomeAlerts"
local agentPrefix, bucketPrefix, idPrefix = ARGV[1], ARGV[2], ARGV[3]
local percent, minCount, dedupeMs = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local now = nowMs()
local nowBucket = math.floor(now / BUCKET_MS)

local function previous(eventId)
  local entryId = redis.call('GET', idPrefix .. eventId)
  if not entryId then return nil end
  local entry = redis.call('XRANGE', KEYS[1], entryId, entryId)[1]
  if not entry then
    return fail(ERR.CONFLICT, 'outcome "' .. eventId .. '" was recorded already and has left the stream')
  end
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'j' then return fields[i + 1] end
  end
end

local function record(eventId, dedupe, agentName, status, tokens, cost, duration, bin, workflowId, tags, body)
  if dedupe == '1' then
    local first = previous(eventId)
    if first then return first, false end
  end
  local agentKey = agentPrefix .. agentName
  local agentBuckets = bucketPrefix .. agentName .. ':'
  local w = alertWindow(agentKey, agentBuckets, nowBucket)
  local isError = IS_ERROR[status] and 1 or 0
  local bucketKey = agentBuckets .. w.head
  -- BITFIELD is the first write: at maxmemory Redis refuses the script before anything changes.
  local counts = redis.call('BITFIELD', bucketKey,
    'INCRBY', 'u32', '#' .. COUNT_SLOT, 1,
    'INCRBY', 'u32', '#' .. STATUS_SLOT[status], 1,
    'INCRBY', 'u32', '#' .. ERRORS_SLOT, isError,
    'INCRBY', 'i64', '#' .. TOKENS_SLOT, tokens,
    'INCRBY', 'i64', '#' .. COST_SLOT, cost,
    'INCRBY', 'i64', '#' .. DURATION_SLOT, duration,
    'INCRBY', 'u32', '#' .. (BINS_SLOT + tonumber(bin)), 1)
  if counts[1] == 1 then redis.call('PEXPIREAT', bucketKey, (w.head + 1) * BUCKET_MS + BUCKET_KEEP_MS) end
  w.n, w.e = w.n + 1, w.e + isError
  settleAlert(agentKey, KEYS[3], agentName, w, percent, minCount, now, ARGV[5])
  redis.call('ZADD', KEYS[2], now, agentName)
  local severity = (isError == 1 and w.alerting) and 'critical' or SEVERITY[status]
  local json = '{"eventId":"' .. eventId .. '","timestamp":' .. int(now) .. ',"severity":"' .. severity .. '",' .. body .. '}'
  local entryId = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'a', agentName, 's', status, 'w', workflowId,
    't', tags, 'j', json)
  if dedupe == '1' then redis.call('SET', idPrefix .. eventId, entryId, 'PX', dedupeMs) end
  return json, true
end

local replies, recorded = {}, {}
for i = 9, #ARGV, 11 do
  local reply, new = record(unpack(ARGV, i, i + 10))
  replies[#replies + 1] = reply
  if new then recorded[#recorded + 1] = reply end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - BUCKET_KEEP_MS)
if #recorded > 0 then publishEvent(ARGV[5], 'outcome.recorded', now, '', '[' .. table.concat(recorded, ',') .. ']') end
return replies
