--[[
  Ends an agent with its final status. An expired agent may still report how it ended.

  KEYS[1] agent hash
  KEYS[2] expiry index
  KEYS[3] beats index
  KEYS[4] ended index
  KEYS[5] listed (hash: id -> AgentStatus JSON of every agent agent.list shows)
  ARGV[1] agentId
  ARGV[2] final status ("completed" | "failed" | "cancelled")
  ARGV[3] retention of the record after it ends (ms)
  ARGV[4] agents channel
  Returns the AgentStatus JSON; publishes agent.stopped.
  Errors: NOT_FOUND, CONFLICT (already stopped).
]]
--- @include "includes/scriptErrors"
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/agentJson"
--- @include "includes/endAgent"
local state = redis.call('HMGET', KEYS[1], 'status', 'alive')
if not state[1] then
  return fail(ERR.NOT_FOUND, 'agent "' .. ARGV[1] .. '" is not registered')
end
if state[2] ~= '1' and state[1] ~= 'expired' then
  return fail(ERR.CONFLICT, 'agent "' .. ARGV[1] .. '" has already stopped (' .. state[1] .. ')')
end
local idx = { beats = KEYS[3], ended = KEYS[4], listed = KEYS[5] }
local json = endAgent(KEYS[1], ARGV[1], ARGV[2], nowMs(), idx, ARGV[3], ARGV[4], 'agent.stopped')
redis.call('ZREM', KEYS[2], ARGV[1])
return json
