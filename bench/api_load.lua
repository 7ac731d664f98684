-- wrk script for bench/api_load.py: each thread sends its share of the requests listed in a
-- file, each exactly once, then stops (so "one check-in per patient" stays true and no
-- Idempotency-Key is sent twice). One request a line, tab-separated:
--   METHOD  PATH  AUTHORIZATION-or-COOKIE-header-line  BODY
-- Usage: wrk -t T -c C -d D -s api_load.lua URL -- requests.tsv T
-- At the end it prints one line "RESULT {json}" with the counts by status and the latencies.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  requests_list = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then
      local method, target, header, body = line:match("^(%u+)\t([^\t]+)\t([^\t]*)\t(.*)$")
      local headers = {}
      if header ~= "" then
        local name, value = header:match("^([^:]+): (.*)$")
        headers[name] = value
      end
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      end
      headers["Accept"] = method == "GET" and target:sub(1, 5) == "/app/" and "text/html" or "application/json"
      if method == "POST" then
        headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", id, i, os.time())
      end
      table.insert(requests_list, wrk.format(method, target, headers, body ~= "" and body or nil))
    end
    i = i + 1
  end
  position = 0
  statuses = {}
  sent = 0
end

function request()
  position = position + 1
  if position > #requests_list then
    wrk.thread:stop()
    position = #requests_list
  end
  sent = sent + 1
  return requests_list[position]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  io.write(string.format(
    'RESULT {"duration_us": %d, "requests": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d, "non_2xx": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "statuses": {%s}}\n',
    summary.duration, summary.requests, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    table.concat(parts, ", ")))
end
