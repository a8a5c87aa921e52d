"""Promotions and recovery racing on a real PostgreSQL server, with real threads on their own connections."""
from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from ledger import services
from ledger.audit import ledger_discrepancies
from ledger.clubtime import club_today
from ledger.errors import LedgerError
from ledger.models import (
    CashbackClaim, Event, JournalEntry, JournalKind, Promotion, PromotionKind, RequestStatus, Withdrawal,
)
from tests.conftest import PLAYER_ID, deposit_for
from tests.test_concurrency import race, setup_player  # noqa: F401  the fixture

pytestmark = pytest.mark.postgres
CASHBACK = PromotionKind.CASHBACK


def cashback_promotion(admin) -> Promotion:
    return services.promotion_create(kind=CASHBACK, percentage="10", starts_on=club_today(),
                                     ends_on=club_today() + timedelta(days=30), actor=admin)


def deposited(admin, amount: str) -> None:
    services.deposit_approve(deposit_id=deposit_for(PLAYER_ID, amount=amount).pk, actor=admin)


def claim(_=None) -> CashbackClaim:
    return services.cashback_claim_create(telegram_id=PLAYER_ID, pppoker_id="12345")


def test_30_concurrent_claims_of_one_player_make_one(setup_player):
    admin = setup_player
    cashback_promotion(admin)
    deposited(admin, "1000")
    outcomes = race(30, claim)
    assert outcomes == Counter({"ok": 1, "NOT_ELIGIBLE": 29})
    assert CashbackClaim.objects.filter(status=RequestStatus.PENDING).count() == 1
    assert Event.objects.filter(kind="cashback.created").count() == 1


def test_30_concurrent_approvals_of_a_claim_pay_it_once(setup_player):
    admin = setup_player
    cashback_promotion(admin)
    deposited(admin, "1000")
    made = claim()
    outcomes = race(30, lambda _: services.cashback_claim_approve(claim_id=made.pk, actor=admin))
    assert outcomes == Counter({"ok": 1, "ALREADY_DECIDED": 29})
    assert JournalEntry.objects.filter(kind=JournalKind.CASHBACK_APPROVED).count() == 1
    assert ledger_discrepancies() == []


def test_a_claim_racing_a_withdrawal_approval_is_never_paid_on_the_old_figures(setup_player):
    """Either the claim comes after the withdrawal and counts only the deposits since (here: none, so it is
    refused), or it comes first and its approval is refused once the withdrawal is approved; never both
    the payout and recovery on the deposits before it."""
    admin = setup_player
    cashback_promotion(admin)
    tally = Counter()
    for _ in range(8):
        deposited(admin, "1000")
        withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                                account_number="7730001", pppoker_id="12345")

        def claim_or_pay(index, withdrawal=withdrawal):
            if index % 2:
                services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)
            else:
                claim()

        outcomes = race(12, claim_or_pay, workers=12)
        assert set(outcomes) <= {"ok", "ALREADY_DECIDED", "NOT_ELIGIBLE"}
        withdrawal.refresh_from_db()
        assert withdrawal.status == RequestStatus.APPROVED
        made = CashbackClaim.objects.filter(status=RequestStatus.PENDING).first()
        if made is None:
            tally["claim refused after the withdrawal"] += 1
        else:
            assert made.created_at < withdrawal.decided_at and made.deposits_base == 1000
            with pytest.raises(LedgerError) as refused:
                services.cashback_claim_approve(claim_id=made.pk, actor=admin)
            assert refused.value.code == "NOT_ELIGIBLE"
            services.cashback_claim_reject(claim_id=made.pk, actor=admin, reason="figures changed")
            tally["claim made first, then not payable"] += 1
    assert sum(tally.values()) == 8
    assert not JournalEntry.objects.filter(kind=JournalKind.CASHBACK_APPROVED).exists()
    assert ledger_discrepancies() == []


def test_a_claim_approval_racing_a_withdrawal_approval_pays_recovery_only_before_it(setup_player):
    admin = setup_player
    cashback_promotion(admin)
    for _ in range(8):
        deposited(admin, "1000")
        made = claim()
        withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                                account_number="7730001", pppoker_id="12345")

        def approve_one(index, made=made, withdrawal=withdrawal):
            if index % 2:
                services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)
            else:
                services.cashback_claim_approve(claim_id=made.pk, actor=admin)

        outcomes = race(10, approve_one, workers=10)
        assert set(outcomes) <= {"ok", "ALREADY_DECIDED", "NOT_ELIGIBLE"}
        paid = JournalEntry.objects.get(kind=JournalKind.WITHDRAWAL_APPROVED, withdrawal=withdrawal)
        recovery = JournalEntry.objects.filter(kind=JournalKind.CASHBACK_APPROVED, cashback_claim=made).first()
        assert recovery is None or recovery.pk < paid.pk
        made.refresh_from_db()
        if made.status == RequestStatus.PENDING:
            services.cashback_claim_reject(claim_id=made.pk, actor=admin, reason="figures changed")
        # A fresh promotion for the next round, whether this one paid recovery or not.
        services.promotion_end(promotion_id=made.promotion_id, actor=admin)
        cashback_promotion(admin)
    assert Withdrawal.objects.filter(status=RequestStatus.APPROVED).count() == 8
    assert ledger_discrepancies() == []


def test_two_overlapping_promotions_created_at_once_make_one(setup_player):
    admin = setup_player
    today = club_today()

    def create(index):
        services.promotion_create(kind=CASHBACK, percentage=str(5 + index), starts_on=today + timedelta(days=index),
                                  ends_on=today + timedelta(days=20 + index), actor=admin)

    outcomes = race(20, create, workers=20)
    assert outcomes == Counter({"ok": 1, "INVALID": 19})
    assert Promotion.objects.count() == 1
    assert Event.objects.filter(kind="promotion.created").count() == 1


def test_the_database_itself_refuses_overlapping_promotions_of_one_kind(setup_player):
    today = club_today()

    def row(kind=CASHBACK, first=0, last=10, **extra):
        return Promotion.objects.create(kind=kind, percentage=5, starts_on=today + timedelta(days=first),
                                        ends_on=today + timedelta(days=last), created_by="test", **extra)

    first = row()
    for first_day, last_day in ((10, 12), (-3, 0), (2, 3), (-5, 50)):
        with pytest.raises(IntegrityError), transaction.atomic():
            row(first=first_day, last=last_day)
    row(first=11, last=12)
    row(kind=PromotionKind.DEPOSIT_BONUS)
    Promotion.objects.filter(pk=first.pk).update(ended_at=first.created_at, ended_by="test")
    row(first=0, last=10)  # an ended promotion excludes nothing
