-- wrk script for bench/serve: each connection walks paths.txt from its own starting line, so
-- that all the queries are asked; done() prints one tab-separated line for run.sh.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end

local counter = 0
function setup(thread)
  thread:set("start", counter * 131)
  counter = counter + 1
end

local i = 0
function init(args)
  i = start or 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status or 0
  io.write(string.format("WRK\t%d\t%.1f\t%.2f\t%.2f\t%d\t%d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    non2xx, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
