-- Shared by the operation scripts (wrk runs with its working directory here).
-- Arguments after `--` are key=value pairs: impl=plain|drf|gql token=... [seed=N] and per-script keys.
-- Each thread counts responses that are 2xx but wrong (a GraphQL body with "errors" or an
-- OperationInfo, a missing id, a short list) in `bad`; done() prints one machine-readable line.

threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function parse_args(args)
  local opt = {}
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if key then opt[key] = value end
  end
  return opt
end

function common_init(args)
  opt = parse_args(args)
  impl = opt.impl
  bad = 0
  exhausted = 0
  -- run.py hands the same seed to every slot of a round: they all meet the same players.
  math.randomseed(tonumber(opt.seed or os.time()) + (tid or 0) * 7919)
  headers = { ["Authorization"] = "Bearer " .. opt.token, ["Content-Type"] = "application/json" }
  get_headers = { ["Authorization"] = "Bearer " .. opt.token }
end

-- A 2xx body that still carries a failure: GraphQL errors or an OperationInfo payload.
function has_error(body)
  return body:find('"errors"', 1, true) ~= nil or body:find('OperationInfo', 1, true) ~= nil
end

function check(status, body, ok)
  if status >= 200 and status < 300 and (has_error(body) or not ok) then
    bad = bad + 1
  end
end

function gql_body(query_json, variables_json)
  return '{"query":' .. query_json .. ',"variables":' .. variables_json .. '}'
end

function done(summary, latency, requests)
  local total_bad, total_exhausted = 0, 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + (thread:get("bad") or 0)
    total_exhausted = total_exhausted + (thread:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bad=%d exhausted=%d status=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f\n",
    summary.requests, summary.duration, total_bad, total_exhausted, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
