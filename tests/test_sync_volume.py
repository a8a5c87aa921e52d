"""10,000 changed rows per sheet in one cycle, within the call budget; prints the calls per sheet."""
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from ledger.models import Credit, Deposit, PaymentMethod, Player, SeatRequest, Spin, SpinAccount, Withdrawal
from sync.layout import (
    DEPOSITS, SEAT_REQUESTS, SHEET_ORDER, SPIN_HISTORY, SPIN_USERS, USER_CREDITS, USERS, WITHDRAWALS,
)
from sync.mirror import sync_cycle
from tests.test_sync_mirror import (  # noqa: F401  (fixtures)
    assert_mirrors_db, assert_within_budget, calls_per_sheet, fake, sheets_server,
)

N = 10_000
FIRST_ID = 6_000_000_000
BUILT = (USERS, DEPOSITS, WITHDRAWALS, SPIN_USERS, SPIN_HISTORY, SEAT_REQUESTS, USER_CREDITS)  # what this club fills


def _build_club():
    bml = PaymentMethod.objects.get(code="BML")
    now = timezone.now()
    Player.objects.bulk_create([
        Player(telegram_id=FIRST_ID + n, username=f"player{n}", first_name=f"First{n}", pppoker_id=f"{100000 + n}",
               account_name=f"Holder {n}") for n in range(N)], batch_size=2000)
    players = list(Player.objects.order_by("id"))
    SpinAccount.objects.bulk_create([SpinAccount(player=p, available_spins=3) for p in players], batch_size=2000)
    Deposit.objects.bulk_create([
        Deposit(player=p, method=bml, amount=Decimal("500"), currency="MVR", account_name=p.account_name,
                proof=f"AgACAgUAAx{p.pk:08d}", pppoker_id=p.pppoker_id, created_at=now) for p in players],
        batch_size=2000)
    Withdrawal.objects.bulk_create([
        Withdrawal(player=p, method=bml, amount=Decimal("300"), currency="MVR", rate_to_base=1,
                   amount_base=Decimal("300"), account_name=p.account_name, account_number=f"77{p.pk:08d}",
                   pppoker_id=p.pppoker_id, created_at=now) for p in players], batch_size=2000)
    Spin.objects.bulk_create([Spin(player=p, prize="10 Chips", chips=10, status="PENDING", created_at=now)
                              for p in players], batch_size=2000)
    SeatRequest.objects.bulk_create([
        SeatRequest(player=p, amount=Decimal("1000"), pppoker_id=p.pppoker_id, status="APPROVED", decided_at=now,
                    decided_by="@boss (7000000001)", created_at=now) for p in players], batch_size=2000)
    Credit.objects.bulk_create([Credit(player_id=seat.player_id, seat_request=seat, amount=seat.amount)
                                for seat in SeatRequest.objects.order_by("id")], batch_size=2000)


def _decide_everything():
    """One burst: every request decided, every account and player changed."""
    now = timezone.now()
    decided = {"status": "APPROVED", "decided_at": now, "decided_by": "@boss (7000000001)",
               "version": F("version") + 1}
    Deposit.objects.update(**decided, rate_to_base=1, amount_base=F("amount"))
    Withdrawal.objects.update(**decided)
    Spin.objects.update(**decided)
    Credit.objects.update(reminders_sent=1, version=F("version") + 1)
    SeatRequest.objects.update(decided_by="@deputy (7000000002)", version=F("version") + 1)
    SpinAccount.objects.update(available_spins=F("available_spins") + 1, version=F("version") + 1)
    Player.objects.update(first_name="Renamed", version=F("version") + 1)


def _print_calls(fake, capsys, label):
    lines = [f"{label}: API calls per sheet"]
    for title in SHEET_ORDER:
        counts = calls_per_sheet(fake, title)
        lines.append(f"  {title:<21} " + ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items())))
    spreadsheet_level = {kind: fake.count(kind=kind) for kind in ("spreadsheets.get", "spreadsheets.batchUpdate")}
    lines.append("  spreadsheet           " + ", ".join(f"{kind} {count}" for kind, count in spreadsheet_level.items()))
    lines.append(f"  total {len(fake.calls)} requests, largest body {fake.max_body_bytes:,} bytes")
    # Past pytest's capture, so the numbers are in the CI log even when the test passes.
    with capsys.disabled():
        print("\n" + "\n".join(lines))


@pytest.mark.slow
def test_ten_thousand_rows_per_sheet_in_one_cycle(fake, methods, capsys):
    _build_club()

    first = sync_cycle()
    _print_calls(fake, capsys, f"First sync, {N:,} new rows per sheet")
    assert not first.more and not first.errors
    assert all(first.sheets[title].appended == N for title in BUILT)
    assert_within_budget(fake)
    assert all(calls_per_sheet(fake, title).get("values.append") == 1 for title in BUILT)

    _decide_everything()
    fake.reset_calls()
    second = sync_cycle()
    _print_calls(fake, capsys, f"{N:,} changed rows per sheet")
    assert not second.more and not second.errors
    assert all(second.sheets[title].updated == N for title in BUILT)
    assert_within_budget(fake)
    for title in BUILT:
        assert calls_per_sheet(fake, title) == {"values.batchGet": 1, "values.batchUpdate": 1}

    assert_mirrors_db(fake)
