"""The four benchmark operations, as each implementation is called.

One source of truth: run.py verifies with these and hands the same GraphQL
documents to the wrk scripts (bench/lua/), so what is verified is what is timed.
The GraphQL documents select the same fields the plain and DRF views return.
"""
import json

USER_FIELDS = "telegramId username firstName lastName pppokerId accountName"
DEPOSIT_FIELDS = (f"id amount method currency amountBase accountName proof pppokerId status createdAt "
                  f"decidedAt decidedBy rejectionReason spinsGranted user {{ {USER_FIELDS} }}")
ERROR_FIELDS = "... on OperationInfo { messages { kind message field code } }"

LOOKUP = (f"query BenchUser($telegramId: BigInt!) {{ user(telegramId: $telegramId) {{ {USER_FIELDS} createdAt "
          f"isAdmin spinAccount {{ availableSpins totalSpinsUsed totalChipsWon totalChipsApproved "
          f"totalDepositBase lastSpinAt }} }} }}")
LIST = f"query BenchPending($first: Int!) {{ pendingDeposits(first: $first) {{ {DEPOSIT_FIELDS} }} }}"
CREATE = (f"mutation BenchCreate($input: DepositInput!) {{ createDeposit(input: $input) {{ __typename "
          f"... on Deposit {{ {DEPOSIT_FIELDS} }} {ERROR_FIELDS} }} }}")
APPROVE = (f"mutation BenchApprove($id: ID!, $actor: BigInt) {{ approveDeposit(id: $id, actorTelegramId: $actor) "
           f"{{ __typename ... on Deposit {{ {DEPOSIT_FIELDS} }} {ERROR_FIELDS} }} }}")
SPIN = (f"mutation BenchSpin($telegramId: BigInt!, $count: Int) {{ processSpin(telegramId: $telegramId, "
        f"count: $count) {{ __typename ... on SpinBatch {{ chipsWon spinsLeft spins {{ id prize chips status "
        f"createdAt }} }} {ERROR_FIELDS} }} }}")

LIST_SIZE = 50
SPIN_COUNT = 10
DEPOSIT_AMOUNT = "2500.00"  # MVR via BML: 25 spins when approved
DEPOSIT_METHOD = "BML"


def deposit_input(telegram_id: int) -> dict:
    return {"telegram_id": telegram_id, "amount": DEPOSIT_AMOUNT, "method": DEPOSIT_METHOD,
            "account_name": f"Bench Player {telegram_id}", "proof": f"AgACAgUAAxkBAAIB{telegram_id}",
            "pppoker_id": str(telegram_id)[-6:]}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def gql(query: str, variables: dict) -> tuple[str, str, bytes]:
    return "POST", "/graphql/", json.dumps({"query": query, "variables": variables}).encode()


def request_for(impl: str, op: str, **kw) -> tuple[str, str, bytes | None]:
    """(method, path, body) of one call; used by run.py's verification step."""
    if impl == "gql":
        if op == "lookup":
            return gql(LOOKUP, {"telegramId": kw["telegram_id"]})
        if op == "list":
            return gql(LIST, {"first": LIST_SIZE})
        if op == "create":
            return gql(CREATE, {"input": {camel(k): v for k, v in deposit_input(kw["telegram_id"]).items()}})
        if op == "approve":
            return gql(APPROVE, {"id": str(kw["id"]), "actor": kw["actor"]})
        if op == "spin":
            return gql(SPIN, {"telegramId": kw["telegram_id"], "count": SPIN_COUNT})
    base = f"/bench/{impl}"
    if op == "lookup":
        return "GET", f"{base}/users/{kw['telegram_id']}/", None
    if op == "list":
        return "GET", f"{base}/deposits/pending/?first={LIST_SIZE}", None
    if op == "create":
        return "POST", f"{base}/deposits/", json.dumps(deposit_input(kw["telegram_id"])).encode()
    if op == "approve":
        return "POST", f"{base}/deposits/{kw['id']}/approve/", json.dumps({"actor_telegram_id": kw["actor"]}).encode()
    if op == "spin":
        return "POST", f"{base}/spins/", json.dumps({"telegram_id": kw["telegram_id"], "count": SPIN_COUNT}).encode()
    raise ValueError(f"unknown operation {impl}/{op}")
