--[[
  The sweeper's visit to one queue: delayed jobs that fell due join their line, deliveries whose
  visibility ran out are delivered again or go dead (as queue.receive does first).

  KEYS[1..8] the queue's keys (includes/queueJob)
  ARGV[1] job key prefix
  ARGV[2] queue name
  ARGV[3] most jobs of each kind to move
  ARGV[4] queues channel
  Returns the next due time (epoch ms) or 0.
]]
--- @include "includes/queueMoves"
promoteDue(ARGV[1], nowMs(), tonumber(ARGV[3]), ARGV[4], ARGV[2])
return int(nextDue())
