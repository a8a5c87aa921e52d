"""`Authorization: tma <initData>`: the Mini App page acts for its own player, on the contract's
operations only; any doubt about the init data or the operation is FORBIDDEN."""
import re
import time
from urllib.parse import parse_qsl, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.rules import fair_draw, winnable_prizes
from ledger.models import SpinAccount
from tests.conftest import ADMIN_ID, PLAYER_ID
from tests.miniapp import BOT_TOKEN, signed_init_data
from tests.test_api import OUTCOME

OTHER_ID = PLAYER_ID + 1
PAGE = """query($id: BigInt!) { user(telegramId: $id) { telegramId fairness { serverSeedHash clientSeed nonce } }
  spinAccount(telegramId: $id) { availableSpins }
  spinHistory(telegramId: $id, first: 10) { prize nonce } prizeTable { label chips probability } }"""
SPIN = """mutation($id: BigInt!, $count: Int) { processSpin(telegramId: $id, count: $count) {
  ... on SpinBatch { spins { prize nonce serverSeedHash clientSeed } } %s } }""" % OUTCOME


@pytest.fixture
def page(client, settings, player, admin):
    """The player's Mini App: their init data in every request's Authorization header."""
    settings.BOT_TOKEN = BOT_TOKEN
    services.user_upsert(telegram_id=OTHER_ID, username="other")
    services.spins_grant(telegram_id=PLAYER_ID, spins=20, reason="test", actor=admin)
    services.spins_grant(telegram_id=OTHER_ID, spins=20, reason="test", actor=admin)

    def post(query: str, variables: dict | None = None, init_data: str | None = None):
        init_data = signed_init_data(PLAYER_ID) if init_data is None else init_data
        return client.post("/graphql/", {"query": query, "variables": variables or {}},
                           content_type="application/json", HTTP_AUTHORIZATION=f"tma {init_data}")
    return post


def forbidden(response) -> bool:
    body = response.json()
    return body["data"] is None and [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]


def spin_state(telegram_id: int) -> tuple:
    account = SpinAccount.objects.get(player__telegram_id=telegram_id)
    return account.available_spins, account.nonce, account.client_seed, account.server_seed


def tamper(init_data: str, **changes: str) -> str:
    fields = dict(parse_qsl(init_data))
    fields.update(changes)
    return urlencode({key: value for key, value in fields.items() if value is not None})


def test_valid_init_data_reads_its_own_player_and_spins(page):
    body = page(PAGE, {"id": PLAYER_ID}).json()
    assert "errors" not in body, body
    assert body["data"]["user"]["telegramId"] == PLAYER_ID
    assert body["data"]["spinAccount"]["availableSpins"] == 20
    spun = page(SPIN, {"id": PLAYER_ID, "count": 10}).json()["data"]["processSpin"]["spins"]
    assert [spin["nonce"] for spin in spun] == list(range(10))
    rotated = page("mutation($id: BigInt!) { rotateServerSeed(telegramId: $id) { ... on Fairness { "
                   "previousServerSeed } } }", {"id": PLAYER_ID}).json()["data"]["rotateServerSeed"]
    client_seed = spun[0]["clientSeed"]
    assert [fair_draw(winnable_prizes(), rotated["previousServerSeed"], client_seed, spin["nonce"]).label
            for spin in spun] == [spin["prize"] for spin in spun]
    chosen = page("mutation($id: BigInt!) { setClientSeed(telegramId: $id, clientSeed: \"mine\") { "
                  "... on Fairness { clientSeed } } }", {"id": PLAYER_ID}).json()
    assert chosen["data"]["setClientSeed"] == {"clientSeed": "mine"}


def test_the_id_may_be_a_literal_a_string_or_inside_a_fragment(page):
    assert "errors" not in page("{ user(telegramId: %d) { telegramId } }" % PLAYER_ID).json()
    assert "errors" not in page('{ user(telegramId: "%d") { telegramId } }' % PLAYER_ID).json()
    assert "errors" not in page("query { ...Me } fragment Me on Query { prizeTable { label } "
                                "spinAccount(telegramId: %d) { availableSpins } }" % PLAYER_ID).json()


@pytest.mark.parametrize("query, variables", [
    (PAGE, {"id": OTHER_ID}),
    (SPIN, {"id": OTHER_ID, "count": 1}),
    ("{ user(telegramId: %d) { telegramId } spinAccount(telegramId: %d) { availableSpins } }" % (
        PLAYER_ID, OTHER_ID), None),
    ("query { ...Other } fragment Other on Query { spinAccount(telegramId: %d) { availableSpins } }" % OTHER_ID,
     None),
    ("{ ... on Query { spinHistory(telegramId: %d) { prize } } }" % OTHER_ID, None),
    ("{ spinHistory { prize } }", None),  # every player's history
    ("mutation { rotateServerSeed(telegramId: %d) { __typename } }" % OTHER_ID, None),
    ('mutation { setClientSeed(telegramId: %d, clientSeed: "x") { __typename } }' % OTHER_ID, None),
], ids=["read-other", "spin-other", "one-of-two-fields", "fragment", "inline-fragment", "history-of-all",
        "rotate-other", "seed-other"])
def test_another_players_id_is_forbidden_and_runs_nothing(page, query, variables):
    before = spin_state(OTHER_ID)
    assert forbidden(page(query, variables))
    assert spin_state(OTHER_ID) == before


@pytest.mark.parametrize("query", [
    "{ users { telegramId } }",
    "{ pendingDeposits { id } }",
    "{ deposits(telegramId: %d) { id } }" % PLAYER_ID,
    "{ withdrawalEligibility(telegramId: %d) { eligible } }" % PLAYER_ID,
    "{ adminIds }",
    "{ __schema { queryType { name } } }",
    "mutation { grantSpins(telegramId: %d, spins: 5, reason: \"x\") { __typename } }" % PLAYER_ID,
    "mutation { approveSpinRewards(telegramId: %d) { __typename } }" % PLAYER_ID,
    "query A { prizeTable { label } } mutation B { grantSpins(telegramId: %d, spins: 5, reason: \"x\") "
    "{ __typename } }" % PLAYER_ID,
], ids=["users", "queue", "deposits", "eligibility", "admins", "introspection", "grant", "approve",
        "second-operation"])
def test_operations_the_contract_does_not_list_are_forbidden(page, query):
    before = spin_state(PLAYER_ID)
    assert forbidden(page(query))
    assert spin_state(PLAYER_ID) == before


def test_refused_init_data(page):
    valid = signed_init_data(PLAYER_ID)
    cases = {
        "another player's id": tamper(valid, user='{"id":%d,"first_name":"Test","language_code":"en"}' % OTHER_ID),
        "a changed field": tamper(valid, query_id="AAother"),
        "an added field": tamper(valid, start_param="x"),
        "a wrong hash": tamper(valid, hash="0" * 64),
        "a hash of another bot": signed_init_data(PLAYER_ID, bot_token="999:another-bot"),
        "a stale auth_date": signed_init_data(PLAYER_ID, auth_date=int(time.time()) - 86400 - 60),
        "auth_date far ahead": signed_init_data(PLAYER_ID, auth_date=int(time.time()) + 3600),
        "a missing hash": tamper(valid, hash=None),
        "a repeated field": valid + "&user=" + tamper("", user='{"id":%d}' % OTHER_ID).split("=", 1)[1],
        "not a query string": "garbage",
    }
    for name, init_data in cases.items():
        response = page(PAGE, {"id": PLAYER_ID}, init_data=init_data)
        assert response.status_code == 403 and forbidden(response), name


def test_the_age_is_a_setting(page, settings):
    settings.MINIAPP_MAX_AGE_S = 60
    assert forbidden(page(PAGE, {"id": PLAYER_ID}, init_data=signed_init_data(
        PLAYER_ID, auth_date=int(time.time()) - 120)))
    settings.MINIAPP_MAX_AGE_S = 86400
    assert "errors" not in page(PAGE, {"id": PLAYER_ID}, init_data=signed_init_data(
        PLAYER_ID, auth_date=int(time.time()) - 120)).json()


def test_without_a_bot_token_no_init_data_is_accepted(page, settings):
    settings.BOT_TOKEN = ""
    assert forbidden(page(PAGE, {"id": PLAYER_ID}))


def test_the_page_cannot_act_as_an_admin(page, admin):
    assert forbidden(page("mutation { approveSpinRewards(telegramId: %d, actorTelegramId: %d) { __typename } }" % (
        PLAYER_ID, ADMIN_ID)))


def test_the_page_costs_the_queries_the_bot_does(page, api):
    with CaptureQueriesContext(connection) as as_page:
        page(PAGE, {"id": PLAYER_ID})
    with CaptureQueriesContext(connection) as as_bot:
        api(PAGE, {"id": PLAYER_ID})
    assert len(as_page) == len(as_bot)


def test_the_page_is_served_under_the_csp_and_loads_only_its_own_files(client, db):
    response = client.get("/miniapp/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    # Telegram's web client frames the page; nobody else may.
    assert "frame-ancestors https://web.telegram.org" in policy and "X-Frame-Options" not in response
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources and all(source.startswith("/static/miniapp/") or source == "data:," for source in sources)
    assert "<script>" not in html and "style=" not in html  # nothing inline for the CSP to refuse
    for source in sources[1:]:
        assert client.get(source).status_code == 200, source
    assert client.post("/miniapp/").status_code == 405


def test_forged_init_data_is_slowed_like_a_wrong_token(page, settings):
    settings.API_RATE_BAD_TOKEN = "3/m"
    forged = tamper(signed_init_data(PLAYER_ID), hash="f" * 64)
    for _ in range(3):
        assert page(PAGE, {"id": PLAYER_ID}, init_data=forged).status_code == 403
    assert page(PAGE, {"id": PLAYER_ID}, init_data=forged).status_code == 429
