--[[
  Alive agents whose last beat is older than the threshold.

  KEYS[1] beats index (zset: id -> last beat ms)
  KEYS[2] listed (hash: id -> AgentStatus JSON)
  ARGV[1] threshold (ms)
  Returns a JSON array of AgentStatus, longest silent first.
]]
--- @include "includes/nowMs"
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. int(nowMs() - tonumber(ARGV[1])))
if #ids == 0 then return '[]' end
return '[' .. table.concat(redis.call('HMGET', KEYS[2], unpack(ids)), ',') .. ']'
