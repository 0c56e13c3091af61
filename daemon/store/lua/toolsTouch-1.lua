--[[
  Records when tools were last used: one daemon's batch of a second's allowed calls. A time never
  moves back (another daemon may have written a later one).

  KEYS[1] last-use hash
  ARGV    pairs: "<name>:<version>", epoch ms
  Returns how many pairs it took.
]]
for i = 1, #ARGV, 2 do
  local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if tonumber(ARGV[i + 1]) > stored then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return #ARGV / 2
