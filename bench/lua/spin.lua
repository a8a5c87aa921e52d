-- Op 4: processSpin(count: C) for a random player of the spin range (many players,
-- so row locks on spin accounts rarely meet).
-- keys: impl token query lo n count
dofile("common.lua")

function init(args)
  common_init(args)
  lo, n, count = tonumber(opt.lo), tonumber(opt.n), tonumber(opt.count)
end

function request()
  local telegram_id = lo + math.random(0, n - 1)
  if impl == "gql" then
    return wrk.format("POST", "/graphql/", headers,
      gql_body(opt.query, string.format('{"telegramId":%d,"count":%d}', telegram_id, count)))
  end
  return wrk.format("POST", "/bench/" .. impl .. "/spins/", headers,
    string.format('{"telegram_id":%d,"count":%d}', telegram_id, count))
end

function response(status, headers, body)
  local _, spins = body:gsub('"prize"', '')
  check(status, body, spins == count)
end
