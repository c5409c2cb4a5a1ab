-- wrk: reception accepts dossiers id_from..id_to (status 1, version 1), each once; a thread
-- takes every THREADS-th id. Env: TOKEN, ID_FROM, ID_TO, THREADS.
dofile("bench/wrk_report.lua")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local next_id, last, stride
function init(args)
  stride = tonumber(os.getenv("THREADS"))
  next_id = tonumber(os.getenv("ID_FROM")) + tid - 1
  last = tonumber(os.getenv("ID_TO"))
end
function request()
  local id = next_id
  next_id = next_id + stride
  if id > last then id = last end  -- out of dossiers: the repeats answer 409 and count as errors
  return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/accept", {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
  }, '{"version":1}')
end
