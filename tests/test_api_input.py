"""Bad requests and bad values answer a 4xx or a GraphQL error with a code; never a 500 or bare text."""
import json

import pytest

from ledger.models import Deposit
from tests.conftest import API_TOKEN, PLAYER_ID
from tests.test_api import CREATE_DEPOSIT, DEPOSIT_INPUT

USER = "query($t: BigInt!) { user(telegramId: $t) { username } }"


def post(client, body: bytes, content_type: str = "application/json"):
    return client.post("/graphql/", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {API_TOKEN}")


def the_code(response) -> str:
    body = response.json()
    assert body["data"] is None and len(body["errors"]) == 1, body
    return body["errors"][0]["extensions"]["code"]


NESTED = b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"


@pytest.mark.parametrize("body", [
    b"null", b"123", b"[]", b'"query"', b"true",  # JSON, but not an object
    b'{"query": "{ __typename }"}'.replace(b"{ ", b"{ \xff"),  # invalid UTF-8
    '{"query": "{ prizeTable { label } }"}'.encode("utf-16"),
    '{"query": "{ prizeTable { label } }"}'.encode("utf-16-le"),
    NESTED,
    b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}",  # past int()'s digit limit
    b'{"query": 123}', b'{"query": "{ __typename }", "variables": []}', b"{",
], ids=lambda body: repr(body[:24]))
def test_bodies_that_are_not_a_request_are_400_with_a_code(api, body):
    response = post(api.client, body)
    assert response.status_code == 400 and the_code(response) == "INVALID"


def test_a_body_over_the_upload_limit_is_413_with_a_code(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(api.client, json.dumps({"query": "{ __typename }", "variables": {"x": "y" * 20_000}}).encode())
    assert response.status_code == 413 and the_code(response) == "INVALID"


def test_graphql_errors_outside_fields_carry_the_code(api):
    for query, variables in [(USER, {"t": "x"}), (USER, {}), ("query($f: Int!) { users(first: $f) { id } }",
                                                            {"f": "many"}), ("{ nothing }", {})]:
        assert the_code(api.raw(query, variables)) == "INVALID", query


BIGINTS_REFUSED = [2 ** 63, -(2 ** 63) - 1, str(2 ** 64), "1" * 30, "٣٤٥", "12a", "", "1.5", 1.5, True]


@pytest.mark.parametrize("value", BIGINTS_REFUSED, ids=repr)
def test_bigint_variables_beyond_64_bits_or_not_integers_are_refused(api, value):
    assert the_code(api.raw(USER, {"t": value})) == "INVALID"


@pytest.mark.parametrize("literal", [str(2 ** 63), "1" * 30, '"%s"' % (2 ** 64), '"١٢"'])
def test_bigint_literals_beyond_64_bits_are_refused(api, literal):
    assert the_code(api.raw("{ user(telegramId: %s) { username } }" % literal)) == "INVALID"


@pytest.mark.parametrize("operation", [
    'mutation { ackEvents(upTo: "%s") }' % (2 ** 64),
    'mutation { recordAdminMessages(kind: "deposit", requestId: "1", messages: [{chatId: %d, messageId: 1}]) }'
    % (2 ** 64),
    'mutation { recordAdminMessages(kind: "deposit", requestId: "1", messages: [{chatId: 1, messageId: "%s"}]) }'
    % ("9" * 25),
])
def test_every_bigint_argument_is_bounded(api, operation):
    assert the_code(api.raw(operation)) == "INVALID"


def test_bigint_edges_round_trip(api, methods):
    for telegram_id in (2 ** 63 - 1, -(2 ** 63)):
        assert api(USER, {"t": str(telegram_id)})["user"] is None


@pytest.mark.parametrize("amount", ["1e400", "1E+400", "NaN", "Infinity", "-Infinity", "1" * 30, "1" * 15,
                                    "1.23456", "0x10", "١٢", " ", "", "1,5", 1e20, float("1e-7"), True])
def test_decimal_outside_plain_bounded_notation_is_refused_at_the_scalar(api, player, amount):
    response = api.raw(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "amount": amount}})
    assert the_code(response) == "INVALID"
    assert "Decimal" in response.json()["errors"][0]["message"]
    assert not Deposit.objects.exists()


@pytest.mark.parametrize("literal", ["1e400", '"NaN"', '"1E+400"', "1" * 30])
def test_decimal_literals_are_refused_the_same_way(api, player, literal):
    query = CREATE_DEPOSIT.replace("$input: DepositInput!", "$t: BigInt!").replace(
        "input: $input", 'input: {telegramId: $t, amount: %s, method: "BML", accountName: "A", proof: "p", '
                         'pppokerId: "1"}' % literal)
    assert the_code(api.raw(query, {"t": PLAYER_ID})) == "INVALID"


@pytest.mark.parametrize("amount", ["250.50", "250", 250, 250.5, "12345678901234.5678", "+250.5"])
def test_plain_decimals_are_taken(api, player, amount):
    created = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "amount": amount}})["createDeposit"]
    assert "id" in created or created["messages"], created
