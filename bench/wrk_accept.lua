-- wrk: reception accepts the dossiers listed in IDS_FILE (one id per line, status 1, version 1),
-- each once; a thread takes every THREADS-th. Env: TOKEN, IDS_FILE, THREADS.
-- When a thread runs out it repeats its last dossier: the answers are 409 and count as errors,
-- so bench/dossiers.sh throws such a run away.
dofile("bench/wrk_report.lua")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local ids, next_index, stride
function init(args)
  stride = tonumber(os.getenv("THREADS"))
  ids = {}
  for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
  next_index = tid
end
function request()
  local i = next_index
  next_index = next_index + stride
  if i > #ids then i = #ids end
  local id = ids[i] or "0"  -- no dossiers at all: 404s, errors too
  return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/accept", {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
  }, '{"version":1}')
end
