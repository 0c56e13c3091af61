--- @include "includes/publishEvent"
-- One circuit breaker, as its hash holds it: s state (closed, open, half_open), f consecutive
-- failures, o openedAt, r retryAt (open: when it turns half-open; half_open: when an unfinished
-- trial round starts over, so trials whose outcome never came do not hold it half-open for ever),
-- t trial slots taken, k trial successes, w ring bucket length (ms), and per ring slot i: n<i> the
-- bucket number it counts, c<i> calls, e<i> errors. The ring is BREAKER_RING buckets spanning the
-- error-rate window: a fixed-size structure, never a re-read of history.
local BREAKER_RING = 10
local BREAKER_FIELDS = { 'f', 'o', 'r', 't', 'k', 'w' }
local BREAKER_EVENTS = { open = 'breaker.opened', half_open = 'breaker.half_open', closed = 'breaker.closed' }

-- The settings, in this order from ARGV[i]: consecutiveFailures, errorRatePercent, windowMs,
-- minCalls, coolDownMs, halfOpenTrials.
local function breakerSettings(i)
  return {
    consecutive = tonumber(ARGV[i]), percent = tonumber(ARGV[i + 1]), windowMs = tonumber(ARGV[i + 2]),
    minCalls = tonumber(ARGV[i + 3]), coolDownMs = tonumber(ARGV[i + 4]), trials = tonumber(ARGV[i + 5]),
  }
end

-- The clock a caller passed (tests), or the Redis server's.
local function breakerNow(arg)
  if arg ~= '' then return tonumber(arg) end
  return nowMs()
end

local function breakerLoad(prefix, name)
  local flat = redis.call('HGETALL', prefix .. name)
  local b = { name = name, key = prefix .. name, s = 'closed', f = 0, t = 0, k = 0, ring = {}, exists = #flat > 0 }
  for i = 1, #flat, 2 do
    local field, value = flat[i], flat[i + 1]
    if field == 's' then b.s = value else b[field] = tonumber(value) end
  end
  return b
end

local function breakerJson(b)
  local json = '{"name":' .. cjson.encode(b.name) .. ',"state":"' .. b.s .. '","failures":' .. int(b.f)
  if b.s ~= 'closed' then json = json .. ',"openedAt":' .. int(b.o) end
  if b.s == 'open' then json = json .. ',"retryAt":' .. int(b.r) end
  return json .. '}'
end

-- Moves the breaker to a state; `changes` collects "<event type>", "<Breaker JSON>" pairs (the
-- caller audits and announces opening and closing; turning half-open is announced here).
local function breakerMove(b, state, now, s, ctx)
  b.s, b.t, b.k, b.dirty = state, 0, 0, true
  if state == 'open' then
    b.o, b.r = now, now + s.coolDownMs
    redis.call('ZADD', ctx.open, b.r, b.name)
  else
    redis.call('ZREM', ctx.open, b.name)
    if state == 'half_open' then
      b.r = now + s.coolDownMs
    else
      b.f, b.o, b.r, b.w = 0, nil, nil, nil
      for i = 0, BREAKER_RING - 1 do b['n' .. i], b['c' .. i], b['e' .. i] = nil, nil, nil end
    end
  end
  local json = breakerJson(b)
  if state == 'half_open' then publishEvent(ctx.channel, BREAKER_EVENTS[state], now, b.name, json) end
  ctx.changes[#ctx.changes + 1] = BREAKER_EVENTS[state]
  ctx.changes[#ctx.changes + 1] = json
end

-- What time alone changes: open past its cool-down turns half-open; a half-open round past its
-- deadline starts over with all its trial slots free.
local function breakerDue(b, now, s, ctx)
  if b.s == 'open' and now >= b.r then
    breakerMove(b, 'half_open', now, s, ctx)
  elseif b.s == 'half_open' and now >= b.r then
    b.t, b.k, b.r, b.dirty = 0, 0, now + s.coolDownMs, true
  end
end

-- Counts a call in the ring; answers whether the window's error rate trips the breaker.
local function breakerCount(b, now, s, isError)
  local width = math.ceil(s.windowMs / BREAKER_RING)
  if b.w ~= width then
    -- A new window length: the old buckets measure something else.
    for i = 0, BREAKER_RING - 1 do b['n' .. i], b['c' .. i], b['e' .. i] = nil, nil, nil end
    b.w = width
  end
  local bucket = math.floor(now / width)
  local slot = bucket % BREAKER_RING
  if b['n' .. slot] ~= bucket then b['n' .. slot], b['c' .. slot], b['e' .. slot] = bucket, 0, 0 end
  b['c' .. slot] = b['c' .. slot] + 1
  if isError then b['e' .. slot] = b['e' .. slot] + 1 end
  b.dirty = true
  if not isError then return false end
  local calls, errors = 0, 0
  for i = 0, BREAKER_RING - 1 do
    local n = b['n' .. i]
    if n and n > bucket - BREAKER_RING then calls, errors = calls + b['c' .. i], errors + b['e' .. i] end
  end
  return calls >= s.minCalls and errors * 100 > s.percent * calls
end

-- Writes the breaker back (whole: a few dozen fields). A closed one expires once its counts can
-- no longer matter; an open or half-open one stays until it closes.
local function breakerSave(b, s)
  if not b.dirty then return end
  redis.call('DEL', b.key)
  local fields = { 's', b.s }
  for _, field in ipairs(BREAKER_FIELDS) do
    if b[field] then fields[#fields + 1], fields[#fields + 2] = field, int(b[field]) end
  end
  for i = 0, BREAKER_RING - 1 do
    for _, kind in ipairs({ 'n', 'c', 'e' }) do
      local value = b[kind .. i]
      if value then fields[#fields + 1], fields[#fields + 2] = kind .. i, int(value) end
    end
  end
  redis.call('HSET', b.key, unpack(fields))
  if b.s == 'closed' then redis.call('PEXPIRE', b.key, 2 * s.windowMs + s.coolDownMs) end
end
