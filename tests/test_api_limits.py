"""What a document may cost: refused before graphql-core's rules spend long on it, whatever its shape."""
import time

import pytest
from graphql import specified_rules

from botclient.api import documents
from graphql_api.schema import DOCUMENTS, MAX_DEPTH, MAX_DOCUMENT_LENGTH, MAX_SELECTIONS, schema
from tests.conftest import PLAYER_ID

# Far above what a refusal costs (a few ms), far below what these documents cost before (seconds).
CPU_BUDGET = 0.5


def errors_of(api, query: str, variables: dict | None = None) -> list[dict]:
    response = api.raw(query, variables)
    assert response.status_code == 200, response.content
    return response.json().get("errors", [])


def refused_quickly(api, query: str, variables: dict | None = None) -> dict:
    started = time.process_time()
    errors = errors_of(api, query, variables)
    spent = time.process_time() - started
    assert errors, "refused"
    assert all(error["extensions"]["code"] == "INVALID" for error in errors), errors
    assert spent < CPU_BUDGET, f"{spent:.2f} s of CPU"
    return errors[0]


def diamond(levels: int) -> str:
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ prizeTable {{ label }} }}"


def test_fragment_diamonds_are_measured_once_per_fragment(api):
    # 16 levels: 65,536 uses of the last fragment; Strawberry's limiters walked each one.
    assert "maximum number of selections" in refused_quickly(api, diamond(16))["message"]


def test_a_small_diamond_within_the_limits_runs(api, methods):
    assert api(diamond(3))["prizeTable"]


def test_repeated_identical_selections_are_bounded_before_the_overlap_check(api):
    query = "{ " + " ".join(["prizeTable { label }"] * 240) + " }"  # within the token limit
    assert "maximum number of selections" in refused_quickly(api, query)["message"]


def test_an_unused_fragment_is_measured_too(api):
    body = " ".join(["user(telegramId: 1) { username }"] * MAX_SELECTIONS)
    refused_quickly(api, "{ prizeTable { label } } fragment Unused on Query { %s }" % body)


def test_depth_is_counted_through_fragments(api):
    fragments = " ".join(f"fragment D{i} on User {{ spinAccount {{ user {{ ...D{i + 1} }} }} }}"
                         for i in range(MAX_DEPTH))
    query = "{ user(telegramId: %d) { ...D0 } } %s fragment D%d on User { username }" % (
        PLAYER_ID, fragments, MAX_DEPTH)
    assert "maximum operation depth" in refused_quickly(api, query)["message"]


@pytest.mark.parametrize("query", [
    "{ ...Missing }",
    "{ user(telegramId: 1) { ...Missing } }",
    "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
])
def test_unknown_and_cyclic_fragments_are_graphql_errors_with_a_code(api, query):
    error = refused_quickly(api, query)
    assert error["message"] != "'Missing'" and "fragment" in error["message"].lower()


@pytest.mark.parametrize("query", ["{ prizeTable { label }", "{ prizeTable(", "query { %s }" % ("{" * 5000)])
def test_syntax_errors_carry_the_code(api, query):
    refused_quickly(api, query)


def test_long_documents_are_refused_and_kept_in_no_cache(api):
    parsed_before = DOCUMENTS.parsed.cache_info().currsize
    long_string = '{ users(search: "%s", first: 1) { username } }' % ("x" * MAX_DOCUMENT_LENGTH)
    assert "code points" in refused_quickly(api, long_string)["message"]
    within = '{ users(search: "%s", first: 1) { username } }' % ("y" * (DOCUMENTS.max_cached_length + 1))
    errors_of(api, within)
    assert DOCUMENTS.parsed.cache_info().currsize == parsed_before


def test_every_document_of_the_bot_is_within_the_limits():
    for name, document in documents().items():
        errors = DOCUMENTS.validate(schema._schema, document, DOCUMENTS.parse(document), tuple(specified_rules))
        assert not errors, (name, errors)
