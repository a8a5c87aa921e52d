"""Seat Requests and User Credits in the Sheets mirror: the legacy layouts, a seat's life in place."""
from datetime import timedelta
from decimal import Decimal

from ledger import services
from ledger.models import Credit
from sync.layout import LAYOUTS, SEAT_REQUESTS, SHEET_ORDER, USER_CREDITS, sheet_row_key
from tests.conftest import PLAYER_ID
from tests.test_sync_mirror import (  # noqa: F401  (fixtures)
    SID, assert_mirrors_db, assert_within_budget, calls_per_sheet, data_rows, fake, sheets_server, sync,
)

OTHER = PLAYER_ID + 1


def test_the_two_tabs_have_the_legacy_headers_in_order():
    assert SHEET_ORDER[5:7] == (SEAT_REQUESTS, USER_CREDITS)  # after the first wave's tabs
    assert LAYOUTS[SEAT_REQUESTS].columns == (
        "Request ID", "User ID", "Username", "PPPoker ID", "Amount", "Payment Method", "Transaction ID/Slip", "Status",
        "Requested At", "Approved At", "Settled At", "Processed By", "Has Credit", "Notes")
    assert LAYOUTS[USER_CREDITS].columns == (
        "User ID", "Username", "PPPoker ID", "Credit Amount", "Seat Request ID", "Created At", "Reminder Count",
        "Status")
    # A credit row is found by its seat's id with the user, however the admins ordered the columns' neighbours.
    credits = LAYOUTS[USER_CREDITS]
    assert credits.key_range() == "'User Credits'!A:E"
    assert sheet_row_key(credits, ["5000000001", "ali", "12345", "500", "sr7"]) == "SR7"
    assert sheet_row_key(credits, [5000000001, "ali", "12345", "500", "SEAT20251116200000"]) == \
        "SEAT20251116200000|5000000001"
    assert sheet_row_key(LAYOUTS[SEAT_REQUESTS], ["SEAT20251116200000", "5,000,000,001"]) == \
        "SEAT20251116200000|5000000001"


def test_a_seat_and_its_credit_from_request_to_settlement_stay_on_one_row_each(fake, player, admin, settings):
    settings.TIME_ZONE = "Indian/Maldives"
    services.user_upsert(telegram_id=OTHER, username="bob", pppoker_id="23456")
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1500")
    rejected = services.seat_request_create(telegram_id=OTHER, amount="300")
    services.seat_request_reject(seat_request_id=rejected.pk, actor=admin, reason="Table full")
    sync()
    assert data_rows(fake, SEAT_REQUESTS) == [
        [f"SR{seat.pk}", str(PLAYER_ID), "ali", "12345", "1500", "", "", "Pending",
         data_rows(fake, SEAT_REQUESTS)[0][8], "", "", "", "No"],
        [f"SR{rejected.pk}", str(OTHER), "bob", "23456", "300", "", "", "Rejected",
         data_rows(fake, SEAT_REQUESTS)[1][8], "", "", admin.label, "No", "Table full"],
    ]
    assert data_rows(fake, USER_CREDITS) == []

    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    services.credit_reminders_due(now=credit.created_at + timedelta(seconds=settings.SEAT_REMINDER_S))
    fake.reset_calls()
    sync()
    [approved] = [row for row in data_rows(fake, SEAT_REQUESTS) if row[0] == f"SR{seat.pk}"]
    assert approved[7] == "Approved" and approved[9] and approved[11] == admin.label and approved[12] == "Yes"
    [row] = data_rows(fake, USER_CREDITS)
    assert row[:5] == [str(PLAYER_ID), "ali", "12345", "1500", f"SR{seat.pk}"] and row[6:] == ["1", "Open"]
    assert calls_per_sheet(fake, SEAT_REQUESTS) == {"values.batchGet": 1, "values.batchUpdate": 1}
    assert calls_per_sheet(fake, USER_CREDITS) == {"values.batchGet": 1, "values.append": 1}

    deposit = services.deposit_create(telegram_id=PLAYER_ID, amount=Decimal("1500"), method="BML",
                                      account_name="Ali Ahmed", proof="AgACseatpaid", pppoker_id="12345",
                                      credit_id=credit.pk)
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    fake.reset_calls()
    sync()
    [settled] = [row for row in data_rows(fake, SEAT_REQUESTS) if row[0] == f"SR{seat.pk}"]
    assert settled[5:8] == ["BML", "AgACseatpaid", "Approved"] and settled[10] and settled[12] == "No"
    assert data_rows(fake, USER_CREDITS)[0][7] == "Settled"
    assert fake.count(kind="values.append") == 1  # the deposit; the seat and the credit were found in place
    assert len(data_rows(fake, SEAT_REQUESTS)) == 2 and len(data_rows(fake, USER_CREDITS)) == 1
    assert_mirrors_db(fake)
    assert_within_budget(fake)


def test_a_cleared_credit_says_why_on_its_seat(fake, player, admin):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="800")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    sync()
    services.credit_clear(credit_id=credit.pk, actor=admin, reason="paid at the counter")
    sync()
    [row] = data_rows(fake, SEAT_REQUESTS)
    assert (row[12], row[13]) == ("No", "paid at the counter") and row[10]
    assert data_rows(fake, USER_CREDITS)[0][7] == "Cleared"
    assert Credit.objects.get().status == "CLEARED"
    assert_mirrors_db(fake)


def test_admins_sorting_the_credit_tab_never_duplicates_a_row(fake, methods, admin):
    for n in range(4):
        services.user_upsert(telegram_id=PLAYER_ID + n, username=f"p{n}", pppoker_id="12345")
        seat = services.seat_request_create(telegram_id=PLAYER_ID + n, amount=str(100 * (n + 1)))
        services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
    sync()
    header, *rows = fake.values(SID, USER_CREDITS)
    fake.set_values(SID, USER_CREDITS, [header, *reversed(rows)])
    for credit in Credit.objects.order_by("id")[:2]:
        services.credit_clear(credit_id=credit.pk, actor=admin, reason="written off")
    sync()
    assert len(data_rows(fake, USER_CREDITS)) == 4
    assert_mirrors_db(fake)
