-- Op 2: pendingDeposits(first: N) with each row's user; the body must hold N rows.
-- keys: impl token [path: another GraphQL endpoint, for bench/experiments.py] query first
dofile("common.lua")

function init(args)
  common_init(args)
  first = tonumber(opt.first)
  if impl == "gql" then
    req = wrk.format("POST", opt.path or "/graphql/", headers, gql_body(opt.query, '{"first":' .. first .. '}'))
  else
    req = wrk.format("GET", "/bench/" .. impl .. "/deposits/pending/?first=" .. first, get_headers)
  end
end

function request()
  return req
end

function response(status, headers, body)
  local _, rows = body:gsub('"proof"', '')
  check(status, body, rows == first)
end
