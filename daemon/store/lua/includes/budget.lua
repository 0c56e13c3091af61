--- @include "includes/nowMs"
-- One budget, as its hash holds it: tk tokens allowed and cn cost allowed (integer 1e-9 USD; each
-- optional), p period (ms), ps start of the period its use counts, ut tokens used, uc cost used
-- (1e-9 USD), wp / xp the period start already announced as warning / exceeded (once a period each).
-- Periods are aligned to epoch multiples of p, so every daemon agrees on them without a clock of
-- their own; a period that has ended reads as a fresh one with nothing used.
local BUDGET_FIELDS = { 'tk', 'cn', 'p', 'ps', 'ut', 'uc', 'wp', 'xp' }
local NANO_PER_USD = 1e9

local function budgetLoad(prefix, scope, now)
  local values = redis.call('HMGET', prefix .. scope, unpack(BUDGET_FIELDS))
  if not values[3] then return nil end
  local b = { scope = scope, key = prefix .. scope }
  for i, field in ipairs(BUDGET_FIELDS) do b[field] = tonumber(values[i]) end
  local start = now - now % b.p
  if b.ps ~= start then b.ps, b.ut, b.uc = start, 0, 0 end
  return b
end

-- The larger of the token and cost fractions used.
local function budgetFraction(b)
  local used = 0
  if b.tk then used = math.max(used, b.ut / b.tk) end
  if b.cn then used = math.max(used, b.uc / b.cn) end
  return used
end

local function budgetJson(b, warn)
  local used = budgetFraction(b)
  local state = 'ok'
  if used >= 1 then state = 'exceeded' elseif used >= warn then state = 'warning' end
  local json = '{"scope":' .. cjson.encode(b.scope)
  if b.tk then json = json .. ',"tokens":' .. int(b.tk) end
  if b.cn then json = json .. ',"costUsd":' .. cjson.encode(b.cn / NANO_PER_USD) end
  return json .. ',"periodSeconds":' .. int(b.p / 1000) .. ',"periodStart":' .. int(b.ps)
    .. ',"used":{"tokens":' .. int(b.ut) .. ',"costUsd":' .. cjson.encode(b.uc / NANO_PER_USD) .. '},"state":"' .. state .. '"}'
end

local function budgetSave(b)
  local fields = {}
  for _, field in ipairs(BUDGET_FIELDS) do
    if b[field] then fields[#fields + 1], fields[#fields + 2] = field, int(b[field]) end
  end
  redis.call('DEL', b.key)
  redis.call('HSET', b.key, unpack(fields))
end

-- Marks budget.warning and budget.exceeded, each once a period, when the use has reached them:
-- `changes` collects "<event type>", "<Budget JSON>" pairs, which the caller audits and announces.
local function budgetAnnounce(b, warn, changes)
  local used = budgetFraction(b)
  for _, step in ipairs({ { 'warning', 'wp', warn }, { 'exceeded', 'xp', 1 } }) do
    local kind, field, limit = step[1], step[2], step[3]
    if used >= limit and b[field] ~= b.ps then
      b[field] = b.ps
      changes[#changes + 1] = 'budget.' .. kind
      changes[#changes + 1] = budgetJson(b, warn)
    end
  end
end
