-- GET /api/v1/accounts/:id over many accounts, picked at random (a fixed seed per thread),
-- so the figure includes reads that miss the rendered-accounts cache. The ids come one a
-- line from the file named by BENCH_IDS_FILE.
local ids = {}
local file = io.open(os.getenv("BENCH_IDS_FILE") or "", "r")
if file then
  for line in file:lines() do
    if line ~= "" then ids[#ids + 1] = line end
  end
  file:close()
end
local seeded = false
request = function()
  if not seeded then
    math.randomseed(#ids)
    seeded = true
  end
  return wrk.format("GET", "/api/v1/accounts/" .. ids[math.random(#ids)])
end
