-- The Redis server clock in epoch milliseconds: one clock for every daemon sharing this Redis.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- An integral number as JSON text (tostring would switch to exponent notation past 14 digits).
local function int(n)
  return string.format('%.0f', n)
end
