-- wrk script for bench/load_mixed.py: requests taken in turn from a schedule file, one
-- request per line (kind, method, path, one header, a body or "-", tab-separated), each
-- thread starting at its own place; statuses counted per kind (the X-Mix-Kind header the
-- app echoes) and one summary line the Python side parses.
-- Usage: MIX_SCHEDULE=FILE wrk -t2 -c32 -d20s -s bench/mixed.lua URL

threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("offset", count * 997)
  table.insert(threads, thread)
end

function init(args)
  statuses, schedule, turn = {}, {}, offset or 0
  for line in io.lines(os.getenv("MIX_SCHEDULE")) do
    local kind, method, path, name, value, body =
      line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {["X-Mix-Kind"] = kind, [name] = value}
    if body == "-" then
      body = nil
    else
      headers["Content-Type"] = "application/json"
    end
    schedule[#schedule + 1] = wrk.format(method, path, headers, body)
  end
end

function request()
  turn = turn + 1
  return schedule[turn % #schedule + 1]
end

function response(status, headers, body)
  local key = (headers["X-Mix-Kind"] or "none") .. " " .. status
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('["%s", %d]', key, n)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "statuses": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write, e.timeout, table.concat(counts, ", ")))
end
