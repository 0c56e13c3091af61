--[[
  Sets a queue's maxLength.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix (unused; the queue scripts share one argument order)
  ARGV[2] maxLength
  Returns the QueueStats JSON.
]]
--- @include "includes/queueJob"
redis.call('HSET', META, 'maxLength', ARGV[2])
return statsJson(ARGV[2])
