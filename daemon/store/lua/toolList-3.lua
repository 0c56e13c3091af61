--[[
  The whole tool registry as one consistent read: its version, every ToolSpec, and when each was
  last used (kept apart so that the hot path never rewrites a spec).

  KEYS[1] tools hash
  KEYS[2] last-use hash ("<name>:<version>" → epoch ms)
  KEYS[3] registry version counter
  Returns {version, {ref, spec JSON, …}, {ref, lastUsedAt, …}}.
]]
return { tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]) }
