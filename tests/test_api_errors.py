"""What a client sees when something goes wrong: a refusal's own words, never a trace."""
from types import SimpleNamespace

import strawberry

from graphql_api.extensions import MaskUnexpectedErrors
from ledger.errors import NotFound


@strawberry.type
class Failing:
    @strawberry.field
    def crash(self) -> int:
        raise RuntimeError('relation "secret_table" does not exist')

    @strawberry.field
    def refuse(self) -> int:
        raise NotFound("No such thing.")


def execute(query: str):
    schema = strawberry.Schema(query=Failing, extensions=[MaskUnexpectedErrors])
    context = SimpleNamespace(request=SimpleNamespace(request_id="req-42"))
    return schema.execute_sync(query, context_value=context)


def test_an_unexpected_error_shows_only_the_request_id(caplog):
    result = execute("{ crash }")
    assert [error.message for error in result.errors] == ["Internal error; request id req-42."]
    assert "secret_table" not in str(result.errors[0].formatted)
    assert "req-42" in caplog.text and "secret_table" in caplog.text  # the server log keeps the detail


def test_a_refusal_keeps_its_message():
    assert [error.message for error in execute("{ refuse }").errors] == ["No such thing."]


def test_a_bad_ack_says_why(api):
    response = api.raw('mutation { ackEvents(upTo: "abc") }').json()
    assert response["errors"][0]["message"] == "'abc' is not an event id."
