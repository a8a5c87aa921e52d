"""Reads cost a fixed number of queries, whatever the number of rows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import selectors, services
from ledger.models import Player
from tests.conftest import deposit_for


def queries_to_read(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        for row in read():
            row.player.spin_account.available_spins  # what the API shows with each row
    return len(captured)


@pytest.fixture
def players(methods, admin):
    def make(count: int):
        start = Player.objects.count()
        for index in range(start, start + count):
            tid = 6_000_000_000 + index
            services.user_upsert(telegram_id=tid, username=f"p{index}")
            deposit_for(tid)
            services.spins_grant(telegram_id=tid, spins=1, reason="x", actor=admin)
            services.spins_process(telegram_id=tid, count=1)
    return make


@pytest.mark.parametrize("read", [
    lambda: selectors.page(selectors.deposits_pending(), first=50),
    lambda: selectors.page(selectors.deposit_list(), first=50),
    lambda: selectors.page(selectors.spin_history(), first=50),
], ids=["pending deposits", "deposit history", "spin history"])
def test_list_reads_cost_one_query_for_1_or_50_rows(players, read):
    players(1)
    assert queries_to_read(read) == 1
    players(49)
    assert len(list(read())) == 50
    assert queries_to_read(read) == 1


def test_pages_are_capped_at_100(players):
    players(3)
    assert len(selectors.page(selectors.player_list(), first=10_000)) == 3
    assert len(selectors.page(selectors.player_list(), first=2, offset=1)) == 2


def test_pending_lists_are_oldest_first_and_histories_newest_first(players):
    players(3)
    pending = [d.pk for d in selectors.deposits_pending()]
    assert pending == sorted(pending)
    assert [d.pk for d in selectors.deposit_list()] == pending[::-1]


def test_search_finds_players_by_handle_or_id(players):
    players(3)
    assert [p.username for p in selectors.player_list(search="@p1")] == ["p1"]
    assert [p.telegram_id for p in selectors.player_list(search="6000000002")] == [6_000_000_002]
