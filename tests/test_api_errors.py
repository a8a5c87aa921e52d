"""What a client sees when something goes wrong: a refusal's own words, never a trace."""
from types import SimpleNamespace

import strawberry
from django.db import OperationalError
from strawberry.django.views import TemporalHttpResponse

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

    @strawberry.field
    def lose_database(self) -> int:
        raise OperationalError("server closed the connection unexpectedly")


def execute(query: str, response=None):
    schema = strawberry.Schema(query=Failing, extensions=[MaskUnexpectedErrors])
    context = SimpleNamespace(request=SimpleNamespace(request_id="req-42"), response=response or TemporalHttpResponse())
    return schema.execute_sync(query, context_value=context)


def test_an_unexpected_error_shows_only_the_request_id(caplog):
    result = execute("{ crash }")
    assert [error.message for error in result.errors] == ["Internal error; request id req-42."]
    assert "secret_table" not in str(result.errors[0].formatted)
    assert "req-42" in caplog.text and "secret_table" in caplog.text  # the server log keeps the detail


def test_a_lost_database_connection_answers_503_so_clients_retry():
    response = TemporalHttpResponse()
    result = execute("{ loseDatabase }", response)
    assert result.errors[0].message == "The database is unavailable; retry. Request id req-42."
    assert result.errors[0].formatted["extensions"] == {"code": "UNAVAILABLE"}
    assert response.status_code == 503 and response["Retry-After"] == "1"


def test_an_ordinary_crash_keeps_the_status():
    response = TemporalHttpResponse()
    execute("{ crash }", response)
    assert response.status_code is None


def test_a_refusal_keeps_its_message():
    assert [error.message for error in execute("{ refuse }").errors] == ["No such thing."]


def test_a_bad_ack_says_why(api):
    response = api.raw('mutation { ackEvents(upTo: "abc") }').json()
    assert response["errors"][0]["message"] == "'abc' is not an event id."
