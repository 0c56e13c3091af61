--[[
  One party arrives at a barrier; the one that makes `parties` releases its generation.

  KEYS[1] the barrier's hash (generation, arrived, parties)
  ARGV[1] barrier name
  ARGV[2] parties
  ARGV[3] how long the barrier must last at least (ms): the caller's timeout
  ARGV[4] coordination channel
  Returns {released 1|0, arrived, generation}. Errors: CONFLICT (parties differ from the waiting ones').
]]
--- @include "includes/scriptErrors"
--- @include "includes/publishEvent"
--- @include "includes/expiredKept"
local name, parties, channel = ARGV[1], tonumber(ARGV[2]), ARGV[4]
local h = redis.call('HMGET', KEYS[1], 'generation', 'arrived', 'parties')
local generation, arrived = tonumber(h[1] or '0'), tonumber(h[2] or '0')
if arrived > 0 and tonumber(h[3]) ~= parties then
  return fail(ERR.CONFLICT, 'barrier "' .. name .. '" is waiting for ' .. h[3] .. ' parties, not ' .. int(parties))
end
arrived = arrived + 1
local now = nowMs()
local event = '{"name":' .. cjson.encode(name) .. ',"parties":' .. int(parties) .. ',"arrived":' .. int(arrived) .. ',"generation":' .. int(generation) .. '}'
-- The generation must outlive every waiter of it, or a waiter could miss its release.
local keep = tonumber(ARGV[3]) + EXPIRED_KEPT_MS
if redis.call('PTTL', KEYS[1]) > keep then keep = redis.call('PTTL', KEYS[1]) end
if arrived >= parties then
  redis.call('HSET', KEYS[1], 'generation', generation + 1, 'arrived', 0, 'parties', 0)
  redis.call('PEXPIRE', KEYS[1], keep)
  publishEvent(channel, 'barrier.released', now, 'barrier:' .. name, event)
  return { 1, arrived, generation }
end
redis.call('HSET', KEYS[1], 'generation', generation, 'arrived', arrived, 'parties', parties)
redis.call('PEXPIRE', KEYS[1], keep)
publishEvent(channel, 'barrier.arrived', now, 'barrier:' .. name, event)
return { 0, arrived, generation }
