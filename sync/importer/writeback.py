"""Spin IDs into the legacy Spin History: without them a later decision on a legacy spin could not
find its row."""
from sync.client import SheetsApi, SheetsError, Tab
from sync.importer.report import ImportReport
from sync.layout import LAYOUTS, SPIN_HISTORY, SPIN_ID, column_letter


def write_spin_ids(api: SheetsApi, tab: Tab | None, spin_ids: list[tuple[int, str]], report: ImportReport) -> None:
    """The header and each (sheet row, Spin ID) in one values batchUpdate, consecutive rows in one range;
    the tab widened first if it has no column for them."""
    if not spin_ids:
        return
    layout = LAYOUTS[SPIN_HISTORY]
    column = column_letter(layout.index(SPIN_ID))
    cells = dict(spin_ids)
    data = [{"range": f"{layout.quoted()}!{column}1", "values": [[SPIN_ID]]}]
    for first, last in _runs(sorted(cells)):
        data.append({"range": f"{layout.quoted()}!{column}{first}:{column}{last}",
                     "values": [[cells[number]] for number in range(first, last + 1)]})
    try:
        if tab is not None and tab.col_count < layout.width:
            api.change_structure([{"appendDimension": {
                "sheetId": tab.sheet_id, "dimension": "COLUMNS", "length": layout.width - tab.col_count}}])
        api.write(data)
    except SheetsError as exc:
        report.sheet_error = str(exc)
        return
    report.spin_ids_written = len(cells)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive numbers, for sorted distinct numbers."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
