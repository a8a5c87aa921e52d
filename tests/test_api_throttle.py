"""Throttling: the admin login (django-axes), the API per caller and per player, wrong tokens per
address (django-ratelimit); over a limit: 429, Retry-After and RATE_LIMITED, and nothing done."""
import pytest
from django.test import Client

from ledger.models import Deposit
from tests.conftest import ADMIN_ID, PLAYER_ID, Api, deposit_for
from tests.test_api import CREATE_DEPOSIT, DEPOSIT_INPUT

USER = "query($t: BigInt!) { user(telegramId: $t) { username } }"
OTHER_PLAYER = PLAYER_ID + 1


def assert_rate_limited(response) -> None:
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "RATE_LIMITED", body


def test_the_admin_login_locks_out_after_the_failure_limit(client, settings, django_user_model):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("boss", password="the-right-password", is_staff=True)
    for _ in range(3):
        failed = client.post("/admin/login/", {"username": "boss", "password": "guess"})
        assert failed.status_code in (200, 429) and "_auth_user_id" not in client.session
    right = client.post("/admin/login/", {"username": "boss", "password": "the-right-password"})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    other_address = Client(REMOTE_ADDR="10.0.0.9")  # only the test client's own; no network
    other_address.post("/admin/login/", {"username": "boss", "password": "the-right-password"})
    assert "_auth_user_id" in other_address.session


def test_a_successful_admin_login_is_not_throttled(client, settings, django_user_model):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("boss", password="the-right-password", is_staff=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "boss", "password": "the-right-password"})
        assert "_auth_user_id" in client.session
        client.logout()


def test_the_caller_budget_refuses_with_retry_after_and_runs_nothing(api, player, settings):
    settings.API_RATE_PER_CALLER = "3/m"
    for _ in range(3):
        api("{ prizeTable { label } }")
    assert_rate_limited(api.raw(CREATE_DEPOSIT, {"input": DEPOSIT_INPUT}))
    assert not Deposit.objects.exists()


def test_each_admin_actor_has_a_budget_of_its_own(api, player, admin, settings):
    settings.API_RATE_PER_CALLER = "2/m"
    approve = 'mutation($id: ID!, $actor: BigInt) { approveDeposit(id: $id, actorTelegramId: $actor) { __typename } }'
    deposit = deposit_for(PLAYER_ID)
    for _ in range(2):
        api(approve, {"id": deposit.pk, "actor": ADMIN_ID + 5})  # refused as not an admin, but spent
    assert_rate_limited(api.raw(approve, {"id": deposit.pk, "actor": ADMIN_ID + 5}))
    assert api(approve, {"id": deposit.pk, "actor": ADMIN_ID})["approveDeposit"]["__typename"] == "Deposit"


@pytest.mark.parametrize("write", ["variable", "literal", "input object"])
def test_each_player_has_a_budget_however_the_id_is_written(api, methods, settings, write):
    settings.API_RATE_PER_PLAYER = "2/m"
    requests = {
        "variable": lambda tid: (USER, {"t": tid}),
        "literal": lambda tid: ("{ user(telegramId: \"%d\") { username } }" % tid, None),
        "input object": lambda tid: (CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "telegramId": tid}}),
    }[write]
    for _ in range(2):
        assert api.raw(*requests(PLAYER_ID)).status_code == 200
    assert_rate_limited(api.raw(*requests(PLAYER_ID)))
    assert api.raw(*requests(OTHER_PLAYER)).status_code == 200


def test_a_document_too_long_to_cache_still_spends_each_named_players_budget(api, methods, settings):
    """Where a document names players is cached per document text, for short texts only: a long
    one is read afresh, and a short one still reads each request's own variables."""
    from graphql_api.schema import DOCUMENTS
    settings.API_RATE_PER_PLAYER = "2/m"
    padding = "y" * (DOCUMENTS.max_cached_length + 1)
    long_document = ('query($t: BigInt!) { user(telegramId: $t) { username } users(search: "%s") { username } }'
                     % padding)
    for _ in range(2):
        assert api.raw(long_document, {"t": PLAYER_ID}).status_code == 200
    assert_rate_limited(api.raw(long_document, {"t": PLAYER_ID}))
    assert_rate_limited(api.raw(USER, {"t": PLAYER_ID}))  # one budget per player, whatever the document
    assert api.raw(long_document, {"t": OTHER_PLAYER}).status_code == 200


def test_wrong_tokens_are_slowed_per_client_address(api, methods, settings):
    settings.API_RATE_BAD_TOKEN = "3/m"
    guesser = Api(api.client, token="not-the-token")
    for _ in range(3):
        assert guesser.raw("{ prizeTable { label } }").status_code == 403
    assert_rate_limited(guesser.raw("{ prizeTable { label } }"))
    elsewhere = Api(Client(REMOTE_ADDR="10.0.0.7"), token="not-the-token")
    assert elsewhere.raw("{ prizeTable { label } }").status_code == 403
    assert api("{ prizeTable { label } }")["prizeTable"]  # the right token is not slowed


def test_the_defaults_let_the_bot_run_at_telegrams_full_rate(api, methods):
    """30 messages a second across players, each a few calls: 4 seconds' worth, in one window."""
    for second in range(4):
        for player in range(30):
            for _ in range(3):
                response = api.raw(USER, {"t": 6_000_000_000 + player})
                assert response.status_code == 200, (second, player, response.content)
