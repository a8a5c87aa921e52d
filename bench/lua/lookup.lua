-- Op 1: user(telegramId) with its spinAccount, for a random player of the lookup range.
-- keys: impl token [path: another GraphQL endpoint, for bench/experiments.py] query (GraphQL document, JSON-encoded) lo n
dofile("common.lua")

function init(args)
  common_init(args)
  lo, n = tonumber(opt.lo), tonumber(opt.n)
end

function request()
  local telegram_id = lo + math.random(0, n - 1)
  if impl == "gql" then
    return wrk.format("POST", opt.path or "/graphql/", headers,
      gql_body(opt.query, '{"telegramId":' .. telegram_id .. '}'))
  end
  return wrk.format("GET", "/bench/" .. impl .. "/users/" .. telegram_id .. "/", get_headers)
end

function response(status, headers, body)
  check(status, body, body:find('"spin', 1, true) ~= nil and body:find('"telegram', 1, true) ~= nil)
end
