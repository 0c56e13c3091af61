--[[
  The dead jobs of a queue, most recently dead first.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] most jobs to list
  Returns a JSON array of Jobs.
]]
--- @include "includes/queueJob"
local ids = redis.call('ZRANGE', DEAD, 0, tonumber(ARGV[2]) - 1, 'REV')
local out = {}
for i = 1, #ids do
  local json = jobJson(ARGV[1] .. ids[i])
  if json then out[#out + 1] = json end
end
return '[' .. table.concat(out, ',') .. ']'
