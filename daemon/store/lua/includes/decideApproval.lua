--- @include "includes/nowMs"
--- @include "includes/publishEvent"
--- @include "includes/approvalJson"
-- Moves a pending request to its final status (approved | rejected | expired), keeps the record
-- for the retention, and publishes approval.<status>. An expired question is answered its default. The caller takes it off the pending index:
-- approval.respond after this HSET (at maxmemory Redis refuses the script there, before anything
-- changed), the sweep before it (see approvalsExpire).
local function decideApproval(key, requestId, status, now, extra, retentionMs, channel)
  if status == 'expired' then
    local default = redis.call('HGET', key, 'default')
    if default then extra = { 'answer', default } end
  end
  redis.call('HSET', key, 'status', status, 'decidedAt', int(now), unpack(extra))
  redis.call('PEXPIRE', key, retentionMs)
  local json = approvalJson(key)
  publishEvent(channel, 'approval.' .. status, now, requestId, json)
  return json
end
