-- How long an expired lock holder or permit stays readable, for the sweep (or the next acquire)
-- to publish its expiry before Redis drops the key by itself.
local EXPIRED_KEPT_MS = 60000
