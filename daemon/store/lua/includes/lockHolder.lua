--- @include "includes/scriptErrors"
--- @include "includes/publishEvent"
--- @include "includes/expiredKept"
-- A lock's holder hash (KEYS[1]): owner, token, expiresAt. Expired holders stay a grace period so
-- that whoever notices first (the sweep, or the next acquire) publishes lock.expired.
local function lockJson(name, owner, token, expiresAt)
  return '{"name":' .. cjson.encode(name) .. ',"owner":' .. cjson.encode(owner) .. ',"fencingToken":' .. int(token)
    .. ',"expiresAt":' .. int(expiresAt) .. '}'
end

-- The holder as {owner, token, expiresAt}, or nil.
local function lockHolder()
  local h = redis.call('HMGET', KEYS[1], 'owner', 'token', 'expiresAt')
  if not h[1] then return nil end
  return { h[1], tonumber(h[2]), tonumber(h[3]) }
end

-- Drops an expired holder and publishes it; says whether the lock is free now.
local function dropExpired(name, holder, now, channel)
  if not holder then return true end
  if holder[3] > now then return false end
  redis.call('DEL', KEYS[1])
  publishEvent(channel, 'lock.expired', now, 'lock:' .. name, lockJson(name, holder[1], holder[2], holder[3]))
  return true
end

-- The check of renew and release: the caller holds the lock with this token, unexpired.
local function lockHeldBy(name, owner, token, holder, now)
  if holder and holder[2] == token and holder[1] == owner and holder[3] > now then return nil end
  local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
  if token < fence then
    return fail(ERR.CONFLICT, 'stale fencing token ' .. int(token) .. ' for lock "' .. name .. '" (granted again since: token ' .. int(fence) .. ')')
  end
  if holder and holder[2] == token and holder[1] ~= owner then
    return fail(ERR.CONFLICT, 'lock "' .. name .. '" token ' .. int(token) .. ' is not held by "' .. owner .. '"')
  end
  return fail(ERR.CONFLICT, 'lock "' .. name .. '" with token ' .. int(token) .. ' is not held (its lease ran out or it was released)')
end
