--- @include "includes/nowMs"
-- Appends one AuditEntry (JSON text without id and ts) to the capped audit stream; answers the
-- entry id and its time (epoch ms, the Redis clock), which the caller's event and record reuse.
local function auditAppend(stream, maxLen, kind, entry)
  local id = redis.call('XADD', stream, 'MAXLEN', '~', maxLen, '*', 'k', kind, 'j', entry)
  return id, tonumber(string.match(id, '^(%d+)'))
end

-- A JSON object's text with one more numeric field at its end.
local function withField(json, name, n)
  return string.sub(json, 1, -2) .. ',"' .. name .. '":' .. int(n) .. '}'
end
