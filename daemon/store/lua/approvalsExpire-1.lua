--[[
  Expiry sweep: pending requests past their expiresAt become "expired" (a rejection), once,
  whichever daemon runs the sweep.

  KEYS[1] pending index
  ARGV[1] request key prefix
  ARGV[2] most requests to expire in one call
  ARGV[3] retention of a decided record (ms)
  ARGV[4] approvals channel
  Returns how many expired.
]]
--- @include "includes/decideApproval"
local now = nowMs()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #ids do
  -- Off the pending index first: a ZREM is not a memory-growing write, so requests still expire
  -- when Redis is at maxmemory (see agentsExpire).
  redis.call('ZREM', KEYS[1], ids[i])
  local key = ARGV[1] .. ids[i]
  if redis.call('HGET', key, 'status') == 'pending' then
    decideApproval(key, ids[i], 'expired', now, {}, ARGV[3], ARGV[4])
  end
end
return #ids
