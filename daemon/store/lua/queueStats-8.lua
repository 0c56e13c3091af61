--[[
  A queue's counts.

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix (unused; the queue scripts share one argument order)
  ARGV[2] the daemon's default maxLength
  Returns the QueueStats JSON.
]]
--- @include "includes/queueJob"
return statsJson(ARGV[2])
