"""Races on a real PostgreSQL server with real threads, each on its own connection."""
import threading
from decimal import Decimal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection

from ledger import services
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.models import (
    Credit, CreditStatus, Deposit, Event, IdempotencyRecord, JournalEntry, JournalKind, RequestStatus, SeatRequest,
    Spin, SpinAccount,
)
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


# --- settings ---------------------------------------------------------------------------------------

def test_concurrent_rate_changes_each_record_the_rate_it_replaced(setup_player):
    from itertools import pairwise

    from ledger.models import ConfigChange, PaymentMethod
    rates = [f"16.{i:02d}" for i in range(1, 21)]
    outcomes = race(20, lambda i: services.payment_method_update(code="USD", rate_to_base=rates[i],
                                                                 actor=setup_player))
    assert outcomes == Counter({"ok": 20})
    trail = list(ConfigChange.objects.order_by("id").values_list("before", "after"))
    assert len(trail) == 20 and trail[0][0] == "15.4000"
    assert all(earlier[1] == later[0] for earlier, later in pairwise(trail))  # no change saw a stale rate
    usd = PaymentMethod.objects.get(code="USD")
    assert (usd.version, f"{usd.rate_to_base}") == (21, trail[-1][1])  # and the mirror sees every one


def test_one_admin_added_by_many_at_once_is_added_once(setup_player):
    from ledger.models import Admin, ConfigChange
    outcomes = race(20, lambda _: services.admin_add(telegram_id=4004, actor=setup_player))
    assert outcomes == Counter({"ok": 1, "INVALID": 19})
    assert Admin.objects.filter(telegram_id=4004, is_active=True).count() == 1
    assert ConfigChange.objects.filter(what="admin 4004").count() == 1


# --- seat on credit ---------------------------------------------------------------------------------

def backdate(model, seconds: float, **filters) -> None:
    from datetime import timedelta

    from django.utils import timezone
    model.objects.filter(**filters).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_50_concurrent_seat_requests_of_one_player_leave_one_pending(setup_player):
    outcomes = race(50, lambda i: services.seat_request_create(telegram_id=PLAYER_ID, amount=str(100 + i)))
    assert outcomes == Counter({"ok": 1, "DUPLICATE_PENDING": 49})
    assert SeatRequest.objects.filter(status=RequestStatus.PENDING).count() == 1
    assert Event.objects.filter(kind="seat.created").count() == 1


def test_50_concurrent_approvals_open_one_credit(setup_player):
    admin = setup_player
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1000")
    outcomes = race(50, lambda _: services.seat_request_approve(seat_request_id=seat.pk, actor=admin))
    assert outcomes == Counter({"ok": 1, "ALREADY_DECIDED": 49})
    assert Credit.objects.count() == 1
    assert JournalEntry.objects.filter(kind=JournalKind.CREDIT_OPENED).count() == 1
    assert ledger_discrepancies() == []


def test_seat_requests_racing_an_approval_never_sit_beside_an_open_credit(setup_player):
    admin = setup_player
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1000")

    def ask_or_approve(index):
        if index == 0:
            services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
        else:
            services.seat_request_create(telegram_id=PLAYER_ID, amount="200")

    outcomes = race(40, ask_or_approve)
    assert outcomes["ok"] == 1 and set(outcomes) <= {"ok", "DUPLICATE_PENDING", "CREDIT_OPEN"}
    assert not SeatRequest.objects.filter(status=RequestStatus.PENDING).exists()


def test_an_approval_racing_the_expiry_has_exactly_one_outcome(setup_player, settings):
    admin = setup_player
    outcomes = Counter()
    for _ in range(10):
        seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="500")
        backdate(SeatRequest, settings.SEAT_REQUEST_TIMEOUT_S + 1, pk=seat.pk)

        def approve_or_expire(index, seat=seat):
            if index % 2:
                services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
            else:
                services.seat_requests_expire()

        race(20, approve_or_expire, workers=20)
        seat.refresh_from_db()
        approved = Event.objects.filter(kind="seat.approved", payload__seat_request_id=seat.pk).count()
        expired = Event.objects.filter(kind="seat.expired", payload__seat_request_id=seat.pk).count()
        assert (approved, expired) == ((1, 0) if seat.status == RequestStatus.APPROVED else (0, 1))
        assert Credit.objects.filter(seat_request=seat).exists() == (seat.status == RequestStatus.APPROVED)
        outcomes[seat.status] += 1
        credit = Credit.objects.filter(seat_request=seat).first()
        if credit:  # free the player for the next round
            services.credit_clear(credit_id=credit.pk, actor=admin, reason="next round")
    assert sum(outcomes.values()) == 10
    assert ledger_discrepancies() == []


def test_the_settling_deposit_approved_twice_at_once_settles_once(setup_player):
    admin = setup_player
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1000")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    deposit = deposit_for(PLAYER_ID, amount="1000", credit_id=credit.pk)
    outcomes = race(50, lambda _: services.deposit_approve(deposit_id=deposit.pk, actor=admin))
    assert outcomes == Counter({"ok": 1, "ALREADY_DECIDED": 49})
    credit.refresh_from_db()
    assert (credit.status, credit.settlement_id) == (CreditStatus.SETTLED, deposit.pk)
    assert JournalEntry.objects.filter(kind=JournalKind.CREDIT_SETTLED).count() == 1
    assert Event.objects.filter(kind="credit.settled").count() == 1
    assert ledger_discrepancies() == []


def test_a_settlement_racing_a_clear_closes_the_credit_once(setup_player):
    admin = setup_player
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1000")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    deposit = deposit_for(PLAYER_ID, amount="1000", credit_id=credit.pk)

    def settle_or_clear(index):
        if index % 2:
            services.deposit_approve(deposit_id=deposit.pk, actor=admin)
        else:
            services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid in cash")

    race(20, settle_or_clear, workers=20)
    credit.refresh_from_db()
    assert credit.status in (CreditStatus.SETTLED, CreditStatus.CLEARED)
    assert JournalEntry.objects.filter(credit=credit).exclude(kind=JournalKind.CREDIT_OPENED).count() == 1
    assert ledger_discrepancies() == []


@pytest.fixture
def many_players(setup_player):
    tids = [PLAYER_ID + 1 + index for index in range(12)]
    for tid in tids:
        services.user_upsert(telegram_id=tid, username=f"p{tid}", pppoker_id="12345")
    return tids


def test_expiry_and_reminders_from_two_workers_happen_once_each(setup_player, many_players, settings):
    from jobs.tasks import due_jobs_tick

    admin = setup_player
    credited, waiting = many_players[:6], many_players[6:]
    for tid in credited:
        seat = services.seat_request_create(telegram_id=tid, amount="700")
        services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
    for tid in waiting:
        services.seat_request_create(telegram_id=tid, amount="300")
    backdate(SeatRequest, settings.SEAT_REQUEST_TIMEOUT_S + 1, status=RequestStatus.PENDING)
    for reminder in (1, 2):
        backdate(Credit, settings.SEAT_REMINDER_S * reminder + 1)
        # Two workers, each running the tick over and over, all at once.
        assert race(40, lambda _: due_jobs_tick.call_local(), workers=2) == Counter({"ok": 40})
        sent = Counter(Event.objects.filter(kind="credit.reminder").values_list("payload__credit_id",
                                                                                 "payload__reminder"))
        assert len(sent) == 6 * reminder and set(sent.values()) == {1}
    assert Counter(Credit.objects.values_list("reminders_sent", flat=True)) == Counter({2: 6})
    assert Event.objects.filter(kind="seat.expired").count() == 6
    assert SeatRequest.objects.filter(status=RequestStatus.REJECTED, decided_by="system").count() == 6


def test_no_payout_is_approved_after_a_credit_opened_however_the_two_race(setup_player):
    admin = setup_player
    for _ in range(5):
        deposit = deposit_for(PLAYER_ID, amount="1000")
        services.deposit_approve(deposit_id=deposit.pk, actor=admin)
        withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                                account_number="7730001", pppoker_id="12345")
        seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="500")

        def approve_one(index, seat=seat, withdrawal=withdrawal):
            if index % 2:
                services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
            else:
                services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)

        outcomes = race(10, approve_one, workers=10)
        assert set(outcomes) <= {"ok", "ALREADY_DECIDED", "CREDIT_OPEN"}
        opened = JournalEntry.objects.get(kind=JournalKind.CREDIT_OPENED, credit__seat_request=seat)
        paid = JournalEntry.objects.filter(kind=JournalKind.WITHDRAWAL_APPROVED, withdrawal=withdrawal).first()
        assert paid is None or paid.pk < opened.pk
        if paid is None:
            services.withdrawal_reject(withdrawal_id=withdrawal.pk, actor=admin, reason="credit open")
        services.credit_clear(credit_id=opened.credit_id, actor=admin, reason="next round")
    assert ledger_discrepancies() == []


def test_concurrent_spins_and_rotations_use_each_nonce_once_with_no_gap(setup_player):
    """Batches racing each other and seed rotations: every seed's nonces are 0..n-1, each once, and
    every spin on a revealed seed recomputes from it."""
    from ledger.models import RevealedSeed
    from ledger.rules import fair_draw, winnable_prizes
    admin = setup_player
    services.spins_grant(telegram_id=PLAYER_ID, spins=210, reason="race", actor=admin)

    def call(index: int) -> None:
        if index % 8 == 7:
            services.fairness_server_seed_rotate(telegram_id=PLAYER_ID)
        else:
            services.spins_process(telegram_id=PLAYER_ID, count=5)

    outcomes = race(48, call)
    assert outcomes == Counter({"ok": 48})
    assert Spin.objects.count() == 42 * 5
    services.fairness_server_seed_rotate(telegram_id=PLAYER_ID)
    revealed = {seed.server_seed_hash: seed for seed in RevealedSeed.objects.all()}
    assert len(revealed) == 7
    by_seed: dict[str, list[int]] = {}
    for spin in Spin.objects.all():
        by_seed.setdefault(spin.server_seed_hash, []).append(spin.nonce)
        seed = revealed[spin.server_seed_hash]
        assert fair_draw(winnable_prizes(), seed.server_seed, spin.client_seed, spin.nonce).label == spin.prize
    for seed_hash_, nonces in by_seed.items():
        assert sorted(nonces) == list(range(len(nonces))) == list(range(revealed[seed_hash_].spins_drawn))
    assert ledger_discrepancies() == []


def test_approvals_racing_tier_changes_each_use_exactly_one_version(setup_player):
    """Every approval earns the spins of the table it recorded; concurrent changes number themselves
    one after the other."""
    from ledger.models import SpinTierTable
    from ledger.rules import spins_for_amount
    admin = setup_player
    tids = [PLAYER_ID + 1 + i for i in range(24)]
    for tid in tids:
        services.user_upsert(telegram_id=tid, username=f"r{tid}")
    deposits = [deposit_for(tid, amount="1000") for tid in tids]

    def call(index: int) -> None:
        if index % 4 == 3:
            services.spin_tiers_set(tiers=[("100", index + 1), ("900", index + 2)], actor=admin)
        else:
            services.deposit_approve(deposit_id=deposits[index - index // 4].pk, actor=admin)

    outcomes = race(32, call)
    assert outcomes == Counter({"ok": 32})
    assert sorted(SpinTierTable.objects.values_list("version", flat=True)) == list(range(1, 10))
    tables = {t.version: [(d, s) for d, s in t.tiers] for t in SpinTierTable.objects.all()}
    for deposit in Deposit.objects.filter(pk__in=[d.pk for d in deposits]):
        tiers = tuple((Decimal(t), s) for t, s in tables[deposit.spin_tier_version])
        assert deposit.spins_granted == spins_for_amount(deposit.amount_base, tiers)
    assert ledger_discrepancies() == []
