--[[
  Expiry sweep: every alive agent whose deadline has passed becomes "expired", once, whichever
  daemon runs the sweep. Also forgets ended agents older than the agent.list window.

  KEYS[1] expiry index
  KEYS[2] beats index
  KEYS[3] ended index
  ARGV[1] agent key prefix
  ARGV[2] most agents to expire in one call
  ARGV[3] retention of an ended record (ms)
  ARGV[4] agent.list window for ended agents (ms)
  ARGV[5] agents channel
  Returns how many agents expired.
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
--- @include "includes/endAgent"
local now = nowMs()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #ids do
  local key = ARGV[1] .. ids[i]
  if redis.call('EXISTS', key) == 1 then
    endAgent(key, ids[i], 'expired', now, KEYS[1], KEYS[2], KEYS[3], ARGV[3], ARGV[5], 'agent.expired')
  else
    redis.call('ZREM', KEYS[1], ids[i])
    redis.call('ZREM', KEYS[2], ids[i])
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))
return #ids
