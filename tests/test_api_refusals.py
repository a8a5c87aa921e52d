"""Every bad input is a refusal with its code, never "Internal error", and changes nothing.

One class of input per test, sent over HTTP as a client would, on SQLite and PostgreSQL alike
(NUL characters, numbers written in exponents or foreign digits, over-long text, positions and ids
that cannot exist, dates no database holds).
"""
import json

import pytest

from delivery.models import AdminMessage, EventCursor
from ledger.models import Deposit, Event, JournalEntry, Player, RequestStatus
from tests.conftest import ADMIN_ID, PLAYER_ID, deposit_for

OUTCOME = "... on OperationInfo { messages { code field } }"
CREATE_DEPOSIT = ("mutation($input: DepositInput!) { createDeposit(input: $input) { ... on Deposit { id } %s } }"
                  % OUTCOME)
UPSERT = "mutation($input: UserInput!) { upsertUser(input: $input) { ... on User { telegramId } %s } }" % OUTCOME
DEPOSIT = {"telegramId": PLAYER_ID, "amount": "500", "method": "BML", "accountName": "Ali Ahmed",
           "proof": "AgACAgUAAxkBAAIB", "pppokerId": "12345"}


def refused(body: dict, field: str) -> list[str]:
    """The codes of an OperationInfo answer, or of GraphQL errors; fails on a crash."""
    assert "Internal error" not in json.dumps(body), body
    if body.get("errors"):
        return [error.get("extensions", {}).get("code") for error in body["errors"]]
    return [message["code"] for message in body["data"][field]["messages"]]


def unchanged(before: tuple) -> bool:
    return before == snapshot()


def snapshot() -> tuple:
    return (Deposit.objects.count(), JournalEntry.objects.count(), Event.objects.count(),
            list(Player.objects.values_list("username", "first_name", "last_name", "pppoker_id")))


@pytest.mark.parametrize("field, value", [
    ("accountName", "Ali\x00Ahmed"), ("proof", "Ag\x00AC"), ("pppokerId", "123\x0045"), ("method", "BML\x00zzz"),
    ("accountName", "Ali\x1bAhmed"), ("idempotencyKey", "key\x00one"), ("amount", "500\x00"),
])
def test_control_characters_are_refused_in_every_text(api, player, field, value):
    before = snapshot()
    body = api.raw(CREATE_DEPOSIT, {"input": {**DEPOSIT, field: value}}).json()
    assert refused(body, "createDeposit") == ["INVALID"]
    assert unchanged(before)


@pytest.mark.parametrize("field", ["username", "firstName", "lastName"])
def test_names_with_nul_or_over_long_are_refused_not_cut(api, player, field):
    before = snapshot()
    for value in ("Al\x00i", "x" * 100_000):
        body = api.raw(UPSERT, {"input": {"telegramId": PLAYER_ID, field: value}}).json()
        assert refused(body, "upsertUser") == ["INVALID"]
    assert unchanged(before)


@pytest.mark.parametrize("amount", ["1e400", "1E+400", "1" * 30, "NaN", "Infinity", "-5", "0", "1.234",
                                    "١٢٣", "12\u0663", "0x10", "1_000"])
def test_amounts_that_are_not_plain_positive_money_are_invalid(api, player, amount):
    before = snapshot()
    body = api.raw(CREATE_DEPOSIT, {"input": {**DEPOSIT, "amount": amount}}).json()
    assert refused(body, "createDeposit") == ["INVALID"]
    assert unchanged(before)


def test_an_approval_with_an_absurd_amount_correction_changes_nothing(api, player, admin):
    deposit = deposit_for(PLAYER_ID)
    query = """mutation($id: ID!, $a: Decimal) { approveDeposit(id: $id, amount: $a, actorTelegramId: %d) {
        ... on Deposit { id } %s } }""" % (ADMIN_ID, OUTCOME)
    for amount in ("1e400", "9" * 30):
        assert refused(api.raw(query, {"id": deposit.pk, "a": amount}).json(), "approveDeposit") == ["INVALID"]
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("written", [
    lambda pk: str(pk).translate(ARABIC_INDIC), lambda pk: f"{pk}.0", lambda pk: f" {pk}", lambda pk: f"+{pk}",
    lambda pk: "-1", lambda pk: "9" * 25, lambda pk: "0",
], ids=["arabic-indic", "decimal", "space", "plus", "negative", "huge", "zero"])
def test_ids_in_foreign_digits_or_out_of_range_find_nothing(api, player, admin, written):
    deposit = deposit_for(PLAYER_ID)
    request_id = written(deposit.pk)
    assert api("query($id: ID!) { deposit(id: $id) { id } }", {"id": request_id}) == {"deposit": None}
    query = "mutation($id: ID!) { approveDeposit(id: $id, actorTelegramId: %d) { ... on Deposit { id } %s } }" % (
        ADMIN_ID, OUTCOME)
    assert refused(api.raw(query, {"id": request_id}).json(), "approveDeposit") == ["NOT_FOUND"]
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING


@pytest.mark.parametrize("after", ["abc", "", "1.5", "-1", "1" * 30])
def test_the_feed_refuses_positions_that_are_not_event_ids(api, player, after):
    body = api.raw("query($a: ID) { events(after: $a) { id } }", {"a": after}).json()
    assert refused(body, "events") == ["INVALID"]


@pytest.mark.parametrize("up_to", ["9223372036854775807", "99999999999999999999", "abc"])
def test_the_feed_cannot_be_silenced_by_an_ack_past_its_end(api, player, up_to):
    body = api.raw("mutation($u: ID!) { ackEvents(upTo: $u) }", {"u": up_to}).json()
    assert refused(body, "ackEvents") == ["INVALID"]
    assert not EventCursor.objects.filter(position__gt=0).exists()
    deposit_for(PLAYER_ID)  # a later event is still delivered
    assert api("{ events { kind } }")["events"][-1] == {"kind": "deposit.created"}


def test_admin_messages_for_a_request_that_does_not_exist_are_not_found(api, db):
    body = api.raw("""mutation { recordAdminMessages(kind: "deposit", requestId: "4242",
        messages: [{chatId: 1, messageId: 2}]) }""").json()
    assert refused(body, "recordAdminMessages") == ["NOT_FOUND"]
    assert not AdminMessage.objects.exists()


def test_an_over_long_search_is_invalid_not_unavailable(api, player):
    response = api.raw("query($s: String) { users(search: $s) { telegramId } }", {"s": "%_" * 40_000})
    assert response.status_code == 200
    assert refused(response.json(), "users") == ["INVALID"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"])
def test_stats_for_dates_no_database_holds_are_invalid(api, admin, moment):
    body = api.raw("query($f: DateTime) { stats(from: $f, actorTelegramId: %d) { depositsApproved } }" % ADMIN_ID,
                   {"f": moment}).json()
    assert refused(body, "stats") == ["INVALID"]


def test_spins_per_call_are_bounded_with_a_clear_refusal(api, player, admin):
    query = "mutation($c: Int) { processSpin(telegramId: %d, count: $c) { ... on SpinBatch { spinsLeft } %s } }" % (
        PLAYER_ID, OUTCOME)
    body = api.raw(query, {"c": 10_000}).json()
    assert refused(body, "processSpin") == ["INVALID"]
    assert body["data"]["processSpin"]["messages"][0]["field"] == "count"
