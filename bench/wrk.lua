-- wrk.lua - one benchmark scenario for wrk: requests from a list, latency percentiles as JSON.
--   BENCH_METHOD  GET or POST;  BENCH_PATHS  a file of request paths, one a line (taken in turn, from a
--   random start per thread, seeded: the same run asks the same things);  BENCH_BODY  a POST body;
--   BENCH_COOKIE, BENCH_CSRF  the session.  done() prints one line: BENCH_JSON {...}
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("start", thread_no * 7919)
end

function init(args)
  counter = start or 0
end

function request()
  counter = counter + 1
  local headers = { ["Accept"] = "application/json" }
  if cookie then headers["Cookie"] = cookie end
  if method ~= "GET" then
    headers["Content-Type"] = "application/json"
    if csrf then headers["X-CSRF-Token"] = csrf end
  end
  return wrk.format(method, paths[(counter % #paths) + 1], headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "mean_ms": %.3f, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
