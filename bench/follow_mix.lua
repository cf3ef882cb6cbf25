-- Write mix: alternately follow and unfollow accounts picked from the seeded id list,
-- and update the profile every tenth request. Ids come from the env var BENCH_IDS.
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "", "[^,]+") do ids[#ids + 1] = id end
local token = os.getenv("BENCH_TOKEN") or ""
local n = 0
request = function()
  n = n + 1
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/x-www-form-urlencoded" }
  if n % 10 == 0 then
    return wrk.format("PATCH", "/api/v1/accounts/update_credentials", headers, "display_name=bench" .. (n % 100))
  end
  local id = ids[(n % #ids) + 1]
  local action = (math.floor(n / #ids) % 2 == 0) and "follow" or "unfollow"
  return wrk.format("POST", "/api/v1/accounts/" .. id .. "/" .. action, headers, "")
end
