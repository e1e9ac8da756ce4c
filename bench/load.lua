-- wrk script for bench/load_bench.py: an optional method and JSON body, an optional list of
-- bearer tokens taken in turn (one per simulated trainee), a count of every status, and one
-- summary line the Python side parses.
-- Usage: [LOAD_TOKENS=FILE] wrk -t2 -c32 -d12s -s bench/load.lua URL [-- METHOD BODY_FILE]

threads = {}
local token_file = os.getenv("LOAD_TOKENS")
if token_file == "" then
  token_file = nil
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  if args[1] then
    wrk.method = args[1]
  end
  if args[2] then
    local file = assert(io.open(args[2], "rb"))
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = "application/json"
  end
  tokens, turn = {}, 0
  if token_file then
    for line in io.lines(token_file) do
      tokens[#tokens + 1] = "Bearer " .. line
    end
  end
end

-- Defined only with tokens: without it wrk builds the request once per thread.
if token_file then
  function request()
    turn = turn + 1
    wrk.headers["Authorization"] = tokens[turn % #tokens + 1]
    return wrk.format()
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format("[%d, %d]", status, n)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "statuses": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write, e.timeout, table.concat(counts, ", ")))
end
