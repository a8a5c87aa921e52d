"""Seat on credit through the services: requests, credits, settlement, expiry, reminders, the journal."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledger import selectors, services
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.models import Credit, CreditStatus, Event, JournalEntry, JournalKind, RequestStatus, SeatRequest
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for

OTHER_ID = 5_000_000_002


def refused(code: str, call, **kwargs) -> LedgerError:
    with pytest.raises(LedgerError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value


def kinds(*names: str) -> list[str]:
    return list(Event.objects.filter(kind__in=names).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def seat(player):
    return services.seat_request_create(telegram_id=PLAYER_ID, amount="1000")


@pytest.fixture
def credit(seat, admin) -> Credit:
    return services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit


# --- seat requests -------------------------------------------------------------------------

def test_a_seat_request_is_pending_with_the_pppoker_id_on_file_and_announced(seat):
    assert (seat.status, seat.amount, seat.pppoker_id) == (RequestStatus.PENDING, Decimal("1000.00"), "12345")
    event = Event.objects.get(kind="seat.created")
    assert event.telegram_id == PLAYER_ID and event.payload["seat_request_id"] == seat.pk


def test_a_seat_needs_a_pppoker_id_on_file(methods):
    services.user_upsert(telegram_id=OTHER_ID, username="nopp")
    error = refused("INVALID", services.seat_request_create, telegram_id=OTHER_ID, amount="500")
    assert error.field == "pppokerId"
    assert not SeatRequest.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001"])
def test_a_seat_amount_must_be_a_positive_amount(player, amount):
    assert refused("INVALID", services.seat_request_create, telegram_id=PLAYER_ID, amount=amount).field == "amount"


def test_one_pending_seat_request_per_player(seat):
    refused("DUPLICATE_PENDING", services.seat_request_create, telegram_id=PLAYER_ID, amount="200")


def test_the_database_holds_one_pending_seat_request_and_one_open_credit_per_player(seat, credit):
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(player=seat.player, seat_request=SeatRequest.objects.create(
            player=seat.player, amount=1, pppoker_id="1", status=RequestStatus.APPROVED), amount=1)
    SeatRequest.objects.create(player=seat.player, amount=1, pppoker_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatRequest.objects.create(player=seat.player, amount=1, pppoker_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatRequest.objects.filter(pk=seat.pk).update(amount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.filter(pk=credit.pk).update(status="PAID")
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.filter(pk=credit.pk).update(status=CreditStatus.SETTLED)  # settled by no deposit


def test_a_retried_seat_request_returns_the_first(player):
    first = services.seat_request_create(telegram_id=PLAYER_ID, amount="300", idempotency_key="seat-1")
    again = services.seat_request_create(telegram_id=PLAYER_ID, amount="300", idempotency_key="seat-1")
    assert again.pk == first.pk and SeatRequest.objects.count() == 1
    refused("IDEMPOTENCY_CONFLICT", services.seat_request_create, telegram_id=PLAYER_ID, amount="301",
            idempotency_key="seat-1")


# --- approval opens a credit ------------------------------------------------------------------

def test_approval_opens_a_credit_journaled_with_its_amount(seat, credit, admin):
    seat.refresh_from_db()
    assert (seat.status, seat.decided_by) == (RequestStatus.APPROVED, admin.label)
    assert (credit.status, credit.amount, credit.player_id) == (CreditStatus.OPEN, Decimal("1000.00"), seat.player_id)
    entry = JournalEntry.objects.get(credit=credit)
    assert (entry.kind, entry.amount_base, entry.actor) == (JournalKind.CREDIT_OPENED, Decimal("1000.00"), admin.label)
    approved = Event.objects.get(kind="seat.approved").payload
    assert approved["credit_id"] == credit.pk and approved["amount"] == "1000.00"
    assert ledger_discrepancies() == []


def test_a_seat_request_is_decided_once(seat, credit, admin):
    refused("ALREADY_DECIDED", services.seat_request_approve, seat_request_id=seat.pk, actor=admin)
    refused("ALREADY_DECIDED", services.seat_request_reject, seat_request_id=seat.pk, actor=admin, reason="x")
    assert Credit.objects.count() == 1 and JournalEntry.objects.filter(credit__isnull=False).count() == 1


def test_rejection_carries_a_reason_and_opens_nothing(seat, admin):
    refused("INVALID", services.seat_request_reject, seat_request_id=seat.pk, actor=admin, reason="  ")
    rejected = services.seat_request_reject(seat_request_id=seat.pk, actor=admin, reason="Club is full")
    assert (rejected.status, rejected.rejection_reason) == (RequestStatus.REJECTED, "Club is full")
    assert not Credit.objects.exists()
    assert Event.objects.get(kind="seat.rejected").payload["reason"] == "Club is full"
    refused("NOT_FOUND", services.seat_request_approve, seat_request_id=999_999, actor=admin)


def test_an_open_credit_blocks_seats_and_withdrawals(credit, admin):
    refused("CREDIT_OPEN", services.seat_request_create, telegram_id=PLAYER_ID, amount="100")
    approved_deposit(PLAYER_ID, admin)  # an ordinary deposit is welcome, and sets the payout name
    refused("CREDIT_OPEN", services.withdrawal_create, telegram_id=PLAYER_ID, amount="300", method="BML",
            account_number="7730001", pppoker_id="12345")


def test_a_withdrawal_made_before_a_seat_is_not_paid_while_the_credit_is_open(player, admin):
    approved_deposit(PLAYER_ID, admin)
    withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                            account_number="7730001", pppoker_id="12345")
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="500")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    refused("CREDIT_OPEN", services.withdrawal_approve, withdrawal_id=withdrawal.pk, actor=admin)
    withdrawal.refresh_from_db()
    assert withdrawal.status == RequestStatus.PENDING
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid in cash")
    assert services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin).status == RequestStatus.APPROVED


# --- settling by a deposit ------------------------------------------------------------------------

def test_a_deposit_naming_the_credit_settles_it_when_approved(credit, admin):
    deposit = deposit_for(PLAYER_ID, amount="1000", credit_id=credit.pk)
    assert deposit.credit_id == credit.pk
    credit.refresh_from_db()
    assert credit.status == CreditStatus.OPEN  # nothing is settled before the money is checked
    approved = services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    credit.refresh_from_db()
    assert (credit.status, credit.settlement_id, credit.closed_by) == (CreditStatus.SETTLED, deposit.pk, admin.label)
    assert approved.spins_granted == 5 and approved.player.spin_account.total_deposit_base == Decimal("1000.00")
    settled = JournalEntry.objects.get(kind=JournalKind.CREDIT_SETTLED)
    assert (settled.credit_id, settled.deposit_id, settled.amount_base) == (credit.pk, deposit.pk, Decimal("-1000.00"))
    assert kinds("credit.settled", "deposit.approved") == ["credit.settled", "deposit.approved"]
    assert Event.objects.get(kind="deposit.approved").payload["settled_credit_id"] == credit.pk
    assert ledger_discrepancies() == []
    assert selectors.credit_open_refusal(player_id=credit.player_id) is None
    services.seat_request_create(telegram_id=PLAYER_ID, amount="100")  # free to ask again


def test_a_rejected_settling_deposit_leaves_the_credit_open(credit, admin):
    deposit = deposit_for(PLAYER_ID, credit_id=credit.pk)
    services.deposit_reject(deposit_id=deposit.pk, actor=admin, reason="blurred slip")
    credit.refresh_from_db()
    assert credit.status == CreditStatus.OPEN and credit.settlement is None


def test_a_deposit_may_name_only_the_players_own_open_credit(credit, admin):
    services.user_upsert(telegram_id=OTHER_ID, username="other", pppoker_id="55555")
    assert refused("NOT_FOUND", deposit_for, telegram_id=OTHER_ID, credit_id=credit.pk).field == "creditId"
    refused("NOT_FOUND", deposit_for, telegram_id=PLAYER_ID, credit_id="nope")
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid in cash")
    assert refused("INVALID", deposit_for, telegram_id=PLAYER_ID, credit_id=credit.pk).field == "creditId"
    assert not Credit.objects.filter(settling_deposits__isnull=False).exists()


def test_a_credit_cleared_before_its_deposit_is_approved_stays_cleared(credit, admin):
    deposit = deposit_for(PLAYER_ID, credit_id=credit.pk)
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid in cash")
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    credit.refresh_from_db()
    assert (credit.status, credit.settlement) == (CreditStatus.CLEARED, None)
    assert Event.objects.get(kind="deposit.approved").payload["settled_credit_id"] is None
    assert ledger_discrepancies() == []


def test_clearing_by_hand_needs_a_reason_and_happens_once(credit, admin):
    refused("INVALID", services.credit_clear, credit_id=credit.pk, actor=admin, reason="")
    cleared = services.credit_clear(credit_id=credit.pk, actor=admin, reason="written off")
    assert (cleared.status, cleared.reason, cleared.closed_by) == (CreditStatus.CLEARED, "written off", admin.label)
    assert JournalEntry.objects.get(kind=JournalKind.CREDIT_CLEARED).amount_base == Decimal("-1000.00")
    refused("ALREADY_DECIDED", services.credit_clear, credit_id=credit.pk, actor=admin, reason="again")
    refused("NOT_FOUND", services.credit_clear, credit_id=0, actor=admin, reason="x")
    assert ledger_discrepancies() == []


# --- the worker: expiry and reminders ---------------------------------------------------------------

def test_undecided_seat_requests_expire_after_the_timeout(seat, settings, admin):
    settings.SEAT_REQUEST_TIMEOUT_S = 120
    assert services.seat_requests_expire(now=seat.created_at + timedelta(seconds=119)) == []
    expired = services.seat_requests_expire(now=seat.created_at + timedelta(seconds=120))
    assert [s.pk for s in expired] == [seat.pk]
    seat.refresh_from_db()
    assert (seat.status, seat.decided_by, seat.rejection_reason) == (RequestStatus.REJECTED, "system", "expired")
    assert Event.objects.get(kind="seat.expired").payload == {
        "seat_request_id": seat.pk, "amount": "1000.00", "reason": "expired", "decided_by": "system"}
    assert services.seat_requests_expire(now=seat.created_at + timedelta(hours=1)) == []
    refused("ALREADY_DECIDED", services.seat_request_approve, seat_request_id=seat.pk, actor=admin)


def test_an_approved_seat_does_not_expire(seat, credit):
    assert services.seat_requests_expire(now=timezone.now() + timedelta(hours=1)) == []


def test_two_reminders_each_once_seat_reminder_s_apart(credit, settings):
    settings.SEAT_REMINDER_S = 60
    start = credit.created_at
    assert services.credit_reminders_due(now=start + timedelta(seconds=59)) == []
    assert [c.reminders_sent for c in services.credit_reminders_due(now=start + timedelta(seconds=60))] == [1]
    assert services.credit_reminders_due(now=start + timedelta(seconds=90)) == []
    assert [c.reminders_sent for c in services.credit_reminders_due(now=start + timedelta(seconds=120))] == [2]
    assert services.credit_reminders_due(now=start + timedelta(hours=5)) == []
    reminders = Event.objects.filter(kind="credit.reminder").order_by("id")
    assert [(e.payload["credit_id"], e.payload["reminder"]) for e in reminders] == [(credit.pk, 1), (credit.pk, 2)]
    credit.refresh_from_db()
    assert credit.reminders_sent == 2


def test_a_closed_credit_is_not_reminded(credit, admin):
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid")
    assert services.credit_reminders_due(now=timezone.now() + timedelta(hours=1)) == []


# --- check_ledger and stats -------------------------------------------------------------------------

def test_check_ledger_proves_each_credit_from_the_journal(credit, admin, capsys):
    deposit = deposit_for(PLAYER_ID, credit_id=credit.pk)
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    call_command("check_ledger")
    Credit.objects.filter(pk=credit.pk).update(status=CreditStatus.CLEARED, settlement=None)
    with pytest.raises(CommandError):
        call_command("check_ledger")
    err = capsys.readouterr().err
    assert f"credit {credit.pk} is CLEARED" in err


def test_an_open_credit_without_its_journal_entry_is_found(seat, admin):
    Credit.objects.create(player=seat.player, seat_request=seat, amount=700)
    problems = ledger_discrepancies()
    assert any("open_credits_base is 700" in p for p in problems)
    assert any("is OPEN, journal says" in p for p in problems)


def test_stats_count_the_credits_open_at_the_end_of_the_period(credit, admin):
    now = timezone.now()
    assert (selectors.stats().open_credits, selectors.stats().open_credits_base) == (1, Decimal("1000.00"))
    before = selectors.stats(end=now - timedelta(days=1))
    assert (before.open_credits, before.open_credits_base) == (0, Decimal("0.00"))
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="written off")
    assert (selectors.stats().open_credits, selectors.stats().open_credits_base) == (0, Decimal("0.00"))
    assert selectors.stats(end=now).open_credits == 1  # still open then
