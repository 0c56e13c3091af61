--[[
  A waiter's timeout passed: its arrival is withdrawn, unless its generation was released meanwhile.

  KEYS[1] the barrier's hash (generation, arrived, parties)
  ARGV[1] barrier name
  ARGV[2] the waiter's generation
  ARGV[3] coordination channel
  Returns {released 1|0, arrived}.
]]
--- @include "includes/publishEvent"
local name, generation = ARGV[1], tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'generation', 'arrived', 'parties')
if tonumber(h[1] or '0') ~= generation then return { 1, 0 } end
local arrived = math.max(0, tonumber(h[2] or '1') - 1)
redis.call('HSET', KEYS[1], 'arrived', arrived)
publishEvent(ARGV[3], 'barrier.timedout', nowMs(), 'barrier:' .. name,
  '{"name":' .. cjson.encode(name) .. ',"parties":' .. int(tonumber(h[3] or '0')) .. ',"arrived":' .. int(arrived) .. ',"generation":' .. int(generation) .. '}')
return { 0, arrived }
