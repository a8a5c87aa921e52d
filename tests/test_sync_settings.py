"""The settings sheets (Payment Accounts, Exchange Rates, Admins, Daily Reports) in their legacy layouts,
kept current by the mirror on the settings services' changes; real gspread against the Sheets fake."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.huey import huey
from ledger import services
from sync import tasks
from sync.layout import (
    ADMINS, COUNTER_STATUS, DAILY_REPORTS, EXCHANGE_RATES, LAYOUTS, PAYMENT_ACCOUNTS, SETTINGS_SHEETS, is_blank,
)
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit
from tests.test_sync_mirror import (  # noqa: F401  (fixtures)
    SID, assert_mirrors_db, calls_per_sheet, data_rows, fake, sheets_server, sync,
)

CLUB = ZoneInfo("Indian/Maldives")  # UTC+5


def club_time(*args) -> datetime:
    return datetime(*args, tzinfo=CLUB)


@pytest.fixture(autouse=True)
def clean_queue():
    huey.flush()
    yield
    huey.flush()


def test_each_settings_tab_gets_its_legacy_header_and_rows(fake, player, admin):
    with time_machine.travel(club_time(2026, 3, 5, 14, 30), tick=False):
        services.payment_method_update(code="BML", account_number="7730000123456", account_holder="Club Ltd",
                                       actor=admin)
    sync()

    assert [fake.values(SID, title)[0] for title in SETTINGS_SHEETS] == [
        ["Payment Method", "Account Number", "Account Holder Name", "Updated At"],
        ["Currency", "Rate to MVR", "Updated At"],
        ["Admin ID", "Username", "Name", "Added By", "Added At"],
        list(LAYOUTS[DAILY_REPORTS].columns)]
    assert len(LAYOUTS[DAILY_REPORTS].columns) == 18 and LAYOUTS[DAILY_REPORTS].columns[-1] == "Generated At"
    assert data_rows(fake, PAYMENT_ACCOUNTS)[0] == ["BML", "7730000123456", "Club Ltd", "2026-03-05 14:30:00"]
    assert [row[0] for row in data_rows(fake, PAYMENT_ACCOUNTS)] == ["BML", "MIB", "USD", "USDT"]
    # MVR is 1 by definition; Google leaves out a row's empty cells at its end, as the fake does
    assert data_rows(fake, EXCHANGE_RATES) == [["USD", "15.4"], ["USDT", "15.4"]]
    [row] = data_rows(fake, ADMINS)
    assert row[:4] == [str(ADMIN_ID), "", "Club admin", ""]
    assert data_rows(fake, DAILY_REPORTS) == []
    assert_mirrors_db(fake)


def test_a_rate_change_rewrites_its_rate_row_and_nothing_else(fake, methods, admin):
    sync()
    fake.reset_calls()
    with time_machine.travel(club_time(2026, 3, 6, 9, 15), tick=False):
        services.payment_method_update(code="USD", rate_to_base="16.10", actor=admin)

    sync()

    assert data_rows(fake, EXCHANGE_RATES) == [["USD", "16.1", "2026-03-06 09:15:00"], ["USDT", "15.4"]]
    assert calls_per_sheet(fake, EXCHANGE_RATES).get("values.batchUpdate") == 1
    assert "values.batchUpdate" not in calls_per_sheet(fake, PAYMENT_ACCOUNTS)  # its cells did not change
    with time_machine.travel(club_time(2026, 3, 7, 10, 0), tick=False):
        services.payment_method_update(code="USD", account_holder="Club Ltd", actor=admin)
    sync()
    assert data_rows(fake, PAYMENT_ACCOUNTS)[2] == ["USD", "", "Club Ltd", "2026-03-07 10:00:00"]
    assert data_rows(fake, EXCHANGE_RATES)[0][2] == "2026-03-06 09:15:00"  # the rate's own time
    assert_mirrors_db(fake)


def test_a_settings_change_asks_for_a_sync(fake, methods, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_method_update(code="USDT", account_number="TQwallet1", actor=admin)
    assert sum(1 for task in huey.scheduled() if task.name.endswith("sync_sheets")) == 1
    tasks.sync_sheets.call_local()
    assert data_rows(fake, PAYMENT_ACCOUNTS)[3][:2] == ["USDT", "TQwallet1"]


def test_admins_added_renamed_removed_and_added_again(fake, settings, methods, admin):
    settings.ADMIN_USER_IDS = [1001]
    services.user_upsert(telegram_id=4004, username="carl", first_name="Carl", last_name="Moosa")
    with time_machine.travel(club_time(2026, 4, 1, 8, 0), tick=False):
        services.admin_add(telegram_id=4004, actor=admin)
    sync()
    assert data_rows(fake, ADMINS)[1] == ["4004", "carl", "Carl Moosa", admin.label, "2026-04-01 08:00:00"]

    services.user_upsert(telegram_id=4004, username="carl_m")  # the row shows the player's name
    sync()
    assert data_rows(fake, ADMINS)[1][1] == "carl_m"

    services.admin_remove(telegram_id=4004, actor=admin)
    sync()
    # Cleared where it stood (the legacy sheet has no status column); Google reads no empty rows at the end.
    assert [row[0] for row in data_rows(fake, ADMINS) if not is_blank(row)] == [str(ADMIN_ID)]
    assert_mirrors_db(fake)

    services.admin_add(telegram_id=4004, actor=admin)
    sync()
    assert [row[0] for row in data_rows(fake, ADMINS) if not is_blank(row)] == [str(ADMIN_ID), "4004"]
    assert_mirrors_db(fake)


def test_an_admin_removed_before_the_mirror_saw_them_gets_no_row(fake, methods, admin):
    services.admin_add(telegram_id=4005, actor=admin)
    services.admin_remove(telegram_id=4005, actor=admin)
    sync()
    assert [row[0] for row in data_rows(fake, ADMINS)] == [str(ADMIN_ID)]
    fake.reset_calls()
    assert sync().idle  # remembered, not due again


def test_the_daily_report_row_splits_money_by_currency(fake, player, admin):
    def at(moment, call, **kwargs):
        with time_machine.travel(moment, tick=False):
            return call(**kwargs)

    at(club_time(2026, 6, 14, 9), approved_deposit, telegram_id=PLAYER_ID, actor=admin, amount="1000")
    at(club_time(2026, 6, 14, 10), approved_deposit, telegram_id=PLAYER_ID, actor=admin, amount="50",
       method="USD")  # 770 MVR
    at(club_time(2026, 6, 14, 11), approved_deposit, telegram_id=PLAYER_ID, actor=admin, amount="20",
       method="USDT")  # 308 MVR
    withdrawal = at(club_time(2026, 6, 14, 12), services.withdrawal_create, telegram_id=PLAYER_ID, amount="300",
                    method="MIB", account_number="9010", pppoker_id="12345")
    at(club_time(2026, 6, 14, 12, 5), services.withdrawal_approve, withdrawal_id=withdrawal.pk, actor=admin)
    at(club_time(2026, 6, 15, 0, 0, 30), services.daily_report_make)

    sync()

    assert data_rows(fake, DAILY_REPORTS) == [[
        "2026-06-14", "00:00:30", "1000", "300", "0", "0", "0", "700", "50", "0", "50", "20", "0", "20", "1778",
        "0", "0", "2026-06-15 00:00:30"]]
    at(club_time(2026, 6, 16, 0, 1), services.daily_report_make)
    sync()
    assert [row[0] for row in data_rows(fake, DAILY_REPORTS)] == ["2026-06-14", "2026-06-15"]
    assert data_rows(fake, DAILY_REPORTS)[1][2:8] == ["0", "0", "0", "0", "0", "0"]
    assert_mirrors_db(fake)


def test_the_counter_status_tab_is_one_row_rewritten_on_each_change(fake, player, admin):
    sync()
    assert data_rows(fake, COUNTER_STATUS) == []  # nobody opened or closed it yet
    with time_machine.travel(club_time(2026, 3, 7, 22, 0), tick=False):
        services.counter_set(state="CLOSED", announce="Closed for the night", actor=admin)
    sync()
    assert fake.values(SID, COUNTER_STATUS)[0] == ["Status", "Changed At", "Changed By", "Announcement Sent",
                                                   "Closing Poster ID", "Opening Poster ID"]
    assert data_rows(fake, COUNTER_STATUS) == [["CLOSED", "2026-03-07 22:00:00", admin.label, "Yes"]]

    rows = fake.values(SID, COUNTER_STATUS)
    fake.set_values(SID, COUNTER_STATUS, [rows[0], rows[1][:4] + ["poster-1", "poster-2"]])  # the legacy pictures
    with time_machine.travel(club_time(2026, 3, 8, 9, 30), tick=False):
        services.counter_set(state="OPEN", actor=admin)
    sync()
    assert data_rows(fake, COUNTER_STATUS) == [["OPEN", "2026-03-08 09:30:00", admin.label, "No", "poster-1",
                                                "poster-2"]]
    assert_mirrors_db(fake)
