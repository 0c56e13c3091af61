--[[
  Expiry sweep: every alive agent whose deadline has passed becomes "expired", once, whichever
  daemon runs the sweep. Also takes ended agents older than the agent.list window off the list.

  KEYS[1] expiry index
  KEYS[2] beats index
  KEYS[3] ended index
  KEYS[4] listed
  ARGV[1] agent key prefix
  ARGV[2] most agents to expire in one call
  ARGV[3] retention of an ended record (ms)
  ARGV[4] agent.list window for ended agents (ms)
  ARGV[5] agents channel
  Returns the larger of the agents expired and the ended agents taken off the list (the sweeper
  calls again while that is the batch size).
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
--- @include "includes/endAgent"
local idx = { expiry = KEYS[1], beats = KEYS[2], ended = KEYS[3], listed = KEYS[4] }
local now = nowMs()
local ids = redis.call('ZRANGEBYSCORE', idx.expiry, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #ids do
  -- Off the expiry index first. Redis at maxmemory refuses a script at its first memory-growing
  -- write, and a ZREM is not one: so agents still expire when Redis is full. What follows grows
  -- memory by a few bytes per agent (a status, an end time, an ended-index entry), once per agent.
  redis.call('ZREM', idx.expiry, ids[i])
  local key = ARGV[1] .. ids[i]
  if redis.call('EXISTS', key) == 1 then
    endAgent(key, ids[i], 'expired', now, idx, ARGV[3], ARGV[5], 'agent.expired')
  else
    redis.call('ZREM', idx.beats, ids[i])
    redis.call('HDEL', idx.listed, ids[i])
  end
end
-- ended agents leave agent.list after the window
local gone = redis.call('ZRANGEBYSCORE', idx.ended, '-inf', now - tonumber(ARGV[4]), 'LIMIT', 0, tonumber(ARGV[2]))
if #gone > 0 then
  redis.call('HDEL', idx.listed, unpack(gone))
  redis.call('ZREM', idx.ended, unpack(gone))
end
return math.max(#ids, #gone)
