"""The optimizer's plans are kept per operation, field, model and variables, and a kept plan makes
exactly the SQL a fresh one makes."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import GraphQLList, get_named_type, get_nullable_type
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.utils.typing import get_django_definition

from graphql_api.optimizer import PlannedOptimizer
from graphql_api.schema import schema
from tests.test_api_queries import LISTS

# Plain attributes of result wrappers, filled by the mutations from the services' lists.
NOT_QUERYSETS = {("SpinBatch", "spins"), ("SpinRewards", "spins")}


def sql_of(api, query: str, variables: dict | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        api(query, variables)
    return [entry["sql"] for entry in captured.captured_queries]


@pytest.fixture
def no_plans():
    PlannedOptimizer.plans.clear()
    yield PlannedOptimizer.plans
    PlannedOptimizer.plans.clear()


@pytest.mark.parametrize("name", LISTS)
def test_a_kept_plan_makes_the_same_sql_as_a_fresh_one(api, add_players, no_plans, name):
    add_players(3)
    fresh = sql_of(api, LISTS[name])
    plans = dict(no_plans)
    assert plans, "the list's plan was kept"
    assert sql_of(api, LISTS[name]) == fresh
    assert all(no_plans[key] is plan for key, plan in plans.items()), "the second request used the kept plan"
    assert "SELECT *" not in " ".join(fresh)


def test_plans_depend_on_the_variables(api, add_players, no_plans):
    add_players(2)
    query = """query Q($withUser: Boolean!) { pendingDeposits(first: 5) {
        id amount user @include(if: $withUser) { username spinAccount { availableSpins } } } }"""
    with_user, without_user = sql_of(api, query, {"withUser": True}), sql_of(api, query, {"withUser": False})
    assert with_user != without_user
    username = '"ledger_player"."username"'  # only() drops the columns of users not asked for
    assert username in with_user[0] and username not in without_user[0]
    assert sql_of(api, query, {"withUser": True}) == with_user
    assert sql_of(api, query, {"withUser": False}) == without_user


def test_no_plain_resolver_returns_a_list_of_models():
    """The optimizer runs inside strawberry-django fields only (PlannedOptimizer has no resolve hook),
    so a list of models must come from such a field, or be one of the known plain lists."""
    for graphql_type in schema._schema.type_map.values():
        for name, field in getattr(graphql_type, "fields", {}).items():
            returns_models = (isinstance(get_nullable_type(field.type), GraphQLList)
                              and get_django_definition(getattr(schema.get_type_by_name(
                                  get_named_type(field.type).name), "origin", None)) is not None)
            definition = field.extensions.get("strawberry-definition")
            if returns_models and (graphql_type.name, name) not in NOT_QUERYSETS:
                assert isinstance(definition, StrawberryDjangoField), f"{graphql_type.name}.{name}"
