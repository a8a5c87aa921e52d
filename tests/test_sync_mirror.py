"""The Sheets mirror cycle, driven through real gspread against the HTTP fake of the Sheets API."""
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F

from ledger import services
from ledger.clubtime import club_today
from ledger.models import Deposit, Player, PromotionKind, Spin
from sync import layout, selectors
from sync.client import SheetsUnavailable
from sync.layout import (
    DEPOSITS, LAYOUTS, MIRRORED_SHEETS, SHEET_ORDER, SPIN_HISTORY, SPIN_USERS, USERS, WITHDRAWALS, is_blank,
)
from sync.mirror import sync_cycle
from sync.models import MirroredRow
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for
from tests.fakes.sheets import SheetsFake

SID = "club-spreadsheet"


# --- fixtures and helpers shared by the sync tests ------------------------------------------

@pytest.fixture(scope="module")
def sheets_server():
    with SheetsFake() as server:
        yield server


@pytest.fixture
def fake(sheets_server, settings):
    """A fresh spreadsheet with one default tab, and the mirror pointed at it anonymously."""
    sheets_server.clear_faults()
    sheets_server.create_spreadsheet(SID, title="Club ledger")
    sheets_server.reset_calls()
    settings.SPREADSHEET_ID = SID
    settings.SPREADSHEET_NAME = ""
    settings.GOOGLE_SHEETS_CREDENTIALS_FILE = ""
    settings.SHEETS_API_BASE_URL = sheets_server.base_url
    settings.SHEETS_BACKOFF_BASE_SECONDS = 0.001
    settings.SHEETS_BACKOFF_MAX_SECONDS = 0.005
    yield sheets_server
    sheets_server.clear_faults()


def sync(**kwargs):
    report = sync_cycle(**kwargs)
    assert not report.errors, report.errors
    return report


def data_rows(fake, title):
    return fake.values(SID, title)[1:]


def expected_rows(title) -> dict[str, list[str]]:
    """Every object of `title` rendered as the fake stores cells (text); None = the admins' cell.
    An object with nothing to show (a removed admin) has no row."""
    source = selectors.SOURCES[title]
    rows = source.queryset().order_by(*source.ordering).values(*source.fields)
    rendered = {source.key(row): source.render(row) for row in rows}
    return {key: [None if cell is None else str(cell) for cell in cells] for key, cells in rendered.items()
            if not is_blank(cells)}


def assert_mirrors_db(fake, titles=MIRRORED_SHEETS):
    """Each object has exactly one row, whose legacy cells equal the database's."""
    for title in titles:
        sheet_layout = LAYOUTS[title]
        first, last = sheet_layout.key_columns[0], sheet_layout.key_columns[-1]
        expected = expected_rows(title)
        if not expected and not fake.values(SID, title):
            continue  # a tab a failed cycle created: its header comes with its first row
        rows = data_rows(fake, title)
        assert fake.values(SID, title)[0][:sheet_layout.width] == list(sheet_layout.columns)
        by_key = {}
        for row in rows:
            key = layout.sheet_row_key(sheet_layout, row[first:last + 1])
            if not key and is_blank(row):
                continue  # a cleared row
            assert key not in by_key, f"{title}: {key} is on two rows"
            by_key[key] = row
        assert set(by_key) == set(expected), title
        for key, cells in expected.items():
            have = by_key[key] + [""] * (sheet_layout.width - len(by_key[key]))
            for index, cell in enumerate(cells):
                if cell is not None:
                    assert have[index] == cell, f"{title} {key} {sheet_layout.columns[index]}"


def calls_per_sheet(fake, title) -> dict[str, int]:
    counts = {}
    for call in fake.calls:
        if title in call.sheets and not call.failed:
            counts[call.kind] = counts.get(call.kind, 0) + 1
    return counts


def assert_within_budget(fake):
    """Per sheet and cycle: at most one read and two writes (one batchUpdate, one append)."""
    for title in SHEET_ORDER:
        counts = calls_per_sheet(fake, title)
        assert counts.get("values.batchGet", 0) + counts.get("values.get", 0) <= 1, (title, counts)
        assert counts.get("values.batchUpdate", 0) <= 1, (title, counts)
        assert counts.get("values.append", 0) <= 1, (title, counts)
    assert fake.count(kind="spreadsheets.get", failed=False) <= 1
    assert fake.max_body_bytes < 2 * 1024 * 1024


@pytest.fixture
def busy_club(player, admin):
    """One player with an approved deposit and its bonus, spins, a recovery claim, a join request, a pending
    withdrawal, a pending deposit and a seat on credit; a promotion of each kind."""
    today = club_today()
    for kind in PromotionKind.values:
        services.promotion_create(kind=kind, percentage="12.5", starts_on=today, ends_on=today + timedelta(days=7),
                                  actor=admin)
    approved_deposit(PLAYER_ID, admin, amount="2500")
    services.spins_process(telegram_id=PLAYER_ID, count=5)
    services.cashback_claim_create(telegram_id=PLAYER_ID, pppoker_id="12345")
    services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="12345")
    services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML", account_number="7730001",
                               pppoker_id="12345")
    deposit_for(PLAYER_ID, amount="1000.50", method="USD")
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="700")
    services.seat_request_approve(seat_request_id=seat.pk, actor=admin)


# --- first sync ------------------------------------------------------------------------------

def test_first_sync_creates_the_tabs_with_the_legacy_headers(fake, busy_club):
    report = sync()

    assert all(report.sheets[title].created for title in MIRRORED_SHEETS)
    assert fake.titles(SID) == ["Sheet1", *MIRRORED_SHEETS]
    for title in MIRRORED_SHEETS:
        assert fake.values(SID, title)[0] == list(LAYOUTS[title].columns)
    assert_mirrors_db(fake)
    assert_within_budget(fake)
    assert data_rows(fake, USERS)[0][6] == "Active"  # a new row gets a status; the backend keeps none
    deposits = {row[0]: row for row in data_rows(fake, DEPOSITS)}
    assert {row[8] for row in deposits.values()} == {"Approved", "Pending"}
    assert [row[4] for row in deposits.values()] == ["2500", "1000.5"]  # plain numbers, no "1,000.50"

    fake.reset_calls()
    assert sync().idle
    assert fake.calls == []  # nothing due: not a single request


def test_first_sync_fills_existing_empty_tabs(fake, busy_club):
    for title in SHEET_ORDER:
        fake.add_sheet(SID, title, rows=[], col_count=5)  # narrower than the layouts

    report = sync()

    assert not any(report.sheets[title].created for title in SHEET_ORDER)
    assert_mirrors_db(fake)
    assert_within_budget(fake)
    assert fake.count(kind="spreadsheets.batchUpdate") == 1  # every tab widened in one request


def test_timestamps_are_club_local_time(fake, player, settings):
    settings.TIME_ZONE = "Indian/Maldives"
    Player.objects.filter(pk=player.pk).update(created_at="2025-11-26T13:54:56Z", version=F("version") + 1)
    sync()
    assert data_rows(fake, USERS)[0][5] == "2025-11-26 18:54:56"  # UTC+5


# --- updates in place ---------------------------------------------------------------------------

def test_approval_after_mirror_updates_the_row_in_place(fake, player, admin):
    first = deposit_for(PLAYER_ID, amount="700")
    sync()
    services.deposit_approve(deposit_id=first.pk, actor=admin)
    deposit_for(PLAYER_ID, amount="900")
    fake.reset_calls()

    sync()

    rows = data_rows(fake, DEPOSITS)
    assert [row[0] for row in rows] == [f"D{first.pk}", f"D{first.pk + 1}"]
    assert rows[0][8] == "Approved" and rows[0][10] and rows[0][11]
    assert rows[1][8] == "Pending"
    assert calls_per_sheet(fake, DEPOSITS) == {"values.batchGet": 1, "values.batchUpdate": 1, "values.append": 1}
    assert_mirrors_db(fake)


def test_only_changed_columns_are_sent(fake, player, admin):
    deposit = deposit_for(PLAYER_ID)
    sync()
    fake.reset_calls()
    services.deposit_reject(deposit_id=deposit.pk, actor=admin, reason="Slip unreadable")

    sync()

    update = next(call for call in fake.calls if call.kind == "values.batchUpdate" and DEPOSITS in call.sheets)
    assert update.body_bytes < 300  # Status..Notes of one row, not the whole row
    assert data_rows(fake, DEPOSITS)[0][8:13][0::4] == ["Rejected", "Slip unreadable"]
    assert_mirrors_db(fake)


def test_username_change_reaches_every_row_showing_it(fake, busy_club):
    sync()
    services.user_upsert(telegram_id=PLAYER_ID, username="ali_new")
    sync()
    assert {row[1] for row in data_rows(fake, SPIN_HISTORY)} == {"ali_new"}
    assert {row[2] for row in data_rows(fake, DEPOSITS)} == {"ali_new"}
    assert_mirrors_db(fake)


def test_admin_sorted_sheet_with_extra_columns(fake, methods, admin):
    deposits = []
    for n in range(6):
        telegram_id = PLAYER_ID + n
        services.user_upsert(telegram_id=telegram_id, username=f"p{n}")
        deposits.append(deposit_for(telegram_id, amount=str(300 + 100 * n)))
    sync()
    # Admins add a column to the right, then sort by amount, largest first.
    header, *rows = fake.values(SID, DEPOSITS)
    rows = [row + [""] * (13 - len(row)) + [f"checked by admin {row[0]}"] for row in rows]
    rows.sort(key=lambda row: -int(row[4]))
    fake.set_values(SID, DEPOSITS, [header + ["Checked"], *rows])
    before = fake.values(SID, DEPOSITS)

    services.deposit_approve(deposit_id=deposits[2].pk, actor=admin)
    services.deposit_reject(deposit_id=deposits[4].pk, actor=admin, reason="No slip")
    sync()

    after = fake.values(SID, DEPOSITS)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert new[0] == old[0] and new[13] == old[13]  # same order, admin column untouched
        if new[0] == f"D{deposits[2].pk}":
            assert new[8] == "Approved"
        elif new[0] == f"D{deposits[4].pk}":
            assert (new[8], new[12]) == ("Rejected", "No slip")
        else:
            assert new == old
    assert_mirrors_db(fake)


def test_a_row_found_twice_is_kept_in_step_and_never_appended(fake, player, admin):
    deposit = deposit_for(PLAYER_ID)
    sync()
    header, row = fake.values(SID, DEPOSITS)
    fake.set_values(SID, DEPOSITS, [header, row, [], row])  # an admin pasted it again further down
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    report = sync()
    assert report.sheets[DEPOSITS].duplicates == 1
    rows = fake.values(SID, DEPOSITS)
    assert len(rows) == 4 and rows[1][8] == rows[3][8] == "Approved"


def test_admin_notes_survive_an_update(fake, player, admin):
    deposit = deposit_for(PLAYER_ID)
    sync()
    header, row = fake.values(SID, DEPOSITS)
    fake.set_values(SID, DEPOSITS, [header, row + [""] * (12 - len(row)) + ["called the bank"]])
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    sync()
    assert data_rows(fake, DEPOSITS)[0][12] == "called the bank"


# --- change tracking ---------------------------------------------------------------------------------

def test_a_change_during_a_cycle_is_written_by_the_next(fake, player, admin, monkeypatch):
    sync()  # the tabs exist: the cycle below reads the deposit exactly once
    deposit = deposit_for(PLAYER_ID)
    real_rows_due = selectors.rows_due

    def rows_due_then_approve(title):
        rows = real_rows_due(title)
        if title == DEPOSITS and rows and Deposit.objects.filter(pk=deposit.pk, status="PENDING").exists():
            # The approval commits after this cycle read the deposit, before it writes it.
            services.deposit_approve(deposit_id=deposit.pk, actor=admin)
        return rows

    monkeypatch.setattr(selectors, "rows_due", rows_due_then_approve)
    sync()
    assert data_rows(fake, DEPOSITS)[0][8] == "Pending"
    recorded = MirroredRow.objects.get(sheet=DEPOSITS, object_id=deposit.pk).version
    monkeypatch.setattr(selectors, "rows_due", real_rows_due)
    assert [row.object_id for row in selectors.rows_due(DEPOSITS)] == [deposit.pk]  # still due

    sync()

    assert data_rows(fake, DEPOSITS)[0][8] == "Approved"
    assert MirroredRow.objects.get(sheet=DEPOSITS, object_id=deposit.pk).version > recorded
    assert_mirrors_db(fake)


def test_a_version_change_without_a_visible_change_sends_nothing(fake, busy_club):
    sync()
    Player.objects.update(version=F("version") + 1)  # e.g. a field no sheet shows
    fake.reset_calls()
    sync()
    assert fake.count(kind="values.batchUpdate") == 0 and fake.count(kind="values.append") == 0
    assert not selectors.rows_due(SPIN_HISTORY)


# --- failures ---------------------------------------------------------------------------------------

def test_429_storm_then_recovery(fake, busy_club, admin):
    sync()
    pending = Deposit.objects.get(status="PENDING")
    services.deposit_approve(deposit_id=pending.pk, actor=admin)
    fake.fail_when(lambda call: True, status=429, times=12)

    failures = 0
    for _ in range(10):
        try:
            sync()
            break
        except SheetsUnavailable:
            failures += 1
            if failures == 1:  # the ledger keeps moving while Google refuses
                services.spins_process(telegram_id=PLAYER_ID, count=1)
    assert failures >= 2
    assert fake.count(failed=True) == 12
    assert_mirrors_db(fake)
    assert not any(selectors.rows_due(title) for title in SHEET_ORDER)


def test_5xx_on_a_read_is_retried_within_the_cycle(fake, busy_club):
    sync()
    services.user_upsert(telegram_id=PLAYER_ID, first_name="Alí")
    fake.fail_when(lambda call: call.kind == "values.batchGet", status=503, times=2)
    sync()
    assert fake.count(kind="values.batchGet", failed=True) == 2
    assert_mirrors_db(fake)


def test_lost_append_response_never_duplicates(fake, busy_club):
    """Google applied the append but the answer was lost (or the worker died waiting for it)."""
    fake.fail_when(lambda call: call.kind == "values.append" and DEPOSITS in call.sheets, status=500, times=1,
                   after_apply=True)
    with pytest.raises(SheetsUnavailable):
        sync()
    assert fake.count(kind="values.append", sheet=DEPOSITS) == 1  # not repeated blindly
    assert len(data_rows(fake, DEPOSITS)) == 2  # it did land

    sync()

    assert len(data_rows(fake, DEPOSITS)) == 2
    assert_mirrors_db(fake)


def test_worker_killed_mid_cycle_loses_nothing(fake, busy_club, admin, monkeypatch):
    sync()
    pending = Deposit.objects.get(status="PENDING")
    services.deposit_approve(deposit_id=pending.pk, actor=admin)
    services.spins_process(telegram_id=PLAYER_ID, count=3)
    from sync import state
    real_record = state.record_written

    def killed_after_the_append(sheet, rows):
        if sheet == SPIN_HISTORY:
            raise SystemExit("worker killed")  # the append landed, nothing after it ran
        real_record(sheet, rows)

    monkeypatch.setattr(state, "record_written", killed_after_the_append)
    with pytest.raises(SystemExit):
        sync()
    monkeypatch.setattr(state, "record_written", real_record)
    assert len(data_rows(fake, SPIN_HISTORY)) == 8

    fake.reset_calls()
    sync()

    assert len(data_rows(fake, SPIN_HISTORY)) == 8  # found by Spin ID, not appended again
    assert fake.count(kind="values.append") == 0
    assert_mirrors_db(fake)


def test_header_not_matching_the_layout_leaves_the_sheet_alone(fake, busy_club):
    fake.add_sheet(SID, DEPOSITS, rows=[["Ref", "User"], ["x", "y"]])
    report = sync_cycle()
    assert "A1 is 'Ref'" in report.errors[DEPOSITS]
    assert fake.values(SID, DEPOSITS) == [["Ref", "User"], ["x", "y"]]
    assert selectors.rows_due(DEPOSITS)  # nothing marked written
    assert_mirrors_db(fake, titles=(USERS, WITHDRAWALS, SPIN_USERS, SPIN_HISTORY))


def test_deleted_tab_is_recreated_with_every_row(fake, busy_club):
    sync()
    fake.delete_sheet(SID, SPIN_HISTORY)
    services.user_upsert(telegram_id=PLAYER_ID, last_name="Ahmed")
    report = sync()
    assert report.sheets[SPIN_HISTORY].created
    assert_mirrors_db(fake)


def test_cleared_tab_is_rewritten(fake, busy_club):
    sync()
    fake.set_values(SID, SPIN_HISTORY, [])
    Spin.objects.filter(pk=Spin.objects.order_by("id").first().pk).update(version=F("version") + 1)
    sync()
    assert_mirrors_db(fake)


def test_legacy_spin_history_gets_its_spin_id_column(fake, busy_club):
    fake.add_sheet(SID, SPIN_HISTORY, rows=[list(LAYOUTS[SPIN_HISTORY].columns[:9])], col_count=9)
    sync()
    assert fake.values(SID, SPIN_HISTORY)[0][9] == "Spin ID"
    assert_mirrors_db(fake)


def test_payload_cap_defers_rows_to_the_next_cycle(fake, methods):
    for n in range(150):
        services.user_upsert(telegram_id=PLAYER_ID + n, username=f"player{n}")
    cap = 8_000
    cycles = 0
    while True:
        fake.reset_calls()
        report = sync(payload_cap=cap)
        cycles += 1
        assert_within_budget(fake)
        assert fake.max_body_bytes <= cap
        if not report.more:
            break
    assert cycles > 1
    assert_mirrors_db(fake)


def test_full_rewrite_repairs_edited_cells_and_keeps_admin_columns(fake, busy_club):
    sync()
    header, *rows = fake.values(SID, DEPOSITS)
    rows = [row + [""] * (13 - len(row)) + ["mine"] for row in rows]
    for row in rows:
        row[8] = "???"
    fake.set_values(SID, DEPOSITS, [header, *rows])

    call_command("sync_sheets", "--full")

    assert [row[13] for row in data_rows(fake, DEPOSITS)] == ["mine", "mine"]
    assert_mirrors_db(fake)


def test_random_admin_shuffles_never_duplicate(fake, methods, admin):
    rng = random.Random(7)
    for n in range(20):
        services.user_upsert(telegram_id=PLAYER_ID + n, username=f"p{n}")
        deposit_for(PLAYER_ID + n, amount=str(200 + n))
    for _ in range(4):
        sync()
        header, *rows = fake.values(SID, DEPOSITS)
        rng.shuffle(rows)
        fake.set_values(SID, DEPOSITS, [header, *rows])
        for deposit in Deposit.objects.filter(status="PENDING").order_by("?")[:5]:
            services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    sync()
    assert_mirrors_db(fake)


def test_keys_read_back_in_any_number_form():
    assert layout.normalize_key(5000000001) == "5000000001"
    assert layout.normalize_key(5000000001.0) == "5000000001"
    assert layout.normalize_key(" 5,000,000,001 ") == "5000000001"
    assert layout.normalize_key("d12") == "D12"
    assert layout.request_key("DEP20251126185456", 5000000001.0) == "DEP20251126185456|5000000001"
    assert layout.request_key("D7", "anything") == "D7"
    assert layout.telegram_id(2**60) == str(2**60)  # a double would lose its last digits
