"""The ledger's services for legacy history (ledger/legacy.py), without the Sheets import around them."""
from datetime import datetime, timedelta, UTC
from decimal import Decimal

import pytest

from ledger import legacy, services
from ledger.actors import system_actor
from ledger.audit import ledger_discrepancies
from ledger.errors import DuplicatePending, Invalid
from ledger.models import (
    Deposit, Event, JournalEntry, JournalKind, Player, RequestStatus, RewardStatus, Spin, SpinAccount, Withdrawal,
)

ACTOR = system_actor("import")
TID = 5_000_000_101
T0 = datetime(2025, 11, 1, 5, 0, tzinfo=UTC)


@pytest.fixture
def veteran(methods):
    return legacy.legacy_player_create(telegram_id=TID, username="vet", first_name="Vet", pppoker_id="12345",
                                       registered_at=T0)


def deposit(player, methods, *, status=RequestStatus.APPROVED, amount="1000", ref="DEP20251101100500",
            account_name="Vet Eran", **extra):
    decided = status != RequestStatus.PENDING
    fields = {"decided_at": T0 + timedelta(hours=1) if decided else None,
              "decided_by": "@boss" if decided else "",
              "rejection_reason": "blurry slip" if status == RequestStatus.REJECTED else "", **extra}
    return legacy.legacy_deposit_create(
        player=player, method=methods["BML"], amount=Decimal(amount), account_name=account_name, proof="slip",
        pppoker_id="12345", status=status, created_at=T0, legacy_ref=ref, actor=ACTOR, note=f"legacy {ref}",
        **fields)


def withdrawal(player, methods, *, status=RequestStatus.APPROVED, amount="300", ref="WDW20251110100000"):
    decided = status != RequestStatus.PENDING
    return legacy.legacy_withdrawal_create(
        player=player, method=methods["BML"], amount=Decimal(amount), account_name="", account_number="7730001",
        pppoker_id="12345", status=status, created_at=T0, decided_at=T0 if decided else None,
        decided_by="@boss" if decided else "", legacy_ref=ref, actor=ACTOR, note=f"legacy {ref}")


def spin(player, *, chips=10, status=RewardStatus.APPROVED, at=T0, **extra):
    decided = status in (RewardStatus.APPROVED, RewardStatus.REJECTED)
    fields = {"decided_at": at if decided else None, "decided_by": "@boss" if decided else "",
              "rejection_reason": "Rejected in the legacy sheet" if status == RewardStatus.REJECTED else "", **extra}
    return legacy.legacy_spin_create(player=player, prize=f"{chips} Chips" if chips else "Try Again!", chips=chips,
                                      status=status, created_at=at, actor=ACTOR, note="legacy spin", **fields)


def account(player) -> SpinAccount:
    return SpinAccount.objects.get(player=player)


def test_player_is_created_with_an_empty_account_at_its_legacy_time(veteran):
    veteran.refresh_from_db()
    assert veteran.created_at == T0 and account(veteran).created_at == T0
    assert account(veteran).available_spins == 0
    assert Event.objects.count() == 0 and JournalEntry.objects.count() == 0
    with pytest.raises(Invalid, match="already exists"):
        legacy.legacy_player_create(telegram_id=TID)
    with pytest.raises(Invalid, match="PPPoker"):
        legacy.legacy_player_create(telegram_id=TID + 1, pppoker_id="12a")
    assert Player.objects.count() == 1


def test_opening_balance_is_journaled_once(veteran):
    last = T0 + timedelta(days=3)
    legacy.legacy_opening_balance(player=veteran, spins=4, last_spin_at=last, actor=ACTOR, note="opening")
    entry = JournalEntry.objects.get()
    assert (entry.kind, entry.spins, entry.actor, entry.note) == (JournalKind.SPINS_OPENING, 4, "system import",
                                                                  "opening")
    assert (account(veteran).available_spins, account(veteran).last_spin_at) == (4, last)
    with pytest.raises(Invalid, match="already has an opening balance"):
        legacy.legacy_opening_balance(player=veteran, spins=4, actor=ACTOR, note="opening again")
    with pytest.raises(Invalid, match="whole number"):
        legacy.legacy_opening_balance(player=veteran, spins=-2, actor=ACTOR, note="negative")
    assert account(veteran).available_spins == 4 and JournalEntry.objects.count() == 1
    assert ledger_discrepancies() == [] and Event.objects.count() == 0


def test_zero_opening_balance_writes_no_entry(veteran):
    legacy.legacy_opening_balance(player=veteran, spins=0, actor=ACTOR, note="opening")
    assert JournalEntry.objects.count() == 0 and account(veteran).available_spins == 0


def test_approved_deposit_grants_no_spins_and_fixes_the_payout_name(veteran, methods):
    row = deposit(veteran, methods, amount="1000")
    row.refresh_from_db()
    assert (row.status, row.amount_base, row.rate_to_base, row.spins_granted) == \
        ("APPROVED", Decimal("1000.00"), methods["BML"].rate_to_base, 0)
    assert row.created_at == T0 and row.decided_by == "@boss"
    entry = JournalEntry.objects.get(deposit=row)
    assert (entry.kind, entry.amount_base, entry.spins, entry.note) == \
        (JournalKind.DEPOSIT_APPROVED, Decimal("1000.00"), 0, "legacy DEP20251101100500")
    acc = account(veteran)
    assert (acc.available_spins, acc.total_deposit_base) == (0, Decimal("1000"))
    veteran.refresh_from_db()
    assert veteran.account_name == "Vet Eran"
    # A later deposit in another name neither changes the payout name nor grants spins.
    deposit(veteran, methods, amount="500", ref="DEP20251102100500", account_name="Someone Else")
    veteran.refresh_from_db()
    assert veteran.account_name == "Vet Eran" and account(veteran).available_spins == 0
    assert ledger_discrepancies() == [] and Event.objects.count() == 0


def test_pending_and_rejected_requests_have_no_entry_and_one_pending_at_a_time(veteran, methods):
    pending = deposit(veteran, methods, status=RequestStatus.PENDING, ref="DEP1")
    rejected = deposit(veteran, methods, status=RequestStatus.REJECTED, ref="DEP2")
    assert (pending.amount_base, pending.decided_at, rejected.rejection_reason) == (None, None, "blurry slip")
    assert JournalEntry.objects.count() == 0
    with pytest.raises(DuplicatePending, match=rf"player {TID} already has a pending deposit \(DEP1\)"):
        deposit(veteran, methods, status=RequestStatus.PENDING, ref="DEP3")
    withdrawal(veteran, methods, status=RequestStatus.PENDING, ref="WDW1")
    with pytest.raises(DuplicatePending, match=r"pending withdrawal \(WDW1\)"):
        withdrawal(veteran, methods, status=RequestStatus.PENDING, ref="WDW2")
    assert Deposit.objects.count() == 2 and Withdrawal.objects.count() == 1
    assert ledger_discrepancies() == [] and Event.objects.count() == 0


def test_approved_withdrawal_is_journaled_and_takes_the_payout_name(veteran, methods):
    deposit(veteran, methods)
    row = withdrawal(veteran, methods, amount="300")
    assert row.account_name == "Vet Eran" and row.amount_base == Decimal("300.00")
    entry = JournalEntry.objects.get(withdrawal=row)
    assert (entry.kind, entry.amount_base) == (JournalKind.WITHDRAWAL_APPROVED, Decimal("300.00"))
    assert account(veteran).total_withdrawn_base == Decimal("300")
    assert ledger_discrepancies() == [] and Event.objects.count() == 0


def test_legacy_spins_use_no_spins_of_the_opening_balance(veteran):
    legacy.legacy_opening_balance(player=veteran, spins=2, actor=ACTOR, note="opening")
    spin(veteran, chips=0, status=RewardStatus.AUTO)
    spin(veteran, chips=10, status=RewardStatus.APPROVED, at=T0 + timedelta(seconds=1))
    spin(veteran, chips=20, status=RewardStatus.PENDING)
    rejected = spin(veteran, chips=50, status=RewardStatus.REJECTED)
    acc = account(veteran)
    assert (acc.available_spins, acc.total_spins_used, acc.total_chips_won, acc.total_chips_approved) == (2, 4, 30, 10)
    assert acc.last_spin_at == T0 + timedelta(seconds=1)
    assert set(JournalEntry.objects.filter(kind=JournalKind.SPIN_USED).values_list("spins", flat=True)) == {0}
    assert JournalEntry.objects.get(kind=JournalKind.REWARD_REJECTED).spin == rejected
    assert JournalEntry.objects.get(kind=JournalKind.REWARD_APPROVED).chips == 10
    assert Spin.objects.get(pk=rejected.pk).created_at == T0
    assert ledger_discrepancies() == [] and Event.objects.count() == 0
    # The history stays usable live: the pending win is decided like any other.
    admin_spin = Spin.objects.get(status=RewardStatus.PENDING)
    services.spin_reward_approve(spin_id=admin_spin.pk, actor=ACTOR)
    assert ledger_discrepancies() == []


@pytest.mark.parametrize("kwargs, message", [
    ({"chips": 10, "status": RewardStatus.AUTO}, "only a spin that won nothing is AUTO"),
    ({"chips": 0, "status": RewardStatus.PENDING}, "only a spin that won nothing is AUTO"),
    ({"chips": -1, "status": RewardStatus.AUTO}, "whole number"),
    ({"chips": 10, "status": RewardStatus.APPROVED, "decided_by": ""}, "decided_at and decided_by"),
    ({"chips": 10, "status": RewardStatus.REJECTED, "rejection_reason": ""}, "rejection reason"),
    ({"chips": 10, "status": RewardStatus.PENDING, "decided_by": "@boss"}, "undecided"),
])
def test_bad_spins_are_refused_and_change_nothing(veteran, kwargs, message):
    with pytest.raises(Invalid, match=message):
        spin(veteran, **kwargs)
    assert Spin.objects.count() == 0 and JournalEntry.objects.count() == 0
    assert account(veteran).total_spins_used == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"amount": "-5"}, "not greater than zero"),
    ({"amount": "1.005"}, "two decimals"),
    ({"status": "CANCELLED"}, "status 'CANCELLED'"),
    ({"ref": ""}, "legacy_ref is required"),
    ({"status": RequestStatus.APPROVED, "decided_at": None}, "decided_at and decided_by"),
    ({"status": RequestStatus.APPROVED, "rejection_reason": "why"}, "rejection reason"),
])
def test_bad_deposits_are_refused_and_change_nothing(veteran, methods, kwargs, message):
    with pytest.raises(Invalid, match=message):
        deposit(veteran, methods, **kwargs)
    assert Deposit.objects.count() == 0 and JournalEntry.objects.count() == 0
    assert account(veteran).total_deposit_base == 0


def test_ledger_imports_nothing_from_sync():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(legacy))
    modules = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [name for name in modules if name == "sync" or name.startswith("sync.")]
