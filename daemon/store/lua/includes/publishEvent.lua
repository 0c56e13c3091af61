--- @include "includes/nowMs"
-- Publishes a state change as "type\nts\nkey\njson" (parsed by daemon/events/frame.ts), so a daemon
-- can route and wake waiters by key without parsing the JSON.
local function publishEvent(channel, eventType, ts, key, json)
  redis.call('PUBLISH', channel, eventType .. '\n' .. int(ts) .. '\n' .. key .. '\n' .. json)
end
