--[[
  KEYS[1] request hash
  Returns the Approval JSON, or nil.
]]
--- @include "includes/approvalJson"
return approvalJson(KEYS[1])
