-- Op 3: createDeposit then approveDeposit, per thread. response() parses the id of each
-- created (PENDING) deposit into this thread's queue; request() approves a queued id when
-- there is one, otherwise creates a deposit for this thread's next unused player (players
-- never repeat, so no create meets a pending deposit). Each thread owns players
-- [lo + tid*stride, lo + (tid+1)*stride).
-- keys: impl token create approve (GraphQL documents, JSON-encoded) lo stride admin amount method
dofile("common.lua")

function init(args)
  common_init(args)
  local stride = tonumber(opt.stride)
  next_player = tonumber(opt.lo) + tid * stride
  last_player = next_player + stride - 1
  queue, head, tail = {}, 1, 0
  creates, approves = 0, 0
end

local function create_body(t)
  local six = tostring(t):sub(-6)
  if impl == "gql" then
    return gql_body(opt.create, string.format(
      '{"input":{"telegramId":%d,"amount":"%s","method":"%s","accountName":"Bench Player %d",' ..
      '"proof":"AgACAgUAAxkBAAIB%d","pppokerId":"%s"}}', t, opt.amount, opt.method, t, t, six))
  end
  return string.format(
    '{"telegram_id":%d,"amount":"%s","method":"%s","account_name":"Bench Player %d",' ..
    '"proof":"AgACAgUAAxkBAAIB%d","pppoker_id":"%s"}', t, opt.amount, opt.method, t, t, six)
end

function request()
  if head <= tail then
    local id = queue[head]
    queue[head] = nil
    head = head + 1
    approves = approves + 1
    if impl == "gql" then
      return wrk.format("POST", "/graphql/", headers,
        gql_body(opt.approve, string.format('{"id":"%s","actor":%s}', id, opt.admin)))
    end
    return wrk.format("POST", "/bench/" .. impl .. "/deposits/" .. id .. "/approve/", headers,
      '{"actor_telegram_id":' .. opt.admin .. '}')
  end
  local t = next_player
  if t < last_player then
    next_player = next_player + 1
  else
    exhausted = exhausted + 1 -- out of fresh players: this create will be refused and counted
  end
  creates = creates + 1
  local path = impl == "gql" and "/graphql/" or ("/bench/" .. impl .. "/deposits/")
  return wrk.format("POST", path, headers, create_body(t))
end

function response(status, headers, body)
  local id = body:match('"id"%s*:%s*"?(%d+)')
  local pending = body:find('"PENDING"', 1, true) ~= nil
  local approved = body:find('"APPROVED"', 1, true) ~= nil
  if status >= 200 and status < 300 and id and pending then
    tail = tail + 1
    queue[tail] = id
  end
  check(status, body, id ~= nil and (pending or approved))
end
