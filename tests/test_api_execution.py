"""The executor's short path for plain leaf fields answers exactly what graphql-core's own path answers.

Every read of the schema, with every field two levels deep, runs through the product schema and
through a twin that differs only in its execution context (graphql-core's, as Strawberry ships it);
the JSON must be the same text, key order included. The unusual cases (a null in a non-null field,
a value the scalar refuses) and the middleware rule are checked on small schemas of their own.
"""
import json
from types import SimpleNamespace

import pytest
import strawberry
from django.test import RequestFactory
from graphql import GraphQLUnionType, Undefined, get_named_type, is_leaf_type, is_non_null_type
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_api.auth import Caller, CallerKind
from graphql_api.context import LedgerContext
from graphql_api.execution import LeafShortcutExecutionContext
from graphql_api.schema import schema
from ledger import services
from ledger.clubtime import club_today
from ledger.models import PromotionKind
from tests.conftest import ADMIN_ID, approved_deposit, deposit_for

REFERENCE = strawberry.Schema(query=schema.query, mutation=schema.mutation, config=schema.config,
                              extensions=schema.extensions,
                              execution_context_class=StrawberryGraphQLCoreExecutionContext)


def selection(graphql_type, depth: int, came_from: str = "") -> str:
    """Every field of the type; object fields `depth` levels down, but not back to the type they came from
    (a deposit's bonus's deposit repeats the deposit); unions through each member."""
    named = get_named_type(graphql_type)
    if isinstance(named, GraphQLUnionType):
        return "{ __typename %s }" % " ".join(f"... on {member.name} {selection(member, depth, came_from)}"
                                              for member in named.types)
    fields = []
    for name, field in named.fields.items():
        if any(is_non_null_type(arg.type) and arg.default_value in (None, Undefined) for arg in field.args.values()):
            continue
        if is_leaf_type(get_named_type(field.type)):
            fields.append(name)
        elif depth > 0 and get_named_type(field.type).name != came_from:
            fields.append(f"{name} {selection(field.type, depth - 1, named.name)}")
    return "{ %s }" % " ".join(fields)


def execute(target, document: str, variables: dict | None = None) -> str:
    context = LedgerContext(request=RequestFactory().post("/graphql/"), response=None,
                            caller=Caller(CallerKind.BOT))
    result = target.execute_sync(document, variable_values=variables, context_value=context)
    errors = [(error.message, error.path) for error in result.errors or ()]
    return json.dumps({"data": result.data, "errors": errors})


@pytest.fixture
def ledger_with_everything(methods, admin):
    today = club_today()
    for kind in PromotionKind.values:  # bonuses on each player's first deposit, recovery to claim
        services.promotion_create(kind=kind, percentage="10", starts_on=today, ends_on=today, actor=admin)
    for index in range(6):
        telegram_id = 7_100_000_000 + index
        services.user_upsert(telegram_id=telegram_id, username=f"p{index}", first_name="Ann" if index % 2 else None,
                             pppoker_id="12345")
        if index == 0:  # a credit settled by its deposit
            seat = services.seat_request_create(telegram_id=telegram_id, amount="700")
            credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
            approved_deposit(telegram_id, admin, amount="700", credit_id=credit.pk)
        approved_deposit(telegram_id, admin, amount="5000")
        if index % 3 == 0:
            services.deposit_reject(deposit_id=deposit_for(telegram_id, method="USDT", amount="30").pk,
                                    actor=admin, reason="slip unreadable")
        deposit_for(telegram_id)
        withdrawal = services.withdrawal_create(telegram_id=telegram_id, amount="300", method="BML",
                                                account_number="7730001", pppoker_id="12345")
        if index % 2:
            services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)
        services.spins_process(telegram_id=telegram_id, count=10)
        if index in (2, 4):  # an open credit, a pending seat request
            seat = services.seat_request_create(telegram_id=telegram_id, amount="300")
            if index == 2:
                services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
        if index in (1, 3):  # a support session taken and answered, one waiting
            session = services.support_open(telegram_id=telegram_id)
            services.support_message_post(session_id=session.pk, actor=None, text="Hello?", photo="AgACAgUAAxk")
            if index == 1:
                services.support_claim(session_id=session.pk, actor=admin)
                services.support_message_post(session_id=session.pk, actor=admin, text="Yes?")
        if index in (0, 4):  # a recovery claim approved, one pending; and as many join requests
            claim = services.cashback_claim_create(telegram_id=telegram_id, pppoker_id="12345")
            join = services.join_request_create(telegram_id=telegram_id, pppoker_id="12345")
            if index == 0:
                services.cashback_claim_approve(claim_id=claim.pk, actor=admin)
                services.join_request_reject(join_request_id=join.pk, actor=admin, reason="unknown account")
    broadcast = services.broadcast_create(text="Freeroll\ntonight", actor=admin)
    services.broadcast_deliveries_record(broadcast_id=broadcast.pk, deliveries=[(7_100_000_000, "SENT", None)])
    services.counter_set(state="CLOSED", actor=admin, announce="Back at six")
    return {"telegramId": 7_100_000_001}


BY_ID = {"deposit": "deposits", "withdrawal": "withdrawals", "spin": "spinHistory",
         "seatRequest": "pendingSeatRequests", "credit": "credits", "supportSession": "supportSessions",
         "broadcast": "broadcasts", "broadcastRecipients": "broadcasts", "promotion": "promotions",
         "cashbackClaim": "cashbackClaims", "joinRequest": "joinRequests"}


def read_documents(telegram_id: int) -> dict[str, str]:
    """One document per root field of Query, selecting everything two levels deep."""
    arguments = {"user": f"(telegramId: {telegram_id})", "spinAccount": f"(telegramId: {telegram_id})",
                 "withdrawalEligibility": f"(telegramId: {telegram_id})",
                 "cashbackEligibility": f"(telegramId: {telegram_id})",
                 "adminMessages": '(kind: "deposit", requestId: "1")'}
    for name, list_name in BY_ID.items():
        rows = json.loads(execute(schema, "{ %s(first: 1) { id } }" % list_name))["data"][list_name]
        arguments[name] = "(id: %s)" % json.dumps(rows[0]["id"])
    documents = {}
    for name, field in schema._schema.query_type.fields.items():
        leaf = is_leaf_type(get_named_type(field.type))
        if "actorTelegramId" in field.args:  # admins-only reads, as an admin
            arguments[name] = f"(actorTelegramId: {ADMIN_ID})"
        if name == "report":  # the same instant for both schemas: `to` defaults to now
            arguments[name] = f'(to: "2030-01-01T00:00:00+00:00", actorTelegramId: {ADMIN_ID})'

        documents[name] = "{ %s%s %s }" % (name, arguments.get(name, ""), "" if leaf else selection(field.type, 2))
    return documents


def test_every_read_answers_as_graphql_core_does(ledger_with_everything):
    for name, document in read_documents(ledger_with_everything["telegramId"]).items():
        ours = execute(schema, document)
        assert ours == execute(REFERENCE, document), f"{name}: {document}"
        assert json.loads(ours)["errors"] == [], ours


@strawberry.type
class Row:
    name: str
    note: str | None
    count: int


@strawberry.type
class Rows:
    @strawberry.field
    def rows(self, bad: str = "") -> list[Row | None]:
        good = SimpleNamespace(name="a", note=None, count=1)
        broken = {"null_name": SimpleNamespace(name=None, note="x", count=2),
                  "text_count": SimpleNamespace(name="b", note="y", count="many"),
                  "no_attribute": SimpleNamespace(name="c", note="z")}
        return [good, broken[bad]] if bad else [good]


class SeesEveryField(SchemaExtension):
    seen: list[str] = []

    def resolve(self, _next, root, info, *args, **kwargs):
        SeesEveryField.seen.append(info.field_name)
        return _next(root, info, *args, **kwargs)


def small_schema(execution_context_class, extensions=()):
    return strawberry.Schema(query=Rows, extensions=list(extensions), execution_context_class=execution_context_class)


def small_result(target, bad: str) -> str:
    result = target.execute_sync('{ rows(bad: "%s") { name note count } }' % bad)
    return json.dumps({"data": result.data, "errors": [(e.message, e.path, [(loc.line, loc.column) for loc in
                                                                           e.locations]) for e in result.errors or ()]})


@pytest.mark.parametrize("bad", ["", "null_name", "text_count", "no_attribute"])
def test_errors_in_leaf_fields_are_graphql_cores_own(bad):
    ours = small_result(small_schema(LeafShortcutExecutionContext), bad)
    assert ours == small_result(small_schema(StrawberryGraphQLCoreExecutionContext), bad)
    if bad:  # the broken row is nulled, located, and the good one stays
        assert json.loads(ours)["data"]["rows"][0] == {"name": "a", "note": None, "count": 1}
        assert json.loads(ours)["errors"][0][1] == ["rows", 1, {"null_name": "name"}.get(bad, "count")]


def test_an_extension_that_resolves_sees_every_field():
    SeesEveryField.seen = []
    target = small_schema(LeafShortcutExecutionContext, [SeesEveryField])
    assert json.loads(small_result(target, ""))["data"] == {"rows": [{"name": "a", "note": None, "count": 1}]}
    assert SeesEveryField.seen == ["rows", "name", "note", "count"]
