"""Races on a real PostgreSQL server with real threads, each on its own connection."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection

from ledger import services
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.models import Deposit, IdempotencyRecord, JournalEntry, JournalKind, RequestStatus, Spin, SpinAccount
from tests.conftest import ADMIN_ID, PLAYER_ID, deposit_for, seed_payment_methods

pytestmark = pytest.mark.postgres


def race(count: int, call, workers: int = 32) -> Counter:
    """Run `call(i)` `count` times from `workers` threads released at once; tally outcomes."""
    barrier = threading.Barrier(min(workers, count))

    def attempt(index: int) -> str:
        try:
            if index < barrier.parties:
                barrier.wait(timeout=30)
            call(index)
            return "ok"
        except LedgerError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = Counter(pool.map(attempt, range(count)))
    close_old_connections()
    return outcomes


@pytest.fixture
def setup_player(transactional_db):
    from ledger.actors import admin_actor
    from ledger.models import Admin
    seed_payment_methods()
    Admin.objects.create(telegram_id=ADMIN_ID)
    services.user_upsert(telegram_id=PLAYER_ID, username="ali", pppoker_id="12345")
    return admin_actor(ADMIN_ID)


def test_100_concurrent_approvals_approve_once(setup_player):
    admin = setup_player
    deposit = deposit_for(PLAYER_ID, amount="2000")
    outcomes = race(100, lambda _: services.deposit_approve(deposit_id=deposit.pk, actor=admin))
    assert outcomes == Counter({"ok": 1, "ALREADY_DECIDED": 99})
    assert JournalEntry.objects.filter(deposit=deposit).count() == 1
    assert SpinAccount.objects.get(player__telegram_id=PLAYER_ID).available_spins == 25
    assert ledger_discrepancies() == []


def test_approve_and_reject_racing_decide_once(setup_player):
    admin = setup_player
    deposit = deposit_for(PLAYER_ID)

    def decide(index):
        if index % 2:
            services.deposit_approve(deposit_id=deposit.pk, actor=admin)
        else:
            services.deposit_reject(deposit_id=deposit.pk, actor=admin, reason="race")

    assert race(40, decide)["ok"] == 1
    deposit.refresh_from_db()
    assert deposit.status != RequestStatus.PENDING
    assert JournalEntry.objects.filter(deposit=deposit).count() == (deposit.status == RequestStatus.APPROVED)


def test_200_concurrent_single_spins_spend_exactly_100(setup_player):
    admin = setup_player
    services.spins_grant(telegram_id=PLAYER_ID, spins=100, reason="race", actor=admin)
    outcomes = race(200, lambda _: services.spins_process(telegram_id=PLAYER_ID, count=1))
    assert outcomes == Counter({"ok": 100, "INSUFFICIENT_SPINS": 100})
    account = SpinAccount.objects.get(player__telegram_id=PLAYER_ID)
    assert (account.available_spins, account.total_spins_used) == (0, 100)
    assert Spin.objects.count() == 100
    assert JournalEntry.objects.filter(kind=JournalKind.SPIN_USED).count() == 100
    assert ledger_discrepancies() == []


def test_concurrent_grants_lose_nothing(setup_player):
    admin = setup_player
    outcomes = race(100, lambda i: services.spins_grant(telegram_id=PLAYER_ID, spins=i + 1, reason="r", actor=admin))
    assert outcomes == Counter({"ok": 100})
    assert SpinAccount.objects.get(player__telegram_id=PLAYER_ID).available_spins == sum(range(1, 101))
    assert ledger_discrepancies() == []


def test_concurrent_deposits_leave_one_pending(setup_player):
    outcomes = race(50, lambda i: deposit_for(PLAYER_ID, amount=str(100 + i)))
    assert outcomes == Counter({"ok": 1, "DUPLICATE_PENDING": 49})
    assert Deposit.objects.filter(status=RequestStatus.PENDING).count() == 1


def test_concurrent_retries_with_one_key_create_once(setup_player):
    results = []
    outcomes = race(50, lambda _: results.append(deposit_for(PLAYER_ID, idempotency_key="retry-1").pk))
    assert outcomes == Counter({"ok": 50})
    assert len(set(results)) == 1 and Deposit.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_spins_racing_reward_decisions_keep_the_journal_balanced(setup_player):
    admin = setup_player
    services.spins_grant(telegram_id=PLAYER_ID, spins=400, reason="race", actor=admin)
    services.spins_process(telegram_id=PLAYER_ID, count=200)

    def mixed(index):
        pending = list(Spin.objects.filter(status="PENDING").values_list("id", flat=True)[:5])
        if index % 3 == 0:
            services.spins_process(telegram_id=PLAYER_ID, count=2)
        elif index % 3 == 1 and pending:
            services.spin_reward_approve(spin_id=pending[index % len(pending)], actor=admin)
        elif pending:
            services.spin_rewards_approve_all(telegram_id=PLAYER_ID, actor=admin)

    outcomes = race(90, mixed)
    assert set(outcomes) <= {"ok", "ALREADY_DECIDED"}
    assert ledger_discrepancies() == []


def test_concurrent_approvals_of_many_players_lose_nothing_in_the_day_totals(setup_player):
    from decimal import Decimal

    from ledger import selectors
    admin = setup_player
    deposits = []
    for index in range(40):
        services.user_upsert(telegram_id=PLAYER_ID + 1 + index, username=f"p{index}")
        method = "BML" if index % 2 else "MIB"
        deposits.append(deposit_for(PLAYER_ID + 1 + index, amount=str(100 + index), method=method))
    outcomes = race(len(deposits), lambda i: services.deposit_approve(deposit_id=deposits[i].pk, actor=admin))
    assert outcomes == Counter({"ok": 40})
    today = selectors.report(period="TODAY")
    assert today.deposits_base == sum(Decimal(100 + index) for index in range(40))
    assert sorted((row.method, row.count) for row in today.deposits) == [("BML", 20), ("MIB", 20)]
    assert ledger_discrepancies() == []


def test_the_daily_report_from_several_workers_at_once_is_written_and_told_once(setup_player):
    from ledger.models import DailyReport, Event
    outcomes = race(8, lambda _: services.daily_report_make())
    assert outcomes == Counter({"ok": 8})
    assert DailyReport.objects.count() == 1
    assert Event.objects.filter(kind="report.daily").count() == 1
