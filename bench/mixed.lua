-- wrk script for bench/mixed.py: cycles through one page kind's prepared requests and reports
-- statuses and latency percentiles as one JSON line ("MIXED {...}") for the Python side to read.
-- MIXED_REQUESTS names a Lua file returning { {method=, path=, cookie=, body=}, ... }.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local rows = dofile(os.getenv("MIXED_REQUESTS"))
  prepared = {}
  for i, r in ipairs(rows) do
    local headers = { Cookie = r.cookie }
    if r.htmx then
      headers["HX-Request"] = "true"
    end
    local body = nil
    if r.method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      body = r.body
    end
    prepared[i] = wrk.format(r.method, r.path, headers, body)
  end
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  return prepared[(sent - 1) % #prepared + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'MIXED {"requests": %d, "p50": %d, "p95": %d, "p99": %d, "statuses": {%s}, "socket_errors": %d}\n',
    summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    table.concat(parts, ", "), e.connect + e.read + e.write + e.timeout))
end
