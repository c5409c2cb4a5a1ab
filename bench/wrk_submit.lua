-- wrk: online dossier submissions, each with its own Idempotency-Key (a retried key would
-- return the first dossier instead of writing a new one). Env: TOKEN, BODY_FILE.
dofile("bench/wrk_report.lua")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local body, prefix, n
function init(args)
  local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
  body = f:read("*a")
  f:close()
  prefix = tostring(os.time()) .. "-" .. tostring(tid) .. "-"
  n = 0
end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/dossiers", {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. n,
  }, body)
end
