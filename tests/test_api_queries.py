"""List queries with nested user and spin account cost the same SQL for 1 or 50 rows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

NESTED = "user { telegramId username isAdmin spinAccount { availableSpins totalChipsWon } }"
LISTS = {
    # valueBase as the bot asks it: the method's rate comes with the rows, not one query per deposit
    "pendingDeposits": "{ pendingDeposits(first: 50) { id amount method status valueBase %s } }" % NESTED,
    "deposits": "{ deposits(first: 50) { id amount method %s } }" % NESTED,
    "pendingWithdrawals": "{ pendingWithdrawals(first: 50) { id amount method %s } }" % NESTED,
    "spinHistory": "{ spinHistory(first: 50) { id prize chips status %s } }" % NESTED,
    "users": "{ users(first: 50) { telegramId username isAdmin spinAccount { availableSpins } } }",
    "events": "{ events(first: 50) { id kind telegramId payload } }",
}


def sql_for(api, query: str, rows_key: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        data = api(query)
    return len(captured), len(data[rows_key])


@pytest.mark.parametrize("name", LISTS)
def test_list_query_cost_does_not_grow_with_rows(api, add_players, name):
    add_players(1)
    one, few_rows = sql_for(api, LISTS[name], name)
    add_players(49)
    fifty, rows = sql_for(api, LISTS[name], name)
    assert few_rows < rows == 50
    assert fifty == one, f"{name}: {one} queries for {few_rows} rows, {fifty} for 50"
    assert fifty <= 2  # the rows, plus the admin list once per request where isAdmin is asked


def test_pinned_query_count_for_pending_deposits(api, add_players, django_assert_num_queries):
    add_players(50)
    # One for the rows with user and spin account joined, one for the admin list behind isAdmin.
    with django_assert_num_queries(2):
        assert len(api(LISTS["pendingDeposits"])["pendingDeposits"]) == 50


def test_a_repeated_document_is_validated_once(api, methods):
    """Validation is a third of a lookup's time; the bot repeats a few documents, so it must hit the cache."""
    from graphql_api.schema import DOCUMENTS

    query = "{ paymentMethods { code } }"
    api(query)
    before = DOCUMENTS.validated.cache_info()
    api(query)
    after = DOCUMENTS.validated.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
