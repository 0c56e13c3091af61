--[[
  Records the one answer a request gets. A request whose time ran out is expired here (if the
  sweeper has not got to it yet) and the late answer refused.

  KEYS[1] request hash
  KEYS[2] pending index
  ARGV[1] requestId
  ARGV[2] "1" approved, "0" rejected
  ARGV[3] responder
  ARGV[4] reason, or ""
  ARGV[5] retention of a decided record (ms)
  ARGV[6] approvals channel
  ARGV[7] the answer (JSON text, checked by the caller against the question), or ""
  Returns the Approval JSON; publishes approval.approved | approval.rejected.
  Errors: NOT_FOUND, CONFLICT (already decided or expired).
]]
--- @include "includes/scriptErrors"
--- @include "includes/decideApproval"
local f = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'responder')
if not f[1] then
  return fail(ERR.NOT_FOUND, 'approval request "' .. ARGV[1] .. '" does not exist')
end
local now = nowMs()
if f[1] == 'pending' and now >= tonumber(f[2]) then
  decideApproval(KEYS[1], ARGV[1], 'expired', now, {}, ARGV[5], ARGV[6])
  redis.call('ZREM', KEYS[2], ARGV[1])
  f[1] = 'expired'
end
if f[1] ~= 'pending' then
  local by = ''
  if f[3] then by = ' by ' .. f[3] end
  return fail(ERR.CONFLICT, 'approval request "' .. ARGV[1] .. '" is already ' .. f[1] .. by)
end
local extra = { 'responder', ARGV[3] }
if ARGV[4] ~= '' then
  extra[#extra + 1] = 'reason'
  extra[#extra + 1] = ARGV[4]
end
if ARGV[7] ~= '' then
  extra[#extra + 1] = 'answer'
  extra[#extra + 1] = ARGV[7]
end
local json = decideApproval(KEYS[1], ARGV[1], ARGV[2] == '1' and 'approved' or 'rejected', now, extra, ARGV[5], ARGV[6])
redis.call('ZREM', KEYS[2], ARGV[1])
return json
