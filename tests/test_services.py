"""Every rule of domain.md that the ledger enforces, each with its refusal code."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ledger import selectors, services
from ledger.actors import admin_actor, staff_actor
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.models import (
    Deposit, Event, JournalEntry, JournalKind, Player, RequestStatus, RewardStatus, Spin, SpinAccount,
)
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit, deposit_for


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(LedgerError) as refused:
        call(*args, **kwargs)
    return refused.value.code


def account() -> SpinAccount:
    return SpinAccount.objects.get(player__telegram_id=PLAYER_ID)


@pytest.fixture(autouse=True)
def _journal_always_balances(request):
    uses_db = "db" in request.fixturenames
    if uses_db:
        request.getfixturevalue("db")  # set up first, so the check below runs before the rollback
    yield
    if uses_db:
        assert ledger_discrepancies() == []


# --- players and admins ---------------------------------------------------------------

def test_upsert_registers_once_and_keeps_fields_not_given(methods):
    created = services.user_upsert(telegram_id=2**40, username="@big", first_name="Big")
    again = services.user_upsert(telegram_id=2**40, pppoker_id="9876")
    assert created.pk == again.pk and again.username == "big" and again.first_name == "Big"
    assert again.pppoker_id == "9876" and again.version == created.version + 1
    assert SpinAccount.objects.filter(player=again).count() == 1
    assert Event.objects.filter(kind="user.registered").count() == 1


@pytest.mark.parametrize("pppoker_id", ["12", "12a45", " ", "١٢٣٤"])
def test_pppoker_id_must_be_three_or_more_ascii_digits(methods, pppoker_id):
    if not pppoker_id.strip():
        assert services.user_upsert(telegram_id=1234567, pppoker_id=pppoker_id).pppoker_id == ""
    else:
        assert code_of(services.user_upsert, telegram_id=1234567, pppoker_id=pppoker_id) == "INVALID"


def test_admins_come_from_the_environment_or_the_table(db, settings, admin):
    settings.ADMIN_USER_IDS = [111, 222]
    assert selectors.is_admin(111) and selectors.is_admin(ADMIN_ID) and not selectors.is_admin(333)
    assert selectors.super_admin_id() == 111
    assert selectors.admin_telegram_ids() == [111, 222, ADMIN_ID]
    assert code_of(admin_actor, 333) == "FORBIDDEN"
    assert code_of(admin_actor, None) == "FORBIDDEN"


def test_non_staff_users_cannot_act(db, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x")
    assert code_of(staff_actor, user) == "FORBIDDEN"
    user.is_staff = True
    assert staff_actor(user).label == "staff clerk"


# --- deposits ----------------------------------------------------------------------

def test_deposit_approval_records_rate_base_amount_spins_and_payout_name(player, admin):
    deposit = deposit_for(PLAYER_ID, amount="130", method="USDT", account_name="Ali Ahmed")
    assert deposit.status == RequestStatus.PENDING and deposit.amount_base is None
    approved = services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    assert approved.currency == "USD" and approved.rate_to_base == Decimal("15.40")
    assert approved.amount_base == Decimal("2002.00")  # 130 USD is 2002 MVR: 25 spins, not 1
    assert approved.spins_granted == 25
    assert approved.decided_by == admin.label and approved.decided_at is not None
    assert account().available_spins == 25 and account().total_deposit_base == Decimal("2002.00")
    assert Player.objects.get(pk=player.pk).account_name == "Ali Ahmed"
    entry = JournalEntry.objects.get(deposit=approved)
    assert (entry.kind, entry.spins, entry.amount_base, entry.actor) == (
        JournalKind.DEPOSIT_APPROVED, 25, Decimal("2002.00"), admin.label)
    assert list(Event.objects.values_list("kind", flat=True).order_by("id"))[-2:] == [
        "deposit.created", "deposit.approved"]


def test_admin_may_correct_the_amount_when_approving(player, admin):
    deposit = deposit_for(PLAYER_ID, amount="5000")
    approved = services.deposit_approve(deposit_id=deposit.pk, actor=admin, amount=Decimal("399.99"))
    assert approved.amount == Decimal("399.99") and approved.spins_granted == 1
    assert code_of(services.deposit_approve, deposit_id=deposit.pk, actor=admin, amount="0") == "ALREADY_DECIDED"


def test_correction_to_a_bad_amount_is_refused_and_changes_nothing(player, admin):
    deposit = deposit_for(PLAYER_ID)
    assert code_of(services.deposit_approve, deposit_id=deposit.pk, actor=admin, amount="-5") == "INVALID"
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING


def test_payout_name_is_fixed_by_the_first_approved_deposit(player, admin):
    approved_deposit(PLAYER_ID, admin, account_name="First Name")
    approved_deposit(PLAYER_ID, admin, account_name="Someone Else")
    assert Player.objects.get(pk=player.pk).account_name == "First Name"


def test_a_decision_happens_exactly_once(player, admin):
    deposit = deposit_for(PLAYER_ID)
    services.deposit_reject(deposit_id=deposit.pk, actor=admin, reason="Slip unreadable")
    assert code_of(services.deposit_approve, deposit_id=deposit.pk, actor=admin) == "ALREADY_DECIDED"
    assert code_of(services.deposit_reject, deposit_id=deposit.pk, actor=admin, reason="x") == "ALREADY_DECIDED"
    rejected = Deposit.objects.get(pk=deposit.pk)
    assert rejected.status == RequestStatus.REJECTED and rejected.rejection_reason == "Slip unreadable"
    assert not JournalEntry.objects.exists() and account().available_spins == 0


def test_rejection_needs_a_reason(player, admin):
    deposit = deposit_for(PLAYER_ID)
    assert code_of(services.deposit_reject, deposit_id=deposit.pk, actor=admin, reason="  ") == "INVALID"


def test_unknown_requests_are_not_found(player, admin):
    assert code_of(services.deposit_approve, deposit_id=999_999, actor=admin) == "NOT_FOUND"
    assert code_of(services.withdrawal_reject, withdrawal_id="abc", actor=admin, reason="x") == "NOT_FOUND"
    assert code_of(services.spin_reward_approve, spin_id=424242, actor=admin) == "NOT_FOUND"
    assert code_of(deposit_for, 42) == "NOT_FOUND"


def test_one_pending_deposit_per_player(player):
    deposit_for(PLAYER_ID)
    assert code_of(deposit_for, PLAYER_ID) == "DUPLICATE_PENDING"


def test_the_database_itself_refuses_a_second_pending_deposit(player, methods):
    first = deposit_for(PLAYER_ID)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deposit.objects.create(player=player, method=methods["BML"], amount=1, currency="MVR",
                               account_name="x", proof="x", pppoker_id="123")
    assert Deposit.objects.filter(player=player).count() == 1 and first.pk


@pytest.mark.parametrize("field, value", [
    ("amount", "0"), ("amount", "-1"), ("amount", "12.345"), ("amount", "NaN"), ("amount", "lots"),
    ("method", "PAYPAL"), ("account_name", " "), ("proof", ""), ("pppoker_id", "12"), ("pppoker_id", "12ab"),
])
def test_deposit_input_is_checked(player, field, value):
    fields = {"amount": "500", "method": "BML", "account_name": "Ali", "proof": "file-id", "pppoker_id": "12345"}
    fields[field] = value
    with pytest.raises(LedgerError) as refused:
        services.deposit_create(telegram_id=PLAYER_ID, **fields)
    assert refused.value.code == "INVALID" and refused.value.field
    assert not Deposit.objects.exists()


def test_inactive_methods_cannot_be_used(player, methods):
    methods["MIB"].is_active = False
    methods["MIB"].save()
    assert code_of(deposit_for, PLAYER_ID, method="MIB") == "INVALID"
    assert [m.code for m in selectors.payment_methods_active()] == ["BML", "USD", "USDT"]


# --- withdrawals -------------------------------------------------------------------

def test_no_withdrawal_without_an_approved_deposit(player):
    assert code_of(services.withdrawal_create, telegram_id=PLAYER_ID, amount="500", method="BML",
                   account_number="7730000123456", pppoker_id="12345") == "ACCOUNT_NAME_MISMATCH"


def test_withdrawal_minimum_is_checked_in_mvr_after_conversion(player, admin, settings):
    approved_deposit(PLAYER_ID, admin, account_name="Ali Ahmed")
    create = dict(telegram_id=PLAYER_ID, account_number="7730000123456", pppoker_id="12345")
    assert code_of(services.withdrawal_create, amount="199.99", method="BML", **create) == "BELOW_MINIMUM"
    assert code_of(services.withdrawal_create, amount="12.98", method="USD", **create) == "BELOW_MINIMUM"
    settings.WITHDRAWAL_MIN_MVR = Decimal("100")
    withdrawal = services.withdrawal_create(amount="13", method="USD", **create)  # 200.20 MVR
    assert withdrawal.amount_base == Decimal("200.20") and withdrawal.account_name == "Ali Ahmed"
    assert code_of(services.withdrawal_create, amount="500", method="BML", **create) == "DUPLICATE_PENDING"


def test_withdrawal_approval_and_rejection(player, admin):
    approved_deposit(PLAYER_ID, admin)
    create = dict(telegram_id=PLAYER_ID, method="BML", account_number="7730000123456", pppoker_id="12345")
    first = services.withdrawal_create(amount="300", **create)
    services.withdrawal_approve(withdrawal_id=first.pk, actor=admin)
    assert code_of(services.withdrawal_approve, withdrawal_id=first.pk, actor=admin) == "ALREADY_DECIDED"
    second = services.withdrawal_create(amount="250", **create)
    rejected = services.withdrawal_reject(withdrawal_id=second.pk, actor=admin, reason="Account closed")
    assert rejected.status == RequestStatus.REJECTED and rejected.rejection_reason == "Account closed"
    assert account().total_withdrawn_base == Decimal("300.00")
    assert JournalEntry.objects.filter(kind=JournalKind.WITHDRAWAL_APPROVED).count() == 1


# --- spins -------------------------------------------------------------------------

def test_spinning_spends_exactly_the_spins_and_records_each(player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=30, reason="welcome", actor=admin)
    batch = services.spins_process(telegram_id=PLAYER_ID, count=25)
    assert len(batch.spins) == 25 and batch.spins_left == 5
    assert batch.chips_won == sum(spin.chips for spin in batch.spins)
    assert all((spin.status == RewardStatus.AUTO) == (spin.chips == 0) for spin in batch.spins)
    assert account().total_spins_used == 25 and account().total_chips_won == batch.chips_won
    assert code_of(services.spins_process, telegram_id=PLAYER_ID, count=6) == "INSUFFICIENT_SPINS"
    rest = services.spins_process(telegram_id=PLAYER_ID, count=None)
    assert len(rest.spins) == 5 and rest.spins_left == 0
    assert code_of(services.spins_process, telegram_id=PLAYER_ID, count=None) == "INSUFFICIENT_SPINS"
    assert code_of(services.spins_process, telegram_id=PLAYER_ID, count=0) == "INVALID"


def test_the_database_refuses_negative_spins(player):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpinAccount.objects.filter(player=player).update(available_spins=-1)


def test_grants_need_a_positive_count_and_a_reason(player, admin):
    assert code_of(services.spins_grant, telegram_id=PLAYER_ID, spins=0, reason="x", actor=admin) == "INVALID"
    assert code_of(services.spins_grant, telegram_id=PLAYER_ID, spins=5, reason="", actor=admin) == "INVALID"
    assert code_of(services.spins_grant, telegram_id=42, spins=5, reason="x", actor=admin) == "NOT_FOUND"


def win_some(admin, at_least: int = 2) -> list[Spin]:
    """Spin until there are `at_least` pending wins (a win has about 17.5% odds per spin)."""
    wins: list[Spin] = []
    while len(wins) < at_least:
        services.spins_grant(telegram_id=PLAYER_ID, spins=50, reason="test", actor=admin)
        batch = services.spins_process(telegram_id=PLAYER_ID, count=50)
        wins += [spin for spin in batch.spins if spin.status == RewardStatus.PENDING]
    return wins


def test_rewards_are_approved_or_rejected_once(player, admin):
    first, second, *_ = win_some(admin)
    services.spin_reward_approve(spin_id=first.pk, actor=admin)
    rejected = services.spin_reward_reject(spin_id=second.pk, actor=admin, reason="Duplicate account")
    assert rejected.status == RewardStatus.REJECTED
    assert code_of(services.spin_reward_approve, spin_id=first.pk, actor=admin) == "ALREADY_DECIDED"
    assert code_of(services.spin_reward_reject, spin_id=second.pk, actor=admin, reason="x") == "ALREADY_DECIDED"
    nothing = Spin.objects.filter(status=RewardStatus.AUTO).first()
    assert code_of(services.spin_reward_approve, spin_id=nothing.pk, actor=admin) == "ALREADY_DECIDED"
    assert account().total_chips_approved == first.chips
    won = sum(s.chips for s in Spin.objects.exclude(status=RewardStatus.REJECTED))
    assert account().total_chips_won == won


def test_approve_all_pending_rewards_of_one_player(player, admin):
    wins = win_some(admin, at_least=3)
    approved = services.spin_rewards_approve_all(telegram_id=PLAYER_ID, actor=admin)
    assert sorted(spin.pk for spin in approved) == sorted(spin.pk for spin in wins)
    assert not Spin.objects.filter(status=RewardStatus.PENDING).exists()
    assert account().total_chips_approved == sum(spin.chips for spin in wins)
    assert services.spin_rewards_approve_all(telegram_id=PLAYER_ID, actor=admin) == []


# --- idempotency -------------------------------------------------------------------

def test_a_retried_create_returns_the_original_and_changes_nothing(player):
    first = deposit_for(PLAYER_ID, idempotency_key="k-1")
    again = deposit_for(PLAYER_ID, idempotency_key="k-1")
    assert again.pk == first.pk and Deposit.objects.count() == 1
    assert Event.objects.filter(kind="deposit.created").count() == 1
    assert code_of(deposit_for, PLAYER_ID, amount="501", idempotency_key="k-1") == "IDEMPOTENCY_CONFLICT"


def test_a_retried_spin_returns_the_same_outcomes(player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=10, reason="x", actor=admin)
    first = services.spins_process(telegram_id=PLAYER_ID, count=4, idempotency_key="spin-1")
    again = services.spins_process(telegram_id=PLAYER_ID, count=4, idempotency_key="spin-1")
    assert [s.pk for s in again.spins] == [s.pk for s in first.spins]
    assert (again.chips_won, again.spins_left) == (first.chips_won, first.spins_left) == (first.chips_won, 6)
    assert account().available_spins == 6
    assert code_of(services.spins_process, telegram_id=PLAYER_ID, count=5,
                   idempotency_key="spin-1") == "IDEMPOTENCY_CONFLICT"


def test_a_refused_request_does_not_burn_its_key(player):
    assert code_of(deposit_for, PLAYER_ID, method="PAYPAL", idempotency_key="k-2") == "INVALID"
    assert deposit_for(PLAYER_ID, idempotency_key="k-2").status == RequestStatus.PENDING


# --- events ------------------------------------------------------------------------

def test_every_created_or_decided_request_writes_an_event(player, admin):
    deposit = deposit_for(PLAYER_ID)
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                            account_number="77300001", pppoker_id="12345")
    services.withdrawal_reject(withdrawal_id=withdrawal.pk, actor=admin, reason="no")
    kinds = list(Event.objects.filter(telegram_id=PLAYER_ID).values_list("kind", flat=True))
    assert kinds == ["user.registered", "deposit.created", "deposit.approved", "withdrawal.created",
                     "withdrawal.rejected"]


def test_the_journal_cannot_be_rewritten_on_postgres(player, admin):
    from django.db import connection
    approved_deposit(PLAYER_ID, admin)
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        JournalEntry.objects.update(spins=1000)
