--[[
  One page of outcome.recent: reads the stream newest first from a cursor and keeps the outcomes
  matching every filter given, so a selective filter costs one bounded scan per call, not a
  transfer of the entries it skips.

  KEYS[1] outcomes stream
  ARGV[1] cursor: '' for the newest, else the entry id to continue below
  ARGV[2] outcomes still wanted
  ARGV[3] entries to scan at most
  ARGV[4] agentName, or ''
  ARGV[5] status, or ''
  ARGV[6] workflowId, or ''
  ARGV[7] tag, or ''
  Returns { next cursor ('' at the end of the stream, or when enough matched), JSON of each match,
  newest first... }.
]]
local wanted, scan = tonumber(ARGV[2]), tonumber(ARGV[3])
local agent, status, workflow, tag = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local from = ARGV[1] == '' and '+' or '(' .. ARGV[1]
local entries = redis.call('XREVRANGE', KEYS[1], from, '-', 'COUNT', scan)
local out = { '' }
for _, entry in ipairs(entries) do
  local f = {}
  local fields = entry[2]
  for i = 1, #fields, 2 do f[fields[i]] = fields[i + 1] end
  if (agent == '' or f.a == agent) and (status == '' or f.s == status) and (workflow == '' or f.w == workflow)
      and (tag == '' or string.find(f.t, '\n' .. tag .. '\n', 1, true)) then
    out[#out + 1] = f.j
    if #out - 1 == wanted then return out end
  end
end
if #entries == scan then out[1] = entries[#entries][1] end
return out
