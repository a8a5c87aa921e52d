"""Drive the real gspread client against the in-memory Sheets fake."""

import threading

import gspread
import pytest
from google.auth.credentials import AnonymousCredentials

from tests.fakes.sheets import BaseUrlHTTPClient, SheetsFake, format_range, parse_a1, split_range

SID = "spreadsheet-1"


@pytest.fixture
def fake():
    with SheetsFake() as fake:
        fake.create_spreadsheet(SID, title="Lottery")
        yield fake


@pytest.fixture
def book(fake):
    return fake.client().open_by_key(SID)


def test_range_helpers():
    assert split_range("'Spin History'!A1:Z") == ("Spin History", "A1:Z")
    assert split_range("'Bob''s'") == ("Bob's", None)
    assert split_range("Users!A:A") == ("Users", "A:A")
    assert parse_a1("A:A") == (0, 0, None, 1)
    assert parse_a1("B2:C") == (1, 1, None, 3)
    assert parse_a1("AA10") == (9, 26, 10, 27)
    assert format_range("Spin History", 0, 0, 1000, 26) == "'Spin History'!A1:Z1000"
    assert format_range("Users", 1, 2, 2, 3) == "Users!C2"


def test_open_by_key_reads_metadata(fake, book):
    assert book.title == "Lottery"
    assert [ws.title for ws in book.worksheets()] == ["Sheet1"]
    assert book.worksheet("Sheet1").row_count == 1000
    with pytest.raises(gspread.WorksheetNotFound):
        book.worksheet("Nope")
    with pytest.raises(gspread.SpreadsheetNotFound):
        fake.client().open_by_key("missing")
    # open_by_key itself is one metadata GET
    assert fake.calls[0].kind == "spreadsheets.get"
    assert fake.calls[0].path == f"/v4/spreadsheets/{SID}"
    # Drive API calls reach the fake too (never the network) and get a 404.
    with pytest.raises(gspread.exceptions.APIError) as exc:
        _ = book.creationTime
    assert exc.value.code == 404 and fake.calls[-1].kind == "unknown"


def test_explicit_client_with_anonymous_credentials(fake):
    # How production wires it: a client class (or factory) plus anonymous creds.
    class LocalClient(BaseUrlHTTPClient):
        base_url = fake.base_url

    gc = gspread.Client(AnonymousCredentials(), http_client=LocalClient)
    assert gc.open_by_key(SID).title == "Lottery"


def test_add_worksheet_update_and_read_back(fake, book):
    ws = book.add_worksheet("Spin History", rows=10, cols=5)
    assert (ws.id, ws.index, ws.row_count, ws.col_count) == (1, 1, 10, 5)
    res = ws.update([["user", "prize", "at"], ["ann", 5, True]], "A1")
    assert res["updatedRange"] == "'Spin History'!A1:C2"
    assert (res["updatedRows"], res["updatedCells"]) == (2, 6)
    assert fake.values(SID, "Spin History") == [["user", "prize", "at"], ["ann", "5", "TRUE"]]
    assert book.worksheet("Spin History").get("A2:B") == [["ann", "5"]]
    assert ws.get_all_values() == [["user", "prize", "at"], ["ann", "5", "TRUE"]]
    with pytest.raises(gspread.exceptions.APIError) as exc:
        book.add_worksheet("Spin History", rows=1, cols=1)
    assert exc.value.code == 400


def test_quoted_sheet_names(fake, book):
    ws = book.add_worksheet("Bob's Spins", rows=5, cols=3)
    ws.update([["x"]], "B2")
    assert ws.get("B2").range == "'Bob''s Spins'!B2"
    assert ws.get("A1:C3") == [[], ["", "x"]]
    assert fake.calls[-1].path == f"/v4/spreadsheets/{SID}/values/'Bob''s Spins'!A1:C3"
    assert fake.calls[-1].sheets == ("Bob's Spins",)


def test_get_trims_like_google(fake, book):
    fake.add_sheet(SID, "Users", rows=[["id", "name", ""], [], ["7", "", ""], ["", ""]])
    raw = book.values_get("Users!A:C")
    assert raw == {"range": "Users!A1:C1000", "majorDimension": "ROWS",
                   "values": [["id", "name"], [], ["7"]]}
    assert "values" not in book.values_get("Users!D1:E5")
    ws = book.worksheet("Users")
    assert ws.col_values(1) == ["id", "", "7"]
    assert ws.col_values(2) == ["name"]
    assert ws.get("A:A", major_dimension="COLUMNS") == [["id", "", "7"]]


def test_batch_get_and_batch_update(fake, book):
    ws = book.add_worksheet("Users", rows=20, cols=4)
    res = ws.batch_update([{"range": "A1:B1", "values": [["id", "name"]]},
                           {"range": "A3", "values": [[3, "cy"], [4, None, "z"]]}],
                          value_input_option="USER_ENTERED")
    assert (res["totalUpdatedCells"], res["totalUpdatedSheets"]) == (6, 1)
    assert [r["updatedRange"] for r in res["responses"]] == ["Users!A1:B1", "Users!A3:C4"]
    first, second = ws.batch_get(["A1:B1", "A3:A"])
    assert (first, first.range) == ([["id", "name"]], "Users!A1:B1")
    assert second == [["3"], ["4"]]
    assert fake.count(kind="values.batchGet") == 1
    assert fake.count(kind="values.batchUpdate", sheet="Users") == 1


def test_writes_outside_the_grid_fail_like_google(fake, book):
    ws = book.add_worksheet("Small", rows=2, cols=2)
    for call in (lambda: ws.update([["a"], ["b"], ["c"]], "A1"),
                 lambda: ws.update([["a", "b", "c"]], "A1:B1"),
                 lambda: ws.get("A1:C1")):
        with pytest.raises(gspread.exceptions.APIError) as exc:
            call()
        assert exc.value.code == 400
    assert fake.values(SID, "Small") == []  # nothing half-written


def test_append_rows_goes_after_last_row_and_grows_grid(fake, book):
    fake.add_sheet(SID, "Spin History", rows=[["user", "prize"], ["ann", "5"]],
                   row_count=3, col_count=2)
    ws = book.worksheet("Spin History")
    res = ws.append_rows([["bob", 7], ["cy", 9, "extra"]])
    assert res["tableRange"] == "'Spin History'!A1:B2"
    assert res["updates"]["updatedRange"] == "'Spin History'!A3:C4"
    assert fake.values(SID, "Spin History")[2:] == [["bob", "7"], ["cy", "9", "extra"]]
    meta = book.worksheet("Spin History")
    assert (meta.row_count, meta.col_count) == (4, 3)

    fake.set_values(SID, "Spin History", [["user"], [], ["late"]])  # admin edit
    ws.append_row(["dan"], table_range="A1")
    assert fake.values(SID, "Spin History") == [["user"], [], ["late"], ["dan"]]
    call = fake.calls[-1]
    assert (call.method, call.kind) == ("POST", "values.append")
    assert call.path == f"/v4/spreadsheets/{SID}/values/'Spin History'!A1:append"


def test_append_insert_rows_shifts_data_below(fake, book):
    fake.add_sheet(SID, "Log", rows=[["a"], ["b"], [], ["", "side"]])
    book.worksheet("Log").append_rows([["c"]], table_range="A1:A",
                                      insert_data_option="INSERT_ROWS")
    assert fake.values(SID, "Log") == [["a"], ["b"], ["c"], [], ["", "side"]]
    assert book.worksheet("Log").row_count == 1001


def test_clear_and_batch_clear(fake, book):
    fake.add_sheet(SID, "Users", rows=[["a", "b"], ["c", "d"], ["e", "f"]])
    ws = book.worksheet("Users")
    ws.batch_clear(["A1", "B2:B3"])
    assert fake.values(SID, "Users") == [["", "b"], ["c"], ["e"]]
    assert ws.clear()["clearedRange"] == "Users!A1:Z1000"
    assert fake.values(SID, "Users") == []
    assert fake.count(kind="values.batchClear") == fake.count(kind="values.clear") == 1


def test_structural_batch_update_requests(fake, book):
    ws = book.add_worksheet("Tmp", rows=5, cols=2)
    ws.add_rows(3)  # updateSheetProperties gridProperties
    ws.update_title("Renamed")
    book.batch_update({"requests": [{"appendDimension": {
        "sheetId": ws.id, "dimension": "COLUMNS", "length": 4}}]})
    meta = book.worksheet("Renamed")
    assert (meta.row_count, meta.col_count) == (8, 6)
    assert fake.calls[-2].sheets == ("Renamed",)
    book.del_worksheet(meta)
    assert [w.title for w in book.worksheets()] == ["Sheet1"]
    with pytest.raises(gspread.exceptions.APIError) as exc:
        book.batch_update({"requests": [{"mergeCells": {}}]})
    assert exc.value.code == 400 and exc.value.error["status"] == "INVALID_ARGUMENT"


def test_fail_next_surfaces_as_api_error(fake, book):
    ws = book.worksheet("Sheet1")
    fake.reset_calls()
    fake.fail_next(2, status=429)
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as exc:
            ws.append_row(["x"])
        assert exc.value.code == 429
        assert exc.value.error["status"] == "RESOURCE_EXHAUSTED"
    ws.append_row(["x"])  # the third try goes through
    assert fake.values(SID, "Sheet1") == [["x"]]
    assert fake.count(kind="values.append") == 3
    assert fake.count(failed=True) == 2
    assert [c.status for c in fake.calls] == [429, 429, 200]

    fake.fail_next(1, status=503)
    with pytest.raises(gspread.exceptions.APIError) as exc:
        ws.get_all_values()
    assert (exc.value.code, exc.value.error["status"]) == (503, "UNAVAILABLE")


def test_fail_when_targets_one_sheet(fake, book):
    fake.add_sheet(SID, "Users")
    fake.fail_when(lambda call: call.kind == "values.append" and "Users" in call.sheets,
                   status=500, times=1)
    book.worksheet("Sheet1").append_row(["ok"])
    with pytest.raises(gspread.exceptions.APIError) as exc:
        book.worksheet("Users").append_row(["boom"])
    assert exc.value.code == 500
    book.worksheet("Users").append_row(["ok"])
    assert fake.count(kind="values.append", sheet="Users", failed=True) == 1
    assert fake.values(SID, "Users") == [["ok"]]


def test_call_log_and_body_size(fake, book):
    ws = book.worksheet("Sheet1")
    fake.reset_calls()
    ws.append_rows([["x" * 100] * 10] * 50)
    ws.get_all_values()
    assert [c.kind for c in fake.calls] == ["values.append", "values.get"]
    assert fake.count(sheet="Sheet1") == 2
    assert 50_000 < fake.max_body_bytes < 2 * 1024 * 1024
    fake.reset_calls()
    assert fake.calls == [] and fake.max_body_bytes == 0


def test_concurrent_appends_are_serialised(fake):
    def worker(n):
        ws = fake.client().open_by_key(SID).sheet1
        for i in range(5):
            ws.append_row([f"w{n}", i])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = fake.values(SID, "Sheet1")
    assert len(rows) == 20 and len({tuple(r) for r in rows}) == 20
