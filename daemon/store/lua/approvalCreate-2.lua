--[[
  Files a pending approval request.

  KEYS[1] request hash
  KEYS[2] pending index (zset: request id -> expiresAt ms)
  ARGV[1] requestId
  ARGV[2] agentId
  ARGV[3] type
  ARGV[4] context JSON text
  ARGV[5] risk
  ARGV[6] timeout (ms)
  ARGV[7] approvals channel
  ARGV[8] a question's choices (JSON array text), or ""
  ARGV[9] a question's answerSchema (JSON text), or ""
  ARGV[10] a question's default answer (JSON text), or ""
  Returns the Approval JSON; publishes approval.requested (only when it files a new request). An
  existing request with this id is the answer: the id comes from the caller's idempotency key, or
  is a fresh random one — then the request exists only because this very call ran before (the
  Redis connection dropped before its reply, and the command was sent again).
]]
--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/approvalJson"
if redis.call('EXISTS', KEYS[1]) == 1 then return approvalJson(KEYS[1]) end
local now = nowMs()
local expiresAt = now + tonumber(ARGV[6])
redis.call('HSET', KEYS[1], 'requestId', ARGV[1], 'agentId', ARGV[2], 'type', ARGV[3], 'context', ARGV[4],
  'risk', ARGV[5], 'status', 'pending', 'requestedAt', int(now), 'expiresAt', int(expiresAt))
local question = { 'choices', 'answerSchema', 'default' }
for i = 1, #question do
  if ARGV[7 + i] ~= '' then redis.call('HSET', KEYS[1], question[i], ARGV[7 + i]) end
end
redis.call('ZADD', KEYS[2], expiresAt, ARGV[1])
local json = approvalJson(KEYS[1])
publishEvent(ARGV[7], 'approval.requested', now, ARGV[1], json)
return json
