"""End to end: gunicorn on 127.0.0.1, and the client the bot uses (gql over HTTPX)."""
import asyncio

import pytest
from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport

from tests.live import LiveBackend

TOKEN = "live-token-" + "x" * 20
ADMIN = 7_000_000_001
PLAYER = 2**40 + 7

pytestmark = pytest.mark.slow  # a gunicorn of its own for the module


@pytest.fixture(scope="module")
def backend():
    with LiveBackend(api_token=TOKEN, admin_ids=[ADMIN]) as live:
        yield live


def run(backend, document: str, variables: dict | None = None, token: str = TOKEN) -> dict:
    async def call():
        transport = HTTPXAsyncTransport(url=backend.graphql_url, headers={"Authorization": f"Bearer {token}"},
                                        timeout=10)
        async with Client(transport=transport, fetch_schema_from_transport=False) as session:
            return await session.execute(GraphQLRequest(document, variable_values=variables))
    return asyncio.run(call())


def test_a_deposit_from_registration_to_approval_over_http(backend):
    user = run(backend, """mutation($tid: BigInt!) { upsertUser(input: {telegramId: $tid, username: "ali",
        pppokerId: "12345"}) { ... on User { telegramId isAdmin } } }""", {"tid": PLAYER})["upsertUser"]
    assert user == {"telegramId": PLAYER, "isAdmin": False}
    create = """mutation($input: DepositInput!) { createDeposit(input: $input) {
        ... on Deposit { id status } ... on OperationInfo { messages { code } } } }"""
    deposit_input = {"telegramId": PLAYER, "amount": "130", "method": "USDT", "accountName": "Ali Ahmed",
                     "proof": "0x" + "ab" * 32, "pppokerId": "12345", "idempotencyKey": "e2e-1"}
    created = run(backend, create, {"input": deposit_input})["createDeposit"]
    assert created["status"] == "PENDING"
    assert run(backend, create, {"input": deposit_input})["createDeposit"]["id"] == created["id"]
    approved = run(backend, """mutation($id: ID!, $actor: BigInt) { approveDeposit(id: $id, actorTelegramId: $actor) {
        ... on Deposit { status amountBase spinsGranted decidedBy } } }""",
                   {"id": created["id"], "actor": ADMIN})["approveDeposit"]
    assert approved == {"status": "APPROVED", "amountBase": "2002.00", "spinsGranted": 25,
                        "decidedBy": str(ADMIN)}
    again = run(backend, """mutation($id: ID!) { approveDeposit(id: $id, actorTelegramId: %d) {
        ... on OperationInfo { messages { code } } } }""" % ADMIN, {"id": created["id"]})["approveDeposit"]
    assert again == {"messages": [{"code": "ALREADY_DECIDED"}]}
    account = run(backend, "query($tid: BigInt!) { spinAccount(telegramId: $tid) { availableSpins } }",
                  {"tid": PLAYER})["spinAccount"]
    assert account == {"availableSpins": 25}


def test_a_wrong_token_is_refused_over_http(backend):
    from gql.transport.exceptions import TransportQueryError
    with pytest.raises(TransportQueryError) as refused:
        run(backend, "{ prizeTable { label } }", token="wrong")
    assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN" and refused.value.data is None


def test_the_ledger_of_the_live_server_balances(backend):
    assert "Ledger OK" in backend.manage("check_ledger")
