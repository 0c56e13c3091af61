--[[
  Removes up to `batch` jobs in one state (dead, completed, waiting or delayed); the daemon calls it
  again until it removes fewer, so no single call holds Redis for long.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] state
  ARGV[4] most jobs to remove in this call
  ARGV[5] jobs removed by the earlier calls of this purge
  ARGV[6] queues channel
  Returns how many it removed; publishes queue.purged (with the total) on the last call.
]]
--- @include "includes/queueJob"
--- @include "includes/publishEvent"
local prefix, state, batch = ARGV[1], ARGV[3], tonumber(ARGV[4])
local ids = {}
if state == 'waiting' then
  for _, list in ipairs({ WAIT.high, WAIT.normal, WAIT.low }) do
    if #ids < batch then
      for _, id in ipairs(redis.call('RPOP', list, batch - #ids) or {}) do ids[#ids + 1] = id end
    end
  end
else
  local index = ({ dead = DEAD, completed = COMPLETED, delayed = DELAYED })[state]
  ids = redis.call('ZRANGE', index, 0, batch - 1)
  if #ids > 0 then redis.call('ZREM', index, unpack(ids)) end
end
for i = 1, #ids do redis.call('DEL', prefix .. ids[i]) end
if #ids < batch then
  publishEvent(ARGV[6], 'queue.purged', nowMs(), ARGV[2], '{"queue":' .. cjson.encode(ARGV[2]) .. ',"state":"' .. state ..
    '","removed":' .. (tonumber(ARGV[5]) + #ids) .. '}')
end
return #ids
