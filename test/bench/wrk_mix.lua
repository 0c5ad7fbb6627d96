-- wrk script for the benchmarks and the soak: cycles through hook requests (one or many). $REQUESTS lists "path=file" pairs separated by
-- spaces, e.g. "/hooks/moneronodeset/sync=test/fixtures/moneronodeset/steady-state/request.json".
-- Each wrk thread starts at a different pair. $AUTHORIZATION, when set, is sent as the
-- Authorization header (the hook server's --token-file). Prints one JSON summary line (see done()).
local requests = {}
local headers = {["Content-Type"] = "application/json"}
if os.getenv("AUTHORIZATION") then headers["Authorization"] = os.getenv("AUTHORIZATION") end
for pair in string.gmatch(os.getenv("REQUESTS"), "%S+") do
  local path, file = string.match(pair, "([^=]+)=(.+)")
  local f = assert(io.open(file, "rb"))
  local body = f:read("*a")
  f:close()
  table.insert(requests, wrk.format("POST", path, headers, body))
end

local counter = 0
function init(args)
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, requests_)
  io.write(string.format("JSON {\"requests\": %d, \"seconds\": %.3f, \"rps\": %.1f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"errors\": %d, \"non_2xx\": %d}\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
