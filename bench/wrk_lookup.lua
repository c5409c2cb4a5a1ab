-- wrk: public lookups of random dossiers by code and secret. Env: PAIRS_FILE ("code secret"
-- per line).
dofile("bench/wrk_report.lua")
local paths = {}
function init(args)
  for line in io.lines(os.getenv("PAIRS_FILE")) do
    local code, secret = line:match("^(%S+)%s+(%S+)$")
    if code then paths[#paths + 1] = "/api/v1/lookup?code=" .. code .. "&secret=" .. secret end
  end
  math.randomseed(os.time())
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
