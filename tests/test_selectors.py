"""Reads cost a fixed number of queries, whatever the number of rows."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import selectors


def queries_to_read(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        for row in read():
            _ = row.player.spin_account.available_spins  # what the API shows with each row
    return len(captured)


@pytest.mark.parametrize("read", [
    lambda: selectors.page(selectors.deposits_pending(), first=50),
    lambda: selectors.page(selectors.deposit_list(), first=50),
    lambda: selectors.page(selectors.spin_history(), first=50),
], ids=["pending deposits", "deposit history", "spin history"])
def test_list_reads_cost_one_query_for_1_or_50_rows(add_players, read):
    add_players(1)
    assert queries_to_read(read) == 1
    add_players(49)
    assert len(list(read())) == 50
    assert queries_to_read(read) == 1


def test_pages_are_capped_at_100(add_players):
    add_players(3)
    everything = selectors.page(selectors.player_list(), first=10_000)
    assert re.search(r"\bLIMIT 100\b", str(everything.query))
    assert len(everything) == 3
    assert len(selectors.page(selectors.player_list(), first=2, offset=1)) == 2


def test_pending_lists_are_oldest_first_and_histories_newest_first(add_players):
    add_players(3)
    pending = [d.pk for d in selectors.deposits_pending()]
    assert len(pending) == 3 and pending == sorted(pending)
    history = [d.pk for d in selectors.deposit_list()]
    assert len(history) == 6 and history == sorted(history, reverse=True)


def test_search_finds_players_by_handle_or_id(add_players):
    add_players(3)
    assert [p.username for p in selectors.player_list(search="@p1")] == ["p1"]
    assert [p.telegram_id for p in selectors.player_list(search="6000000002")] == [6_000_000_002]
