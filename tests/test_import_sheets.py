"""The one-time import of the legacy spreadsheet, through real gspread against the Sheets fake."""
from datetime import datetime, UTC
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ledger import services
from ledger.audit import ledger_discrepancies
from ledger.models import (
    Bonus, CashbackClaim, Credit, Deposit, Event, JoinRequest, JournalEntry, JournalKind, Player, Promotion,
    PromotionKind, SeatRequest, Spin, SpinAccount, Withdrawal,
)
from sync import selectors
from sync.layout import (
    CASHBACK_HISTORY, CASHBACK_PROMOTIONS, DEPOSITS, JOIN_REQUESTS, LAYOUTS, PROMOTION_ELIGIBILITY, PROMOTIONS,
    SEAT_REQUESTS, SHEET_ORDER, SPIN_HISTORY, SPIN_USERS, USER_CREDITS, USERS, WITHDRAWALS, sheet_row_key,
)
from sync.mirror import sync_cycle
from sync.models import ImportedRow
from tests.test_sync_mirror import SID, data_rows, fake, sheets_server  # noqa: F401

ALI, BOB, CY, DEE = 5_000_000_001, 5_000_000_002, 5_000_000_003, 5_000_000_004


def legacy_book(fake):
    """The admins' spreadsheet before the backend, with the odd rows real sheets collect."""
    header = {title: list(LAYOUTS[title].columns) for title in SHEET_ORDER}
    fake.add_sheet(SID, USERS, rows=[
        header[USERS],
        [ALI, "ali", "Ali", "Ahmed", "12345", "2025-11-01 10:00:00", "Active", "Ali Ahmed"],
        [],
        [BOB, "@bob", "Bob", "", "23456", "2025-11-02 11:00:00", "Active", ""],
        [CY, "cy", "Cy", "", "34567", "2025-11-03 12:00:00", "Blocked", "Cy Zahir"],
        [ALI, "ali", "Ali", "Again", "12345", "2025-11-04 10:00:00", "Active", ""],
        ["abc", "nobody"],
    ])
    fake.add_sheet(SID, SPIN_USERS, rows=[
        header[SPIN_USERS],
        [ALI, "ali", "4", "3", "10", "2,500", "2025-11-01 10:00:00", "2025-11-20 09:00:00", "12345"],
        [BOB, "bob", "0", "2", "20", "1,000", "2025-11-02 11:00:00", "2025-11-21 09:00:01", "23456"],
        [DEE, "dee", "7", "0", "0", "0", "2025-11-05 08:00:00", "", "45678"],
        [CY, "cy", "-2"],
    ])
    fake.add_sheet(SID, DEPOSITS, rows=[
        header[DEPOSITS],
        ["DEP20251101100500", ALI, "ali", "12345", "2,500", "BML", "Ali Ahmed", "AgACslip1", "Approved",
         "2025-11-01 10:05:00", "2025-11-01 10:30:00", "@boss", ""],
        ["DEP20251102110500", BOB, "bob", "23456", "1,000.00", "MIB", "Bob Hassan", "AgACslip2", "Completed",
         "2025-11-02 11:05:00", "2025-11-02 12:00:00", "@boss", "checked"],
        ["DEP20251102110500", ALI, "ali", "12345", "300", "USD", "Ali Ahmed", "TXID300", "Pending",
         "2025-11-02 11:05:00", "", "", ""],
        ["DEP20251102110500", BOB, "bob", "23456", "1,000.00", "MIB", "Bob Hassan", "AgACslip2", "Completed",
         "2025-11-02 11:05:00", "2025-11-02 12:00:00", "@boss", "pasted twice"],
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["DEP20251103090000", ALI, "ali", "12345", "500", "BML", "Ali Ahmed", "AgACslip3", "Pending",
         "2025-11-03 09:00:00", "", "", ""],
        ["DEP20251104090000", CY, "cy", "34567", "abc", "BML", "Cy Zahir", "slip", "Pending",
         "2025-11-04 09:00:00", "", "", ""],
        ["DEP20251104100000", CY, "cy", "34567", "700", "PayPal", "Cy Zahir", "slip", "Pending",
         "2025-11-04 10:00:00", "", "", ""],
        ["DEP20251104110000", 5_000_000_009, "ghost", "999", "700", "BML", "Ghost", "slip", "Pending",
         "2025-11-04 11:00:00", "", "", ""],
        ["DEP20251105120000", CY, "cy", "34567", "800", "bml", "Cy Zahir", "slip", "Rejected",
         "", "2025-11-05 13:00:00", "@boss", "blurry slip"],
        ["D77", CY, "cy", "34567", "800", "BML", "Cy Zahir", "slip", "Pending", "2025-11-06 10:00:00"],
    ])
    fake.add_sheet(SID, WITHDRAWALS, rows=[
        header[WITHDRAWALS],
        ["WDW20251110100000", ALI, "ali", "12345", "1,200", "BML", "Ali Ahmed", "7730001", "Completed",
         "2025-11-10 10:00:00", "2025-11-10 11:00:00", "@boss", ""],
        ["WDW20251111100000", BOB, "bob", "23456", "300", "BML", "Bob Hassan", "7730002", "Pending",
         "2025-11-11 10:00:00", "", "", ""],
        ["WDW20251112100000", CY, "cy", "34567", "250", "BML", "Cy Zahir", "7730003", "Cancelled",
         "2025-11-12 10:00:00", "", "", ""],
    ])
    fake.add_sheet(SID, SPIN_HISTORY, col_count=9, rows=[
        header[SPIN_HISTORY][:9],
        [ALI, "ali", "Try Again!", "0", "2025-11-20 09:00:00", "12345", "Auto", "", ""],
        [ALI, "ali", "Try Again!", "0", "2025-11-20 09:00:00", "12345", "Auto", "", ""],
        [ALI, "ali", "10 Chips", "10", "2025-11-20 09:00:00", "12345", "Approved", "@boss", "2025-11-20 10:00:00"],
        [BOB, "bob", "20 Chips", "20", "2025-11-21 09:00:00", "23456", "Pending", "", ""],
        [BOB, "bob", "50 Chips", "50", "2025-11-21 09:00:01", "23456", "Rejected", "@boss", "2025-11-21 10:00:00"],
        [],
        [BOB, "bob", "10 Chips", "10", "yesterday", "23456", "Pending", "", ""],
        [CY, "cy", "10 Chips", "10", "2025-11-22 09:00:00", "34567", "Auto", "", ""],
    ])
    fake.add_sheet(SID, SEAT_REQUESTS, rows=[
        header[SEAT_REQUESTS],
        ["SEAT20251115200000", ALI, "ali", "12345", "1,000", "BML", "AgACseatslip", "Settled", "2025-11-15 20:00:00",
         "2025-11-15 20:01:00", "2025-11-15 21:00:00", "@boss", "No", ""],
        ["SEAT20251116200000", BOB, "bob", "23456", "500", "", "", "Approved", "2025-11-16 20:00:00",
         "2025-11-16 20:01:00", "", "@boss", "Yes", "regular"],
        ["SEAT20251117200000", CY, "cy", "34567", "300", "", "", "Expired", "2025-11-17 20:00:00", "", "", "system",
         "No", ""],
        ["SEAT20251118200000", CY, "cy", "34567", "MVR 250", "", "", "Pending", "2025-11-18 20:00:00", "", "", "",
         "No", ""],
        ["SEAT20251119200000", CY, "cy", "34567", "0", "", "", "Pending", "2025-11-19 20:00:00", "", "", "", "No", ""],
        ["SR999", ALI, "ali", "12345", "100", "", "", "Pending", "2025-11-19 21:00:00", "", "", "", "No", ""],
    ])
    fake.add_sheet(SID, USER_CREDITS, rows=[
        header[USER_CREDITS],
        [ALI, "ali", "12345", "1,000", "SEAT20251115200000", "2025-11-15 20:01:00", "2", "Settled"],
        [BOB, "bob", "23456", "500", "SEAT20251116200000", "2025-11-16 20:01:00", "1", "Open"],
        [DEE, "dee", "45678", "200", "SEAT20251120200000", "2025-11-20 20:01:00", "0", "Open"],
        [CY, "cy", "34567", "300", "SEAT20251117200000", "2025-11-17 20:01:00", "0", "Open"],
        [BOB, "bob", "23456", "100", "SEAT20251121200000", "2025-11-21 20:01:00", "0", "Open"],
        [ALI, "ali", "12345", "50", "", "2025-11-22 20:00:00", "0", "Open"],
    ])
    fake.add_sheet(SID, PROMOTIONS, rows=[
        header[PROMOTIONS],
        ["PROMO001", "10%", "2025-11-01", "2025-11-30", "Inactive", "@boss", "2025-11-01 09:00:00"],
        ["PROMO002", "15", "2025-11-15", "2025-12-15", "Active", "@boss", "2025-11-15 09:00:00"],
        ["PROMO003", "20", "2025-12-01", "2025-12-31", "Active", "@boss", "2025-12-01 09:00:00"],
        ["PROMO004", "lots", "2026-01-01", "2026-01-31", "Active", "@boss", ""],
        ["P99", "5", "2026-02-01", "2026-02-28", "Active", "@boss", ""],
    ])
    fake.add_sheet(SID, CASHBACK_PROMOTIONS, rows=[
        header[CASHBACK_PROMOTIONS],
        ["CB001", "5", "2025-11-01", "2025-11-30", "Active", "@boss", "2025-11-01 09:00:00"],
        ["CB002", "5", "2025/12/01", "someday", "Active", "@boss", ""],
    ])
    fake.add_sheet(SID, PROMOTION_ELIGIBILITY, rows=[
        header[PROMOTION_ELIGIBILITY],
        [ALI, "12345", "PROMO001", "DEP20251101100500", "2500", "250", "2025-11-01 10:31:00", ""],
        [BOB, "23456", "PROMO002", "DEP20251102110500", "1000", "150", "2025-11-02 12:01:00", "loaded"],
        [ALI, "12345", "PROMO002", "DEP20251102110500", "300", "45", "", ""],
        [CY, "34567", "PROMO009", "DEP20251105120000", "800", "80", "", ""],
    ])
    fake.add_sheet(SID, CASHBACK_HISTORY, rows=[
        header[CASHBACK_HISTORY],
        ["CBR20251120100000", ALI, "ali", "12345", "2500", "5%", "125", "CB001", "Approved", "2025-11-20 10:00:00",
         "@boss", "2025-11-20 11:00:00"],
        ["CBR20251121100000", BOB, "bob", "23456", "-300", "5", "-15", "CB001", "Pending", "2025-11-21 10:00:00",
         "", ""],
        ["CBR20251122100000", ALI, "ali", "12345", "900", "5", "45", "CB001", "Approved", "2025-11-22 10:00:00",
         "@boss", "2025-11-22 11:00:00"],
        ["CBR20251123100000", BOB, "bob", "23456", "1000", "5", "50", "CB001", "Rejected", "2025-11-23 10:00:00",
         "@boss", "2025-11-23 11:00:00"],
    ])
    fake.add_sheet(SID, JOIN_REQUESTS, rows=[
        header[JOIN_REQUESTS],
        ["JR20251101090000", DEE, "dee", "Dee", "", "45678", "Approved", "2025-11-01 09:00:00",
         "2025-11-01 09:30:00", "@boss"],
        ["JR20251102090000", CY, "cy", "Cy", "", "34567", "Pending", "2025-11-02 09:00:00", "", ""],
        ["JR20251103090000", CY, "cy", "Cy", "", "34567", "Pending", "2025-11-03 09:00:00", "", ""],
        ["", BOB, "bob", "Bob", "", "23456", "Pending", "2025-11-04 09:00:00", "", ""],
    ])


@pytest.fixture
def legacy(fake, methods, settings):
    settings.TIME_ZONE = "Indian/Maldives"
    legacy_book(fake)
    fake.reset_calls()
    return fake


def run_import(*args) -> None:
    call_command("import_sheets", *args)


def ledger_snapshot():
    return {model.__name__: sorted(model.objects.values_list("id", "version") if hasattr(model, "version")
                                   else model.objects.values_list("id", flat=True))
            for model in (Player, SpinAccount, Deposit, Withdrawal, Spin, JournalEntry, ImportedRow, Promotion,
                          Bonus, CashbackClaim, JoinRequest)}


def writes(fake) -> int:
    return sum(fake.count(kind=kind) for kind in ("values.batchUpdate", "values.append", "values.update",
                                                   "spreadsheets.batchUpdate"))


EXPECTED_REFUSALS = {
    (USERS, 6): "duplicate of row 2 (same User ID)",
    (USERS, 7): "User ID 'abc' is not a Telegram id",
    (SPIN_USERS, 5): "Available Spins '-2' is not a whole number",
    (DEPOSITS, 5): "duplicate of row 3 (same Request ID and User ID)",
    (DEPOSITS, 7): "already has a pending deposit (DEP20251102110500)",
    (DEPOSITS, 8): "amount 'abc' is not a number",
    (DEPOSITS, 9): "payment method 'PayPal' is not one of",
    (DEPOSITS, 10): "User ID 5000000009 is in neither Users nor Spin Users",
    (DEPOSITS, 12): "Request ID D77 looks like a backend id",
    (WITHDRAWALS, 4): "status 'Cancelled' is not Pending, Approved, Completed or Rejected",
    (SPIN_HISTORY, 8): "Timestamp 'yesterday' is not a YYYY-MM-DD HH:MM:SS time",
    (SPIN_HISTORY, 9): "a win of 10 chips needs status Pending, Approved or Rejected",
    (SEAT_REQUESTS, 6): "is not greater than zero",
    (SEAT_REQUESTS, 7): "Request ID SR999 looks like a backend id",
    (USER_CREDITS, 5): "seat request SEAT20251117200000 is rejected, not approved",
    (USER_CREDITS, 6): "player 5000000002 already has an open credit (SEAT20251116200000)",
    (USER_CREDITS, 7): "no Seat Request ID",
    (PROMOTIONS, 4): "shares days with promotion PROMO002",
    (PROMOTIONS, 5): "percentage: The percentage 'lots' is not a number",
    (PROMOTIONS, 6): "P99 looks like a backend id but there is no such row",
    (CASHBACK_PROMOTIONS, 3): "End Date 'someday' is not a YYYY-MM-DD date",
    (PROMOTION_ELIGIBILITY, 4): "deposit DEP20251102110500 is pending, not approved: no bonus",
    (PROMOTION_ELIGIBILITY, 5): "Promotion ID 'PROMO009' is no deposit bonus promotion of the sheets",
    (CASHBACK_HISTORY, 3): "Loss Amount '-300' is not a number",
    (CASHBACK_HISTORY, 4): "player 5000000001 was already paid recovery in this promotion",
    (JOIN_REQUESTS, 4): "already has a pending join request (JR20251102090000)",
    (JOIN_REQUESTS, 5): "no Request ID",
}


def assert_refusals(output: str):
    lines = [line.strip() for line in output.splitlines()]
    for (title, row), reason in EXPECTED_REFUSALS.items():
        assert any(line.startswith(f"{title} row {row}: ") and reason in line for line in lines), (title, row)
    assert sum(" row " in line and ": " in line for line in lines if line.split(" row ")[0] in SHEET_ORDER) \
        == len(EXPECTED_REFUSALS)


def test_import_of_a_legacy_sheet_with_odd_rows(legacy, capsys):
    run_import()
    out = capsys.readouterr().out

    assert "Users: 3 imported, 0 already present, 2 refused, 1 blank rows skipped" in out
    assert "Spin Users: 3 imported, 0 already present, 1 refused" in out
    assert "Deposits: 4 imported, 0 already present, 6 refused, 1 blank rows skipped" in out
    assert "Withdrawals: 2 imported, 0 already present, 1 refused" in out
    assert "Spin History: 5 imported, 0 already present, 2 refused, 1 blank rows skipped" in out
    assert "Promotions: 2 imported, 0 already present, 3 refused" in out
    assert "Cashback Promotions: 1 imported, 0 already present, 1 refused" in out
    assert "Promotion Eligibility: 2 imported, 0 already present, 2 refused" in out
    assert "Cashback History: 2 imported, 0 already present, 2 refused" in out
    assert "Join Requests: 2 imported, 0 already present, 2 refused" in out
    assert_refusals(out)
    assert ledger_discrepancies() == []
    call_command("check_ledger")

    players = {p.telegram_id: p for p in Player.objects.select_related("spin_account")}
    assert set(players) == {ALI, BOB, CY, DEE}  # Dee only had a Spin Users row
    assert players[BOB].username == "bob" and players[BOB].account_name == "Bob Hassan"
    assert players[ALI].created_at == datetime(2025, 11, 1, 5, 0, tzinfo=UTC)  # UTC+5 -> UTC

    ali, bob, dee = players[ALI].spin_account, players[BOB].spin_account, players[DEE].spin_account
    assert (ali.available_spins, ali.total_spins_used, ali.total_chips_won, ali.total_chips_approved) == (4, 3, 10, 10)
    assert (bob.available_spins, bob.total_spins_used, bob.total_chips_won, bob.total_chips_approved) == (0, 2, 20, 0)
    assert dee.available_spins == 7
    assert ali.total_deposit_base == Decimal("2500") and ali.total_withdrawn_base == Decimal("1200")

    deposits = {(d.legacy_ref, d.player.telegram_id): d for d in Deposit.objects.select_related("player")}
    assert set(deposits) == {("DEP20251101100500", ALI), ("DEP20251102110500", BOB),
                             ("DEP20251102110500", ALI), ("DEP20251105120000", CY)}
    bob_deposit = deposits["DEP20251102110500", BOB]
    assert (bob_deposit.status, bob_deposit.amount, bob_deposit.amount_base, bob_deposit.spins_granted) == \
        ("APPROVED", Decimal("1000"), Decimal("1000"), 0)  # Completed -> Approved, no spins granted again
    assert bob_deposit.created_at == datetime(2025, 11, 2, 6, 5, tzinfo=UTC)
    assert deposits["DEP20251102110500", ALI].status == "PENDING"
    cy_deposit = deposits["DEP20251105120000", CY]
    assert (cy_deposit.status, cy_deposit.rejection_reason) == ("REJECTED", "blurry slip")
    # No Requested At: the time is read from the legacy id.
    assert cy_deposit.created_at == datetime(2025, 11, 5, 7, 0, tzinfo=UTC)

    assert Withdrawal.objects.get(legacy_ref="WDW20251110100000").status == "APPROVED"
    assert not JournalEntry.objects.filter(kind=JournalKind.SPINS_GRANTED).exists()
    assert set(JournalEntry.objects.filter(kind=JournalKind.SPINS_OPENING).values_list("spins", flat=True)) == {4, 7}
    assert Event.objects.count() == 0  # the bot must not announce history

    promotions = {p.legacy_ref: p for p in Promotion.objects.all()}
    assert set(promotions) == {"PROMO001", "PROMO002", "CB001"}
    assert promotions["PROMO001"].ended_by == "legacy sheet" and promotions["PROMO002"].ended_at is None
    assert (promotions["PROMO002"].percentage, promotions["PROMO002"].starts_on.isoformat()) == (
        Decimal("15.00"), "2025-11-15")
    assert promotions["CB001"].kind == PromotionKind.CASHBACK
    bonuses = {b.player.telegram_id: b for b in Bonus.objects.select_related("player", "deposit", "promotion")}
    assert (bonuses[ALI].amount, bonuses[ALI].promotion.legacy_ref) == (Decimal("250"), "PROMO001")
    assert bonuses[BOB].deposit.legacy_ref == "DEP20251102110500"
    assert bonuses[BOB].created_at == datetime(2025, 11, 2, 7, 1, tzinfo=UTC)
    claims = {c.legacy_ref: c for c in CashbackClaim.objects.all()}
    assert (claims["CBR20251120100000"].status, claims["CBR20251120100000"].deposits_base,
            claims["CBR20251120100000"].amount) == ("APPROVED", Decimal("2500"), Decimal("125"))
    assert claims["CBR20251123100000"].status == "REJECTED"
    assert JournalEntry.objects.get(kind=JournalKind.CASHBACK_APPROVED).amount_base == Decimal("125")
    assert sorted(JournalEntry.objects.filter(kind=JournalKind.BONUS_GRANTED).values_list(
        "amount_base", flat=True)) == [Decimal("150"), Decimal("250")]
    joins = {j.legacy_ref: j for j in JoinRequest.objects.select_related("player")}
    assert (joins["JR20251101090000"].status, joins["JR20251101090000"].player.telegram_id) == ("APPROVED", DEE)
    assert joins["JR20251102090000"].status == "PENDING"

    # Spin History gets its Spin ID column, on the imported rows only.
    rows = legacy.values(SID, SPIN_HISTORY)
    assert rows[0][9] == "Spin ID"
    spin_ids = [row[9] if len(row) > 9 else "" for row in rows[1:]]
    assert spin_ids[:5] == [f"S{pk}" for pk in Spin.objects.order_by("id").values_list("id", flat=True)]
    assert spin_ids[5:] == ["", "", ""]


def test_import_twice_changes_nothing(legacy, capsys):
    run_import()
    first = capsys.readouterr().out
    before, sheet_before = ledger_snapshot(), {t: legacy.values(SID, t) for t in SHEET_ORDER}
    legacy.reset_calls()

    run_import()
    second = capsys.readouterr().out

    assert ledger_snapshot() == before
    assert {t: legacy.values(SID, t) for t in SHEET_ORDER} == sheet_before
    assert writes(legacy) == 0
    assert "Users: 0 imported, 3 already present, 2 refused" in second
    assert "Spin History: 0 imported, 5 already present, 2 refused" in second
    assert "Deposits: 0 imported, 4 already present, 6 refused" in second
    assert_refusals(second)
    assert first.count("Refused rows:") == second.count("Refused rows:") == 1


def test_dry_run_writes_nothing_and_reports_the_same(legacy, capsys):
    run_import("--dry-run")
    dry = capsys.readouterr().out
    assert dry.startswith("Dry run: nothing was written.")
    assert Player.objects.count() == 0 and JournalEntry.objects.count() == 0 and ImportedRow.objects.count() == 0
    assert writes(legacy) == 0

    run_import()
    real = capsys.readouterr().out
    assert dry.splitlines()[1:] == [line for line in real.splitlines()[1:]
                                   if not line.startswith(("  Spin History: Spin ID", "The mirror"))]


def test_mirror_after_import_updates_legacy_rows_in_place(legacy, admin):
    run_import()
    counts = {title: len(data_rows(legacy, title)) for title in SHEET_ORDER}

    sync_cycle()

    # Rows for Users / Spin Users rewritten in place, one appended for Dee (no Users row before).
    assert len(data_rows(legacy, USERS)) == counts[USERS] + 1
    for title in (DEPOSITS, WITHDRAWALS, SPIN_USERS, SPIN_HISTORY, PROMOTIONS, CASHBACK_PROMOTIONS,
                  PROMOTION_ELIGIBILITY, CASHBACK_HISTORY, JOIN_REQUESTS):
        assert len(data_rows(legacy, title)) == counts[title], title
    users = {row[0]: row for row in data_rows(legacy, USERS) if row}
    assert users[str(CY)][6] == "Blocked"  # the backend has no user status: the admins' word stays
    assert users[str(BOB)][7] == "Bob Hassan"
    spin_users = {row[0]: row for row in data_rows(legacy, SPIN_USERS)}
    assert spin_users[str(ALI)][:6] == [str(ALI), "ali", "4", "3", "10", "2500"]
    # Imported history rows are left exactly as the admins know them until they change.
    assert data_rows(legacy, DEPOSITS)[1][4] == "1,000.00" and data_rows(legacy, DEPOSITS)[1][8] == "Completed"

    pending = Deposit.objects.get(legacy_ref="DEP20251102110500", player__telegram_id=ALI)
    services.deposit_approve(deposit_id=pending.pk, actor=admin)
    bob_spin = Spin.objects.get(player__telegram_id=BOB, status="PENDING")
    services.spin_reward_approve(spin_id=bob_spin.pk, actor=admin)
    legacy.reset_calls()
    sync_cycle()

    deposits = data_rows(legacy, DEPOSITS)
    assert len(deposits) == counts[DEPOSITS]  # found by legacy id + user, not appended
    by_row = {(row[0], row[1]): row for row in deposits if len(row) > 1}
    assert by_row["DEP20251102110500", str(ALI)][8] == "Approved"
    assert by_row["DEP20251102110500", str(BOB)][8] == "Completed"  # same legacy id, other user: untouched
    assert deposits[3][12] == "pasted twice"
    spins = data_rows(legacy, SPIN_HISTORY)
    assert len(spins) == counts[SPIN_HISTORY]
    assert next(row for row in spins if len(row) > 9 and row[9] == f"S{bob_spin.pk}")[6] == "Approved"
    assert legacy.count(kind="values.append") == 0
    assert ledger_discrepancies() == []


def test_import_after_the_mirror_ran_changes_nothing(legacy, capsys):
    run_import()
    sync_cycle()
    services.spins_process(telegram_id=ALI, count=2)
    sync_cycle()  # appends S.. rows the import has never seen
    capsys.readouterr()
    before = ledger_snapshot()

    run_import()

    assert ledger_snapshot() == before
    assert "Spin History: 0 imported, 7 already present" in capsys.readouterr().out


def test_every_object_is_mirrored_once_after_import_and_full_rewrite(legacy):
    run_import()
    call_command("sync_sheets", "--full")
    for title in SHEET_ORDER:
        sheet_layout = LAYOUTS[title]
        first, last = sheet_layout.key_columns[0], sheet_layout.key_columns[-1]
        keys = [sheet_row_key(sheet_layout, row[first:last + 1]) for row in data_rows(legacy, title)]
        source = selectors.SOURCES[title]
        for row in source.queryset().values(*source.fields):
            key = source.key(row)
            # Only rows an admin had pasted twice share their key; nothing was appended twice.
            pasted_twice = (title, key) in ((DEPOSITS, f"DEP20251102110500|{BOB}"), (USERS, str(ALI)))
            assert keys.count(key) == (2 if pasted_twice else 1), (title, key)
    bob_rows = [row for row in data_rows(legacy, DEPOSITS) if row[:2] == ["DEP20251102110500", str(BOB)]]
    assert [row[8] for row in bob_rows] == ["Approved", "Approved"]  # --full writes Approved for Completed
    assert [row[12] for row in bob_rows] == ["checked", "pasted twice"]  # admins' notes kept
    assert ledger_discrepancies() == []


def test_tab_with_a_foreign_header_is_not_imported(fake, methods, capsys):
    fake.add_sheet(SID, USERS, rows=[["Telegram", "Name"], [ALI, "ali"]])
    run_import()
    out = capsys.readouterr().out
    assert "Users: not imported: the header row does not match the legacy layout (A1 is 'Telegram'" in out
    assert "Deposits: not imported: the tab does not exist" in out
    assert Player.objects.count() == 0


def test_import_needs_the_sheets_configured(settings):
    settings.SPREADSHEET_ID = settings.SHEETS_API_BASE_URL = settings.GOOGLE_SHEETS_CREDENTIALS_FILE = ""
    with pytest.raises(CommandError, match="mirror is off"):
        run_import()


def test_spin_ids_not_written_are_finished_by_the_next_run(legacy, capsys):
    legacy.fail_when(lambda call: call.kind == "values.batchUpdate", status=403, times=1)
    with pytest.raises(CommandError, match="Spin IDs could not be written"):
        run_import()
    assert Spin.objects.count() == 5
    assert all(len(row) <= 9 or not row[9] for row in data_rows(legacy, SPIN_HISTORY))

    run_import()

    assert "Spin History: 0 imported, 5 already present" in capsys.readouterr().out
    assert Spin.objects.count() == 5
    ids = [row[9] for row in data_rows(legacy, SPIN_HISTORY) if len(row) > 9 and row[9]]
    assert sorted(ids) == sorted(f"S{pk}" for pk in Spin.objects.values_list("id", flat=True))


def test_a_header_with_a_blank_legacy_column_or_a_foreign_column_j_is_not_imported(fake, methods, capsys):
    users = list(LAYOUTS[USERS].columns)
    users[6] = ""
    fake.add_sheet(SID, USERS, rows=[users, [ALI, "ali"]])
    fake.add_sheet(SID, SPIN_HISTORY, rows=[list(LAYOUTS[SPIN_HISTORY].columns[:9]) + ["Comment"]])
    run_import()
    out = capsys.readouterr().out
    assert "Users: not imported: the header row does not match the legacy layout (G1 is '', expected 'Status')" in out
    assert "Spin History: not imported: the header row does not match the legacy layout " \
           "(J1 is 'Comment', expected 'Spin ID')" in out
    assert Player.objects.count() == 0


# --- seats on credit --------------------------------------------------------------------------

def test_open_legacy_credits_become_open_credits_journaled_and_closed_ones_stay_in_the_sheet(legacy, capsys):
    run_import()
    out = capsys.readouterr().out

    assert "Seat Requests: 4 imported, 0 already present, 2 refused, 0 blank rows skipped" in out
    assert "User Credits: 2 imported, 0 already present, 3 refused, 0 blank rows skipped, " \
           "1 settled or cleared (nothing owed) left in the sheet" in out
    seats = {(s.legacy_ref, s.player.telegram_id): s for s in SeatRequest.objects.select_related("player")}
    assert {key: seat.status for key, seat in seats.items()} == {
        ("SEAT20251115200000", ALI): "APPROVED", ("SEAT20251116200000", BOB): "APPROVED",
        ("SEAT20251117200000", CY): "REJECTED", ("SEAT20251118200000", CY): "PENDING",
        ("SEAT20251120200000", DEE): "APPROVED"}  # Dee's seat is known only from her credit row
    expired = seats["SEAT20251117200000", CY]
    assert (expired.rejection_reason, expired.decided_by) == ("expired", "system")
    assert seats["SEAT20251118200000", CY].amount == Decimal("250")
    assert seats["SEAT20251116200000", BOB].created_at == datetime(2025, 11, 16, 15, 0, tzinfo=UTC)

    credits = {c.player.telegram_id: c for c in Credit.objects.select_related("player", "seat_request")}
    assert set(credits) == {BOB, DEE}
    bob, dee = credits[BOB], credits[DEE]
    assert (bob.status, bob.amount, bob.reminders_sent, bob.seat_request) == (
        "OPEN", Decimal("500"), 1, seats["SEAT20251116200000", BOB])
    assert bob.created_at == datetime(2025, 11, 16, 15, 1, tzinfo=UTC)
    assert (dee.amount, dee.seat_request.decided_by) == (Decimal("200"), "legacy sheet")
    opened = JournalEntry.objects.filter(kind=JournalKind.CREDIT_OPENED).order_by("id")
    assert [(entry.credit_id, entry.amount_base) for entry in opened] == [(bob.pk, Decimal("500")),
                                                                          (dee.pk, Decimal("200"))]
    assert Event.objects.count() == 0
    assert ledger_discrepancies() == []
    call_command("check_ledger")

    # A second run takes nothing in twice, even after the mirror appended Dee's seat to Seat Requests.
    sync_cycle()
    appended = [row for row in data_rows(legacy, SEAT_REQUESTS) if row[0] == "SEAT20251120200000"]
    assert len(appended) == 1 and appended[0][1:5] == [str(DEE), "dee", "45678", "200"] and appended[0][12] == "Yes"
    before = (sorted(SeatRequest.objects.values_list("id", "version")), sorted(Credit.objects.values_list("id")))
    run_import()
    again = capsys.readouterr().out
    assert "Seat Requests: 0 imported, 5 already present, 2 refused" in again
    assert "User Credits: 0 imported, 2 already present, 3 refused" in again
    assert (sorted(SeatRequest.objects.values_list("id", "version")),
            sorted(Credit.objects.values_list("id"))) == before


def test_the_mirror_keeps_legacy_seat_and_credit_rows_in_place_as_credits_close(legacy, admin):
    run_import()
    sync_cycle()
    seat_rows, credit_rows = len(data_rows(legacy, SEAT_REQUESTS)), len(data_rows(legacy, USER_CREDITS))
    bob_seat = next(row for row in data_rows(legacy, SEAT_REQUESTS) if row[:2] == ["SEAT20251116200000", str(BOB)])
    assert bob_seat[13] == "regular"  # opening the imported credit was no news for its legacy row

    bob = Credit.objects.get(player__telegram_id=BOB)
    services.credit_clear(credit_id=bob.pk, actor=admin, reason="paid in cash")
    dee = Credit.objects.get(player__telegram_id=DEE)
    deposit = services.deposit_create(telegram_id=DEE, amount=Decimal("200"), method="MIB", account_name="Dee Real",
                                      proof="AgACdeeslip", pppoker_id="45678", credit_id=dee.pk)
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    legacy.reset_calls()
    sync_cycle()

    assert legacy.count(kind="values.append") == 1  # only the settling deposit, in Deposits
    assert (len(data_rows(legacy, SEAT_REQUESTS)), len(data_rows(legacy, USER_CREDITS))) == (seat_rows, credit_rows)
    credits = {(row[4], row[0]): row for row in data_rows(legacy, USER_CREDITS)}
    assert credits["SEAT20251116200000", str(BOB)][7] == "Cleared"
    assert credits["SEAT20251120200000", str(DEE)][7] == "Settled"
    assert credits["SEAT20251115200000", str(ALI)][7] == "Settled"  # not imported: left as it was
    seats = {(row[0], row[1]): row for row in data_rows(legacy, SEAT_REQUESTS)}
    bob_seat, dee_seat = seats["SEAT20251116200000", str(BOB)], seats["SEAT20251120200000", str(DEE)]
    assert (bob_seat[12], bob_seat[13]) == ("No", "paid in cash") and bob_seat[10]
    assert dee_seat[5:8] == ["MIB", "AgACdeeslip", "Approved"] and dee_seat[10] and dee_seat[12] == "No"
    assert ledger_discrepancies() == []
