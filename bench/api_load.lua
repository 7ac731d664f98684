-- wrk script for bench/api_load.py: each thread sends its share of the requests listed in a
-- file. Mode "once": each exactly once (so "one check-in per patient" stays true); a connection
-- asking for more once the share is used up sends a filler (a GET with X-Bench-Filler, answered
-- 204 by the server's counter without reaching Django and not counted), and the thread stops
-- when every request of its share has been answered, so none is dropped in flight or sent twice.
-- Mode "cycle": round and round, every POST with an Idempotency-Key of its own.
-- One request a line, tab-separated:
--   METHOD  PATH  AUTHORIZATION-or-COOKIE-header-line  BODY
-- Usage: wrk -t T -c C -d D -s api_load.lua URL -- requests.tsv T once|cycle
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
  cycle_mode = args[3] == "cycle"
  requests_list = {}
  all_lines = {}
  local i = 0
  for line in io.lines(path) do
    local mine = i % nthreads == id
    if true then
      local method, target, header, body = line:match("^(%u+)\t([^\t]+)\t([^\t]*)\t(.*)$")
      local headers = {}
      if header ~= "" then
        local name, value = header:match("^([^:]+): (.*)$")
        headers[name] = value
      end
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      end
      if target:sub(1, 5) == "/app/" then
        headers["Accept"] = "text/html"
      else
        headers["Accept"] = "application/json"
      end
      local entry = {method, target, headers, body ~= "" and body or nil, i}
      table.insert(all_lines, entry)
      if mine then
        table.insert(requests_list, entry)
      end
    end
    i = i + 1
  end
  if #requests_list == 0 and cycle_mode and #all_lines > 0 then
    requests_list = all_lines  -- fewer lines than threads: every thread cycles through them all
  end
  position = 0
  round = 0
  answered = 0
  statuses = {}
end

local filler = nil
-- wrk's main calls request() once on the first thread's state before any connection, to check
-- the script; what it returns is never sent, so it must not use up a line of the list.
local verified = false

local function format(r)
  local headers = r[3]
  if r[1] == "POST" then
    headers["Idempotency-Key"] = string.format("bench-%d-%d-%d-%d", id, r[5], round, os.time())
  end
  return wrk.format(r[1], r[2], headers, r[4])
end

function request()
  if id == 0 and not verified then
    verified = true
    return wrk.format("GET", "/bench/bare/", {["X-Bench-Filler"] = "1"})
  end
  position = position + 1
  if position > #requests_list then
    if cycle_mode then
      position, round = 1, round + 1
    else
      filler = filler or wrk.format("GET", "/bench/bare/", {["X-Bench-Filler"] = "1"})
      return filler
    end
  end
  return format(requests_list[position])
end

function response(status, headers, body)
  if status == 204 and not cycle_mode then
    return  -- a filler's
  end
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  answered = answered + 1
  if not cycle_mode and answered >= #requests_list then
    wrk.thread:stop()
  end
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
