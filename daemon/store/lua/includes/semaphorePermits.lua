--- @include "includes/scriptErrors"
--- @include "includes/publishEvent"
--- @include "includes/expiredKept"
-- A semaphore's permits (KEYS[1], permit id → expiresAt) and owners (KEYS[2], permit id → owner,
-- `#limit` → the latest acquire's limit).
local function permitJson(name, permitId, owner, expiresAt, limit, held)
  return '{"name":' .. cjson.encode(name) .. ',"permitId":' .. cjson.encode(permitId) .. ',"owner":' .. cjson.encode(owner)
    .. ',"expiresAt":' .. int(expiresAt) .. ',"limit":' .. int(limit) .. ',"held":' .. int(held) .. '}'
end

local function semaphoreLimit()
  return tonumber(redis.call('HGET', KEYS[2], '#limit') or '0')
end

-- Returns the permits whose time ran out (publishing semaphore.expired for each).
local function pruneExpired(name, now, channel)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
  if #expired == 0 then return end
  local limit = semaphoreLimit()
  local held = redis.call('ZCARD', KEYS[1])
  for i = 1, #expired, 2 do
    local permitId = expired[i]
    local owner = redis.call('HGET', KEYS[2], permitId) or ''
    redis.call('ZREM', KEYS[1], permitId)
    redis.call('HDEL', KEYS[2], permitId)
    held = held - 1
    publishEvent(channel, 'semaphore.expired', now, 'semaphore:' .. name, permitJson(name, permitId, owner, tonumber(expired[i + 1]), limit, held))
  end
end

-- The earliest permit expiry (epoch ms), or 0 when none is held.
local function earliestExpiry()
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(first[2] or '0')
end

-- Both keys live as long as their last permit.
local function keepUntilLastPermit(now)
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if not last[2] then
    redis.call('DEL', KEYS[1], KEYS[2])
    return
  end
  local ttl = math.max(1, tonumber(last[2]) - now) + EXPIRED_KEPT_MS
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end

-- The check of renew and release: the permit is held and unexpired.
local function permitHeld(name, permitId, now)
  local expiresAt = tonumber(redis.call('ZSCORE', KEYS[1], permitId))
  if expiresAt and expiresAt > now then return expiresAt end
  return nil, fail(ERR.CONFLICT, 'permit "' .. permitId .. '" of semaphore "' .. name .. '" is not held (its ttl ran out or it was released)')
end
