--[[
  Records outcomes: those that reached the daemon in the same tick, from any number of
  connections, in one call. Each is appended to the capped stream, counted in its agent's current
  stats bucket and running window (includes/outcomeWindow), and moves the agent's failure-rate
  alert, which is published when it turns on or off. A client-given eventId seen within the dedupe
  time records nothing and answers the first. The counters of one agent's outcomes are summed here
  and written once per call (one BITFIELD on its bucket, one on its window), its window read and
  stored once: a busy agent costs a few commands per call, not per outcome.

  KEYS[1] outcomes stream
  KEYS[2] agents (zset: agent -> latest outcome ms)
  KEYS[3] alerting agents (zset: agent -> when its alert went on)
  ARGV[1] agent hash prefix
  ARGV[2] running window key prefix
  ARGV[3] bucket key prefix
  ARGV[4] eventId key prefix
  ARGV[5] approximate stream cap
  ARGV[6] outcomes channel
  ARGV[7] alert threshold (percent)
  ARGV[8] outcomes an agent needs before an alert
  ARGV[9] dedupe time (ms)
  ARGV[10…] eleven values per outcome:
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
  Returns, per outcome in order, its OutcomeEvent JSON; for a repeated eventId, the first record's
  JSON in a one-item array (the caller must not count it again); or an error: CONFLICT (a repeated
  eventId whose first record has left the stream). Publishes outcome.recorded once, with the new outcomes.
]]
--- @include "includes/scriptErrors"
--- @include "includes/outcomeWindow"
local agentPrefix, windowPrefix, bucketPrefix, idPrefix, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
local percent, minCount, dedupeMs = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local now = nowMs()
local nowBucket = math.floor(now / BUCKET_MS)
-- The windows of the agents of this call, by name, and in first-seen order.
local windows, touched = {}, {}

-- Sums one counter of an agent's outcomes in this call.
local function add(w, kind, slot, value)
  local sums = w[kind]
  sums[slot] = (sums[slot] or 0) + value
end

-- Writes an agent's summed counters to its current bucket (made to expire when it can no longer
-- be read) and to its running window.
local function flushCounters(w)
  local ops = {}
  for _, kind in ipairs({ 'u32', 'i64' }) do
    for slot, value in pairs(w[kind]) do
      ops[#ops + 1], ops[#ops + 2], ops[#ops + 3], ops[#ops + 4] = 'INCRBY', kind, '#' .. slot, int(value)
    end
  end
  local bucketKey = w.buckets .. w.head
  -- COUNT_SLOT is summed for every outcome: its new value tells a new bucket.
  local before = redis.call('BITFIELD_RO', bucketKey, 'GET', 'u32', '#' .. COUNT_SLOT)[1]
  redis.call('BITFIELD', bucketKey, unpack(ops))
  if before == 0 then redis.call('PEXPIREAT', bucketKey, (w.head + 1) * BUCKET_MS + BUCKET_KEEP_MS) end
  redis.call('BITFIELD', w.windowKey, unpack(ops))
end

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
    if type(first) == 'table' then return first, false end -- CONFLICT, in the item's place
    if first then return { first }, false end
  end
  local w = windows[agentName]
  if not w then
    w = openWindow(agentPrefix, windowPrefix, bucketPrefix, agentName, nowBucket)
    w.u32, w.i64 = {}, {}
    windows[agentName], touched[#touched + 1] = w, w
  end
  local isError = IS_ERROR[status] and 1 or 0
  add(w, 'u32', COUNT_SLOT, 1)
  add(w, 'u32', STATUS_SLOT[status], 1)
  add(w, 'u32', ERRORS_SLOT, isError)
  add(w, 'i64', TOKENS_SLOT, tonumber(tokens))
  add(w, 'i64', COST_SLOT, tonumber(cost))
  add(w, 'i64', DURATION_SLOT, tonumber(duration))
  add(w, 'u32', BINS_SLOT + tonumber(bin), 1)
  w.n, w.e = w.n + 1, w.e + isError
  settleAlert(w, KEYS[3], percent, minCount, now, channel)
  local severity = (isError == 1 and w.alerting) and 'critical' or SEVERITY[status]
  local json = '{"eventId":"' .. eventId .. '","timestamp":' .. int(now) .. ',"severity":"' .. severity .. '",' .. body .. '}'
  local entryId = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], '*', 'a', agentName, 's', status, 'w', workflowId,
    't', tags, 'j', json)
  if dedupe == '1' then redis.call('SET', idPrefix .. eventId, entryId, 'PX', dedupeMs) end
  return json, true
end

local replies, recorded = {}, {}
for i = 10, #ARGV, 11 do
  local reply, new = record(unpack(ARGV, i, i + 10))
  replies[#replies + 1] = reply
  if new then recorded[#recorded + 1] = reply end
end
for _, w in ipairs(touched) do
  if next(w.u32) then flushCounters(w) end
  saveWindow(w)
  redis.call('ZADD', KEYS[2], now, w.name)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - BUCKET_KEEP_MS)
if #recorded > 0 then publishEvent(channel, 'outcome.recorded', now, '', '[' .. table.concat(recorded, ',') .. ']') end
return replies
