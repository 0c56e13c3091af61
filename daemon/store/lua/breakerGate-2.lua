--[[
  Whether a call may pass the breakers of its agent and tool: an open one refuses; a half-open one
  lets halfOpenTrials calls through per trial round and refuses more. The slots are taken only when
  every breaker lets the call through, all in this one step, so concurrent calls never take more.

  KEYS[1] seen (zset; unused here, names the slot)
  KEYS[2] open (zset: open breaker name -> when it turns half-open)
  ARGV[1] breaker hash prefix
  ARGV[2] safety channel
  ARGV[3] now (epoch ms), or '' for the Redis clock
  ARGV[4..9] settings (includes/breaker)
  ARGV[10…] the breaker names
  Returns {} when the call may pass, else {name, state, retry at (epoch ms), now}.
]]
--- @include "includes/breaker"
local prefix = ARGV[1]
local now = breakerNow(ARGV[3])
local s = breakerSettings(4)
local ctx = { channel = ARGV[2], open = KEYS[2], changes = {} }
local trials, refusal = {}, nil

for i = 10, #ARGV do
  if redis.call('EXISTS', prefix .. ARGV[i]) == 1 then
    local b = breakerLoad(prefix, ARGV[i])
    breakerDue(b, now, s, ctx)
    if b.s == 'open' or (b.s == 'half_open' and b.t >= s.trials) then
      refusal = refusal or { b.name, b.s, int(b.r), int(now) }
    elseif b.s == 'half_open' then
      trials[#trials + 1] = b
    end
    if b.dirty then breakerSave(b, s) end
  end
end

if refusal then return refusal end
for _, b in ipairs(trials) do
  b.t, b.dirty = b.t + 1, true
  breakerSave(b, s)
end
return {}
