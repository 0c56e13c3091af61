--- @include "includes/nowMs"
-- Approval JSON of a request hash, or nil. context and a question's fields already hold JSON text
-- and are spliced in.
local function approvalJson(key)
  local f = redis.call('HMGET', key, 'requestId', 'agentId', 'type', 'context', 'risk', 'status',
    'responder', 'reason', 'requestedAt', 'decidedAt', 'expiresAt', 'choices', 'answerSchema', 'default', 'answer')
  if not f[1] then return nil end
  local json = '{"requestId":' .. cjson.encode(f[1]) .. ',"agentId":' .. cjson.encode(f[2]) ..
    ',"type":' .. cjson.encode(f[3]) .. ',"context":' .. f[4] .. ',"risk":"' .. f[5] ..
    '","status":"' .. f[6] .. '"'
  if f[7] then json = json .. ',"responder":' .. cjson.encode(f[7]) end
  if f[8] then json = json .. ',"reason":' .. cjson.encode(f[8]) end
  json = json .. ',"requestedAt":' .. f[9]
  if f[10] then json = json .. ',"decidedAt":' .. f[10] end
  json = json .. ',"expiresAt":' .. f[11]
  local question = { 'choices', 'answerSchema', 'default', 'answer' }
  for i = 1, #question do
    if f[11 + i] then json = json .. ',"' .. question[i] .. '":' .. f[11 + i] end
  end
  return json .. '}'
end
