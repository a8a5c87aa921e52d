"""Promotions, deposit bonuses, recovery claims and join requests through the services: each rule on its own."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from ledger import selectors, services
from ledger.audit import ledger_discrepancies
from ledger.clubtime import club_today
from ledger.errors import LedgerError
from ledger.models import (
    Bonus, CashbackClaim, DailyTotal, Event, JoinRequest, JournalEntry, JournalKind, Promotion, PromotionKind,
    RequestStatus,
)
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for

CLUB = ZoneInfo("Indian/Maldives")  # UTC+5
BONUS, CASHBACK = PromotionKind.DEPOSIT_BONUS, PromotionKind.CASHBACK
OTHER_ID = 5_000_000_002


def refused(code: str, call, **kwargs) -> LedgerError:
    with pytest.raises(LedgerError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value


def promote(admin, kind=BONUS, percentage="10", first: int = 0, last: int = 30) -> Promotion:
    """A promotion from `first` to `last` days after today (club time)."""
    today = club_today()
    return services.promotion_create(kind=kind, percentage=percentage, starts_on=today + timedelta(days=first),
                                     ends_on=today + timedelta(days=last), actor=admin)


def withdraw(admin, amount="300"):
    withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount=amount, method="BML",
                                            account_number="7730001", pppoker_id="12345")
    return services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)


def eligibility():
    return selectors.cashback_eligibility_of(telegram_id=PLAYER_ID)


def claim(**extra):
    return services.cashback_claim_create(telegram_id=PLAYER_ID, pppoker_id="12345", **extra)


@pytest.fixture(autouse=True)
def _journal_always_balances(request):
    uses_db = "db" in request.fixturenames
    if uses_db:
        request.getfixturevalue("db")  # set up first, so the check below runs before the rollback
    yield
    if uses_db:
        assert ledger_discrepancies() == []


# --- promotions ----------------------------------------------------------------------------------

def test_a_promotion_is_created_with_its_club_dates_and_announced(player, admin):
    promotion = promote(admin, percentage="12.5", first=0, last=6)
    assert (promotion.kind, promotion.percentage, promotion.created_by) == (BONUS, Decimal("12.50"), admin.label)
    assert promotion.ends_on - promotion.starts_on == timedelta(days=6)
    assert selectors.promotion_is_active(promotion) and selectors.promotion_active(kind=BONUS) == promotion
    assert selectors.promotion_active(kind=CASHBACK) is None
    event = Event.objects.get(kind="promotion.created")
    assert event.telegram_id is None and event.payload["promotion_id"] == promotion.pk


@pytest.mark.parametrize("percentage", ["0", "100.01", "-5", "1e2", "10.125", "ten", ""])
def test_the_percentage_is_more_than_0_and_at_most_100(player, admin, percentage):
    assert refused("INVALID", promote, admin=admin, percentage=percentage).field == "percentage"
    assert not Promotion.objects.exists()


def test_a_hundred_percent_is_a_percentage(player, admin):
    assert promote(admin, percentage="100").percentage == Decimal("100.00")


def test_dates_must_be_in_order_and_not_all_past(player, admin):
    assert refused("INVALID", promote, admin=admin, first=3, last=2).field == "endsOn"
    assert refused("INVALID", promote, admin=admin, first=-5, last=-1).field == "endsOn"
    assert promote(admin, first=-5, last=0).starts_on < club_today()  # it may have started already
    today = club_today()
    assert refused("INVALID", services.promotion_create, kind=BONUS, percentage="5", starts_on=today.isoformat(),
                   ends_on=today, actor=admin).field == "startsOn"  # a date, not its text
    assert refused("INVALID", services.promotion_create, kind=BONUS, percentage="5", starts_on=date(1999, 12, 31),
                   ends_on=today, actor=admin).field == "startsOn"
    assert refused("INVALID", services.promotion_create, kind="LOTTERY", percentage="5", starts_on=today,
                   ends_on=today, actor=admin).field == "kind"


def test_two_promotions_of_one_kind_never_share_a_day(player, admin):
    first = promote(admin, first=0, last=10)
    error = refused("INVALID", promote, admin=admin, first=10, last=20)
    assert f"#{first.pk}" in error.message and error.field == "startsOn"
    refused("INVALID", promote, admin=admin, first=3, last=4)
    refused("INVALID", promote, admin=admin, first=-2, last=40)
    promote(admin, first=11, last=20)  # the next day is free
    promote(admin, kind=CASHBACK, first=0, last=10)  # and the other kind is another matter
    assert Promotion.objects.count() == 3


def test_ending_a_promotion_early_frees_its_days_and_happens_once(player, admin):
    promotion = promote(admin, first=0, last=10)
    ended = services.promotion_end(promotion_id=promotion.pk, actor=admin)
    assert ended.ended_at is not None and ended.ended_by == admin.label
    assert not selectors.promotion_is_active(ended) and selectors.promotion_active(kind=BONUS) is None
    assert refused("ALREADY_DECIDED", services.promotion_end, promotion_id=promotion.pk, actor=admin)
    assert Event.objects.filter(kind="promotion.ended").count() == 1
    promote(admin, first=0, last=10)
    refused("NOT_FOUND", services.promotion_end, promotion_id=999_999, actor=admin)


def test_a_promotion_that_ran_its_course_cannot_be_ended(player, admin):
    promotion = promote(admin, first=0, last=0)
    with time_machine.travel(datetime.now(CLUB) + timedelta(days=2)):
        refused("ALREADY_DECIDED", services.promotion_end, promotion_id=promotion.pk, actor=admin)
        assert not selectors.promotion_is_active(promotion)


def test_a_promotion_is_upcoming_then_active_then_ended_on_the_clubs_days(player, admin):
    State = selectors.PromotionState
    promotion = promote(admin, first=1, last=2)
    today = club_today()
    assert [selectors.promotion_state(promotion, today + timedelta(days=d)) for d in range(4)] == [
        State.UPCOMING, State.ACTIVE, State.ACTIVE, State.ENDED]
    assert selectors.promotion_state(promotion) == State.UPCOMING
    ended = services.promotion_end(promotion_id=promotion.pk, actor=admin)  # ended before it began
    assert selectors.promotion_state(ended, today) == State.ENDED
    assert selectors.promotion_state(ended, today + timedelta(days=1)) == State.ENDED


def test_the_database_checks_each_promotion(player, admin):
    today = club_today()
    for fields in ({"percentage": 0}, {"percentage": 101}, {"ends_on": today - timedelta(days=1)},
                   {"kind": "LOTTERY"}, {"ended_by": "someone"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Promotion.objects.create(**{"kind": BONUS, "percentage": 5, "starts_on": today, "ends_on": today,
                                        "created_by": "x", **fields})


# --- the deposit bonus --------------------------------------------------------------------------

def test_a_bonus_on_the_first_approved_deposit_in_the_promotion(player, admin):
    promotion = promote(admin, percentage="10")
    deposit = approved_deposit(PLAYER_ID, admin, amount="1234.57")
    bonus = deposit.bonus
    assert (bonus.promotion, bonus.amount, bonus.percentage) == (promotion, Decimal("123.45"), Decimal("10.00"))
    entry = JournalEntry.objects.get(kind=JournalKind.BONUS_GRANTED)
    assert (entry.bonus, entry.deposit, entry.amount_base, entry.spins) == (bonus, deposit, Decimal("123.45"), 0)
    approved = Event.objects.get(kind="deposit.approved").payload
    assert (approved["bonus_id"], approved["bonus_amount"], approved["bonus_percentage"]) == (
        bonus.pk, "123.45", "10.00")
    assert deposit.spins_granted == 6  # spins by the deposit alone
    second = approved_deposit(PLAYER_ID, admin, amount="5000")
    assert not Bonus.objects.filter(deposit=second).exists() and Bonus.objects.count() == 1
    assert Event.objects.filter(kind="deposit.approved").last().payload["bonus_amount"] is None


def test_each_player_has_a_bonus_of_their_own_and_a_new_promotion_is_a_new_chance(player, admin):
    first = promote(admin, percentage="10", first=0, last=0)
    services.user_upsert(telegram_id=OTHER_ID, username="sara")
    approved_deposit(PLAYER_ID, admin, amount="1000")
    approved_deposit(OTHER_ID, admin, amount="300")
    assert sorted(Bonus.objects.values_list("amount", flat=True)) == [Decimal("30.00"), Decimal("100.00")]
    with time_machine.travel(datetime.now(CLUB) + timedelta(days=1)):
        second = promote(admin, percentage="20", first=0, last=0)
        approved_deposit(PLAYER_ID, admin, amount="1000")
    assert list(Bonus.objects.filter(player__telegram_id=PLAYER_ID).order_by("id").values_list(
        "promotion_id", "amount")) == [(first.pk, Decimal("100.00")), (second.pk, Decimal("200.00"))]


def test_the_bonus_is_on_the_amount_in_mvr(player, admin):
    promote(admin, percentage="5")
    deposit = approved_deposit(PLAYER_ID, admin, amount="100", method="USD")  # 1,540.00 MVR
    assert deposit.bonus.amount == Decimal("77.00")


def test_no_bonus_before_a_promotion_starts_or_once_it_is_ended(player, admin):
    promotion = promote(admin, first=1, last=5)
    approved_deposit(PLAYER_ID, admin)
    assert not Bonus.objects.exists()
    services.promotion_end(promotion_id=promotion.pk, actor=admin)
    with time_machine.travel(datetime.now(CLUB) + timedelta(days=2)):
        approved_deposit(PLAYER_ID, admin)
    assert not Bonus.objects.exists()


def test_the_promotion_days_are_the_clubs(player, admin):
    # 23:30 in the club on the last day is 18:30 UTC the same date; 00:10 the next club day is still
    # that UTC date, and the promotion is over.
    with time_machine.travel(datetime(2026, 3, 10, 23, 30, tzinfo=CLUB), tick=False):
        services.promotion_create(kind=BONUS, percentage="10", starts_on=date(2026, 3, 1),
                                  ends_on=date(2026, 3, 10), actor=admin)
        assert approved_deposit(PLAYER_ID, admin).bonus.amount == Decimal("50.00")
    services.user_upsert(telegram_id=OTHER_ID, username="sara")
    with time_machine.travel(datetime(2026, 3, 11, 0, 10, tzinfo=CLUB), tick=False):
        approved_deposit(OTHER_ID, admin)
    assert Bonus.objects.count() == 1


def test_a_bonus_that_rounds_to_nothing_leaves_the_chance_for_a_later_deposit(player, admin):
    promote(admin, percentage="10")
    assert not Bonus.objects.filter(deposit=approved_deposit(PLAYER_ID, admin, amount="0.09")).exists()
    assert approved_deposit(PLAYER_ID, admin, amount="0.10").bonus.amount == Decimal("0.01")


def test_a_settling_deposit_earns_the_bonus_too(player, admin):
    promote(admin, percentage="10")
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1000")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    deposit = deposit_for(PLAYER_ID, amount="1000", credit_id=credit.pk)
    assert services.deposit_approve(deposit_id=deposit.pk, actor=admin).bonus.amount == Decimal("100.00")


def test_one_bonus_per_player_per_promotion_in_the_database(player, admin):
    promote(admin)
    bonus = approved_deposit(PLAYER_ID, admin).bonus
    other = approved_deposit(PLAYER_ID, admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bonus.objects.create(deposit=other, promotion=bonus.promotion, player=bonus.player, percentage=10, amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bonus.objects.filter(pk=bonus.pk).update(amount=0)


def test_bonuses_are_in_the_report_the_stats_and_the_day_totals(player, admin):
    promote(admin, percentage="10")
    approved_deposit(PLAYER_ID, admin, amount="2000")
    today = selectors.report(period="TODAY")
    assert (today.bonuses_base, today.deposits_base) == (Decimal("200.00"), Decimal("2000.00"))
    assert today.net_base == Decimal("1800.00")
    assert selectors.stats().bonuses_base == Decimal("200.00")
    assert DailyTotal.objects.get(method="").bonuses_base == Decimal("200.00")
    later = selectors.report(period="LIFETIME", now=datetime.now(CLUB) + timedelta(days=3))  # from the day rows
    assert later.bonuses_base == Decimal("200.00")


def test_check_ledger_proves_each_bonus(player, admin, capsys):
    promote(admin)
    bonus = approved_deposit(PLAYER_ID, admin).bonus
    call_command("check_ledger")
    Bonus.objects.filter(pk=bonus.pk).update(amount=Decimal("49.99"))
    with pytest.raises(CommandError):
        call_command("check_ledger")
    err = capsys.readouterr().err
    assert f"bonus {bonus.pk}" in err and "bonuses_base is 49.99" in err
    Bonus.objects.filter(pk=bonus.pk).update(amount=Decimal("50.00"))


# --- recovery: the figures --------------------------------------------------------------------------

def test_without_a_cashback_promotion_nobody_is_eligible_but_the_figures_show(player, admin):
    approved_deposit(PLAYER_ID, admin, amount="800")
    answer = eligibility()
    assert (answer.eligible, answer.rule, answer.deposits_since_reset, answer.reset_at) == (
        False, "NO_PROMOTION", Decimal("800.00"), None)
    assert (answer.percentage, answer.amount, answer.promotion, answer.minimum) == (None, None, None, Decimal(500))
    assert refused("NOT_ELIGIBLE", claim).message == answer.reason == "There is no recovery promotion running now."


def test_eligible_with_the_amount_rounded_down_to_the_cent(player, admin):
    promotion = promote(admin, kind=CASHBACK, percentage="7.5")
    approved_deposit(PLAYER_ID, admin, amount="1000")
    approved_deposit(PLAYER_ID, admin, amount="234.57")
    answer = eligibility()
    assert (answer.eligible, answer.rule, answer.reason) == (True, None, "")
    assert (answer.deposits_since_reset, answer.amount) == (Decimal("1234.57"), Decimal("92.59"))  # 92.59275
    assert (answer.promotion, answer.percentage, answer.missing) == (promotion, Decimal("7.50"), Decimal("0.00"))


def test_below_the_minimum_says_how_much_more(player, admin, settings):
    settings.CASHBACK_MIN_MVR = Decimal("500")
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="420")
    answer = eligibility()
    assert (answer.eligible, answer.rule, answer.missing, answer.amount) == (
        False, "BELOW_MINIMUM", Decimal("80.00"), None)
    assert "420.00 MVR" in answer.reason and "80.00 MVR more" in answer.reason
    refused("NOT_ELIGIBLE", claim)
    approved_deposit(PLAYER_ID, admin, amount="80")
    assert eligibility().eligible  # exactly the minimum


def test_d_resets_at_the_last_approved_withdrawal(player, admin):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="900")
    pending = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                         account_number="7730001", pppoker_id="12345")
    assert eligibility().deposits_since_reset == Decimal("900.00")  # a pending withdrawal resets nothing
    withdrawal = services.withdrawal_approve(withdrawal_id=pending.pk, actor=admin)
    approved_deposit(PLAYER_ID, admin, amount="450")
    answer = eligibility()
    assert (answer.deposits_since_reset, answer.reset_at, answer.rule) == (
        Decimal("450.00"), withdrawal.decided_at, "BELOW_MINIMUM")
    rejected = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                          account_number="7730001", pppoker_id="12345")
    services.withdrawal_reject(withdrawal_id=rejected.pk, actor=admin, reason="no")
    assert eligibility().reset_at == withdrawal.decided_at


def test_d_resets_at_the_last_approved_claim_and_not_at_a_rejected_one(player, admin):
    promote(admin, kind=CASHBACK, percentage="10", first=0, last=0)
    approved_deposit(PLAYER_ID, admin, amount="1000")
    first = claim()
    services.cashback_claim_reject(claim_id=first.pk, actor=admin, reason="wrong id")
    assert eligibility().deposits_since_reset == Decimal("1000.00")
    second = claim()
    approved_deposit(PLAYER_ID, admin, amount="250")  # decided while the claim waits: it counts next time
    services.cashback_claim_approve(claim_id=second.pk, actor=admin)
    with time_machine.travel(datetime.now(CLUB) + timedelta(days=1)):
        promote(admin, kind=CASHBACK, percentage="10", first=0, last=0)
        approved_deposit(PLAYER_ID, admin, amount="300")
        answer = eligibility()
    assert (answer.deposits_since_reset, answer.reset_at, answer.eligible) == (
        Decimal("550.00"), second.created_at, True)


def test_an_open_credit_makes_a_player_not_eligible(player, admin):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1000")
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="200")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    answer = eligibility()
    assert (answer.eligible, answer.rule, answer.deposits_since_reset) == (False, "CREDIT_OPEN", Decimal("1000.00"))
    assert "open credit of 200.00 MVR" in refused("NOT_ELIGIBLE", claim).message
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid in cash")
    assert eligibility().eligible


def test_a_pending_claim_then_an_approved_one_in_this_promotion(player, admin):
    promote(admin, kind=CASHBACK, percentage="10")
    approved_deposit(PLAYER_ID, admin, amount="1000")
    made = claim()
    assert (made.status, made.deposits_base, made.percentage, made.amount, made.pppoker_id) == (
        RequestStatus.PENDING, Decimal("1000.00"), Decimal("10.00"), Decimal("100.00"), "12345")
    assert eligibility().rule == "PENDING_CLAIM"
    assert refused("NOT_ELIGIBLE", claim).message == "You already have a recovery claim waiting for an admin."
    services.cashback_claim_approve(claim_id=made.pk, actor=admin)
    approved_deposit(PLAYER_ID, admin, amount="5000")
    answer = eligibility()
    assert (answer.rule, answer.deposits_since_reset) == ("ALREADY_CLAIMED", Decimal("5000.00"))
    refused("NOT_ELIGIBLE", claim)
    assert CashbackClaim.objects.count() == 1


def test_a_claim_is_announced_and_retried_with_its_key(player, admin):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="600")
    first = claim(idempotency_key="cb-1")
    assert claim(idempotency_key="cb-1").pk == first.pk
    refused("IDEMPOTENCY_CONFLICT", services.cashback_claim_create, telegram_id=PLAYER_ID, pppoker_id="54321",
            idempotency_key="cb-1")
    assert refused("INVALID", services.cashback_claim_create, telegram_id=PLAYER_ID, pppoker_id="12").field == (
        "pppokerId")
    refused("NOT_FOUND", services.cashback_claim_create, telegram_id=42, pppoker_id="12345")
    created = Event.objects.get(kind="cashback.created")
    assert created.telegram_id == PLAYER_ID and created.payload["amount"] == "60.00"


# --- recovery: the decision --------------------------------------------------------------------------

def test_an_approved_claim_is_journaled_and_reported(player, admin):
    promote(admin, kind=CASHBACK, percentage="10")
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    approved = services.cashback_claim_approve(claim_id=made.pk, actor=admin)
    assert (approved.status, approved.decided_by) == (RequestStatus.APPROVED, admin.label)
    entry = JournalEntry.objects.get(kind=JournalKind.CASHBACK_APPROVED)
    assert (entry.cashback_claim, entry.amount_base, entry.actor) == (approved, Decimal("150.00"), admin.label)
    assert Event.objects.get(kind="cashback.approved").payload["amount"] == "150.00"
    today = selectors.report(period="TODAY")
    assert (today.cashback_base, today.net_base) == (Decimal("150.00"), Decimal("1350.00"))
    assert selectors.stats().cashback_base == Decimal("150.00")
    refused("ALREADY_DECIDED", services.cashback_claim_approve, claim_id=made.pk, actor=admin)
    refused("ALREADY_DECIDED", services.cashback_claim_reject, claim_id=made.pk, actor=admin, reason="x")
    assert JournalEntry.objects.filter(kind=JournalKind.CASHBACK_APPROVED).count() == 1


def test_a_rejected_claim_pays_nothing_and_needs_a_reason(player, admin):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    refused("INVALID", services.cashback_claim_reject, claim_id=made.pk, actor=admin, reason=" ")
    rejected = services.cashback_claim_reject(claim_id=made.pk, actor=admin, reason="not a loss")
    assert (rejected.status, rejected.rejection_reason) == (RequestStatus.REJECTED, "not a loss")
    assert not JournalEntry.objects.filter(kind=JournalKind.CASHBACK_APPROVED).exists()
    assert Event.objects.get(kind="cashback.rejected").payload["reason"] == "not a loss"
    refused("NOT_FOUND", services.cashback_claim_approve, claim_id="nope", actor=admin)


def test_a_withdrawal_approved_after_the_claim_stops_its_approval(player, admin):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    withdraw(admin)
    assert "withdrawal" in refused("NOT_ELIGIBLE", services.cashback_claim_approve, claim_id=made.pk,
                                   actor=admin).message
    made.refresh_from_db()
    assert made.status == RequestStatus.PENDING
    services.cashback_claim_reject(claim_id=made.pk, actor=admin, reason="figures changed")


def test_a_credit_opened_after_the_claim_stops_its_approval(player, admin):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="200")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    refused("NOT_ELIGIBLE", services.cashback_claim_approve, claim_id=made.pk, actor=admin)
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid")
    assert services.cashback_claim_approve(claim_id=made.pk, actor=admin).status == RequestStatus.APPROVED


def test_a_claim_made_in_a_promotion_may_be_approved_after_it_ends(player, admin):
    promotion = promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    services.promotion_end(promotion_id=promotion.pk, actor=admin)
    assert services.cashback_claim_approve(claim_id=made.pk, actor=admin).promotion == promotion


def test_the_database_holds_one_pending_and_one_approved_claim_per_promotion(player, admin):
    promotion = promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    fields = dict(player=made.player, promotion=promotion, amount=1, deposits_base=10, percentage=10, pppoker_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CashbackClaim.objects.create(**fields)
    services.cashback_claim_approve(claim_id=made.pk, actor=admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        CashbackClaim.objects.create(**fields, status=RequestStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CashbackClaim.objects.filter(pk=made.pk).update(amount=0)


def test_check_ledger_proves_each_claim(player, admin, capsys):
    promote(admin, kind=CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    made = claim()
    CashbackClaim.objects.filter(pk=made.pk).update(status=RequestStatus.APPROVED)  # approved without its entry
    with pytest.raises(CommandError):
        call_command("check_ledger")
    err = capsys.readouterr().err
    assert f"recovery claim {made.pk} is APPROVED" in err and "recovery_base is 150" in err
    CashbackClaim.objects.filter(pk=made.pk).update(status=RequestStatus.PENDING)


# --- joining the club ----------------------------------------------------------------------------

def test_a_join_request_to_approval_hands_out_the_club(player, admin, settings):
    settings.CLUB_ID, settings.CLUB_LINK = "4455667", "https://pppoker.club/invite/4455667"
    join = services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899")
    assert (join.status, join.pppoker_id) == (RequestStatus.PENDING, "778899")
    assert Event.objects.get(kind="join.created").payload == {"join_request_id": join.pk, "pppoker_id": "778899"}
    refused("DUPLICATE_PENDING", services.join_request_create, telegram_id=PLAYER_ID, pppoker_id="778899")
    approved = services.join_request_approve(join_request_id=join.pk, actor=admin)
    assert (approved.status, approved.decided_by) == (RequestStatus.APPROVED, admin.label)
    told = Event.objects.get(kind="join.approved")
    assert told.telegram_id == PLAYER_ID
    assert (told.payload["club_id"], told.payload["club_link"]) == ("4455667", "https://pppoker.club/invite/4455667")
    refused("ALREADY_DECIDED", services.join_request_reject, join_request_id=join.pk, actor=admin, reason="x")
    assert not JournalEntry.objects.exists()  # nothing moves


def test_a_join_request_rejected_with_a_reason_and_retried_with_its_key(player, admin):
    first = services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899", idempotency_key="j-1")
    assert services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899",
                                        idempotency_key="j-1").pk == first.pk
    refused("IDEMPOTENCY_CONFLICT", services.join_request_create, telegram_id=PLAYER_ID, pppoker_id="111222",
            idempotency_key="j-1")
    refused("INVALID", services.join_request_reject, join_request_id=first.pk, actor=admin, reason="")
    rejected = services.join_request_reject(join_request_id=first.pk, actor=admin, reason="unknown account")
    assert (rejected.status, rejected.rejection_reason) == (RequestStatus.REJECTED, "unknown account")
    assert Event.objects.get(kind="join.rejected").payload["reason"] == "unknown account"
    services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899")  # free to ask again
    assert refused("INVALID", services.join_request_create, telegram_id=PLAYER_ID,
                   pppoker_id="12a").field == "pppokerId"


def test_the_database_holds_one_pending_join_request_per_player(player):
    join = services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899")
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(player=join.player, pppoker_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.filter(pk=join.pk).update(status="MAYBE")
