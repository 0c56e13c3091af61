--[[
  Feeds circuit breakers with the outcomes of one tick (from any number of connections): each
  outcome counts for its agent's and its tool's breaker. Closed: a failure adds to the
  consecutive count and the error-rate ring, a success resets the count; either limit opens it.
  Half-open: a failure opens it again, the halfOpenTrials-th success closes it. Open: outcomes
  are not counted (calls made before it opened). Each breaker is read and written once per call.

  KEYS[1] seen (zset: breaker name -> latest failure ms)
  KEYS[2] open (zset: open breaker name -> when it turns half-open)
  ARGV[1] breaker hash prefix
  ARGV[2] safety channel
  ARGV[3] now (epoch ms), or '' for the Redis clock
  ARGV[4..9] settings (includes/breaker)
  ARGV[10…] two values per outcome and breaker: name, '1' for an error outcome or '0'
  Returns the transitions, as "<event type>", "<Breaker JSON>" pairs in order.
]]
--- @include "includes/breaker"
local prefix = ARGV[1]
local now = breakerNow(ARGV[3])
local s = breakerSettings(4)
local ctx = { channel = ARGV[2], open = KEYS[2], changes = {} }
local loaded, order = {}, {}

for i = 10, #ARGV, 2 do
  local name, isError = ARGV[i], ARGV[i + 1] == '1'
  local b = loaded[name]
  if not b then
    b = breakerLoad(prefix, name)
    breakerDue(b, now, s, ctx)
    loaded[name], order[#order + 1] = b, b
  end
  if isError then redis.call('ZADD', KEYS[1], now, name) end
  if b.s == 'closed' then
    local tripped = breakerCount(b, now, s, isError)
    if isError then b.f = b.f + 1 else b.f = 0 end
    if isError and (b.f >= s.consecutive or tripped) then breakerMove(b, 'open', now, s, ctx) end
  elseif b.s == 'half_open' then
    if isError then
      b.f = b.f + 1
      breakerMove(b, 'open', now, s, ctx)
    else
      b.k, b.dirty = b.k + 1, true
      if b.k >= s.trials then breakerMove(b, 'closed', now, s, ctx) end
    end
  end
end

for _, b in ipairs(order) do breakerSave(b, s) end
return ctx.changes
