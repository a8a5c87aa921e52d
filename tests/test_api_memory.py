"""No cache keeps request data: requests with large distinct variables leave the process as it was."""
import gc
import tracemalloc

from graphql_api.optimizer import PlannedOptimizer

MB = 1 << 20
# The large variable goes where nothing but GraphQL reads it (a type name that does not exist),
# so the test measures the API's caches, not the database's handling of a 1 MB search.
QUERY = """query Lookup($typeName: String!, $withUser: Boolean!) {
  pendingDeposits(first: 5) { id user @include(if: $withUser) { username } }
  __type(name: $typeName) { name } }"""


def test_a_hundred_distinct_one_megabyte_variables_leave_under_20_mb(api, add_players, settings):
    settings.DEBUG = True  # introspection (for `__type`) is for staff otherwise
    add_players(2)

    def send(index: int) -> None:
        # Distinct from the first character, so that no prefix is shared.
        type_name = f"{index:06d}" + "q" * (MB - 6)
        body = api.raw(QUERY, {"typeName": type_name, "withUser": index % 2 == 0}).json()
        assert body["data"]["pendingDeposits"] and body["data"]["__type"] is None, body.get("errors")

    send(-1)  # caches, connections and lazy imports of a first request
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for index in range(100):
            send(index)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 20 * MB, f"grew by {grown / MB:.1f} MB; {len(PlannedOptimizer.plans)} plans kept"


def test_plans_are_kept_only_for_documents_the_parse_cache_keeps(api, add_players):
    from graphql_api.schema import CACHED_DOCUMENT_LENGTH

    add_players(1)
    PlannedOptimizer.plans.clear()
    padding = "#" * CACHED_DOCUMENT_LENGTH  # a comment: a long document, the same operation
    for index in range(5):
        assert api(f"# {index}{padding}\n{{ pendingDeposits(first: 5) {{ id }} }}")["pendingDeposits"]
    assert not PlannedOptimizer.plans
    assert api("{ pendingDeposits(first: 5) { id } }")["pendingDeposits"] and PlannedOptimizer.plans
