"""One mirror cycle: bring the mirrored sheets up to date with the database.

A cycle, for the sheets that have rows due (see `sync.selectors`):

1. reads the due rows from the database (values and versions together);
2. one metadata read; missing tabs are added and narrow ones widened in one
   structural batchUpdate;
3. one values batchGet for all sheets: each header row and id column, which
   says where every object's row is right now, however admins sorted it;
4. per sheet, at most one values batchUpdate (rows found, rewritten in place,
   header if missing) and at most one append (rows not found), each below the
   payload cap; rows over the cap wait for the next cycle, which is asked for
   at once;
5. after each confirmed write, records the versions just written.

Nothing is marked written before Google confirmed it, and existence in the
sheet is always decided by reading the id column, never by our own records:
a cycle that dies after a write and before recording it rewrites those rows in
place next time instead of appending them twice.

Only the legacy columns (A to the last layout column) are ever written, so
columns admins added to the right are left alone.
"""
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from sync import selectors, state
from sync.client import SheetsApi, connect
from sync.layout import LAYOUTS, MIRRORED_SHEETS, SheetLayout, check_header, column_letter, is_blank, sheet_row_key
from sync.models import MirroredRow
from sync.selectors import DueRow

logger = logging.getLogger(__name__)

# Google advises keeping a request under 2 MB; the margin covers the JSON envelope.
DEFAULT_MAX_PAYLOAD_BYTES = 1_900_000
NEW_TAB_ROWS = 1000
NEW_TAB_MIN_COLUMNS = 26


@dataclass
class SheetReport:
    updated: int = 0  # sheet rows found and brought up to date in place
    appended: int = 0
    deferred: int = 0  # due rows left for the next cycle (payload cap)
    created: bool = False
    header_written: bool = False
    duplicates: int = 0  # keys found on more than one sheet row (all are kept in step)
    error: str = ""


@dataclass
class CycleReport:
    sheets: dict[str, SheetReport] = field(
        default_factory=lambda: {title: SheetReport() for title in MIRRORED_SHEETS})
    calls: dict[str, int] = field(default_factory=dict)
    idle: bool = False  # nothing was due: no request was sent

    @property
    def more(self) -> bool:
        """Rows are still due because this cycle hit the payload cap: run another cycle now."""
        return any(report.deferred for report in self.sheets.values())

    @property
    def errors(self) -> dict[str, str]:
        return {title: report.error for title, report in self.sheets.items() if report.error}

    def summary(self) -> str:
        if self.idle:
            return "Sheets mirror: nothing to do."
        parts = []
        for title, report in self.sheets.items():
            bits = [f"{report.updated} updated", f"{report.appended} appended"]
            if report.deferred:
                bits.append(f"{report.deferred} deferred")
            if report.created:
                bits.append("tab created")
            if report.error:
                bits.append(f"ERROR: {report.error}")
            parts.append(f"{title}: {', '.join(bits)}")
        calls = ", ".join(f"{kind} {count}" for kind, count in sorted(self.calls.items()))
        return "Sheets mirror: " + "; ".join(parts) + f" (API calls: {calls or 'none'})"


def max_payload_bytes() -> int:
    return int(getattr(settings, "SHEETS_MAX_PAYLOAD_BYTES", DEFAULT_MAX_PAYLOAD_BYTES))


def sync_cycle(*, api: SheetsApi | None = None, payload_cap: int | None = None) -> CycleReport:
    """Run one cycle. Raises SheetsError when Google keeps failing; what was confirmed stays recorded."""
    report = CycleReport()
    due = {title: selectors.rows_due(title) for title in MIRRORED_SHEETS}
    if not any(due.values()):
        report.idle = True
        return report
    api = api or connect()
    cap = payload_cap or max_payload_bytes()
    try:
        created = _ensure_tabs(api, report)
        for title in created:
            # A recreated tab is empty: everything that was in it is due again.
            if state.forget_sheet(title):
                due[title] = selectors.rows_due(title)
        to_read = [title for title in MIRRORED_SHEETS if due[title] and title not in created]
        found = _read_headers_and_keys(api, to_read)
        for title in MIRRORED_SHEETS:
            if title not in created and title not in found:
                continue
            header, keys = found.get(title, ([], []))
            _sync_sheet(api, LAYOUTS[title], due[title], header, keys, report.sheets[title], cap,
                        new_tab=title in created)
    finally:
        report.calls = dict(api.calls)
    return report


def _ensure_tabs(api: SheetsApi, report: CycleReport) -> list[str]:
    """Add missing tabs and widen tabs too narrow for their layout, in one request."""
    tabs = api.tabs()
    requests, created = [], []
    for title in MIRRORED_SHEETS:
        layout = LAYOUTS[title]
        tab = tabs.get(title)
        if tab is None:
            requests.append({"addSheet": {"properties": {"title": title, "gridProperties": {
                "rowCount": NEW_TAB_ROWS, "columnCount": max(NEW_TAB_MIN_COLUMNS, layout.width)}}}})
            created.append(title)
        elif tab.col_count < layout.width:
            requests.append({"appendDimension": {"sheetId": tab.sheet_id, "dimension": "COLUMNS",
                                                 "length": layout.width - tab.col_count}})
    if requests:
        api.change_structure(requests)
        for title in created:
            report.sheets[title].created = True
    return created


def _read_headers_and_keys(api: SheetsApi, titles: list[str]) -> dict[str, tuple[list, list]]:
    if not titles:
        return {}
    ranges = []
    for title in titles:
        ranges += [LAYOUTS[title].header_range(), LAYOUTS[title].key_range()]
    values = api.read(ranges)
    return {title: ((values[2 * i] or [[]])[0], values[2 * i + 1]) for i, title in enumerate(titles)}


def _sync_sheet(api: SheetsApi, layout: SheetLayout, due: list[DueRow], header: list, keys: list,
                report: SheetReport, cap: int, *, new_tab: bool) -> None:
    header_check = check_header(layout, header)
    if header_check.error:
        report.error = f"{header_check.error}; the sheet is left alone until it does"
        logger.error("Sheets mirror: %s: %s", layout.title, header_check.error)
        return
    if header_check.empty and not new_tab and MirroredRow.objects.filter(sheet=layout.title).exists():
        # No header at all: the tab was most likely cleared, so write everything again.
        # Rows still present are found by id below and rewritten in place, never duplicated.
        state.forget_sheet(layout.title)
        due = selectors.rows_due(layout.title)
    positions = _positions(layout, keys)
    in_place, new = [], []
    for row in due:
        rows_at = positions.get(row.key)
        if rows_at:
            in_place.append((row, rows_at))
            report.duplicates += int(len(rows_at) > 1)
        else:
            new.append(row)
    if report.duplicates:
        logger.warning("Sheets mirror: %s: %d ids appear on several rows; all of them are kept up to date.",
                       layout.title, report.duplicates)
    with_header = new_tab or header_check.incomplete
    report.header_written = with_header
    _write_in_place(api, layout, in_place, report, cap, with_header=with_header)
    _append_new(api, layout, new, report, cap)


def _positions(layout: SheetLayout, keys: list) -> dict[str, list[int]]:
    """Sheet row numbers (1-based) of every key in the id column; row 1 is the header."""
    positions: dict[str, list[int]] = defaultdict(list)
    for index, cells in enumerate(keys[1:], start=2):
        key = sheet_row_key(layout, cells)
        if key and key != "|":
            positions[key].append(index)
    return positions


def _size(value) -> int:
    # The same encoding requests uses for the body, so the estimate is the real size.
    return len(json.dumps(value, allow_nan=False))


def changed_span(written: list | None, cells: list) -> tuple[int, int] | None:
    """First and last column that differ from what was written (None: nothing to send).

    Unknown previous content means the whole row. Only the span between the
    two is sent, so approving 10,000 requests sends their status columns, not
    10,000 whole rows.
    """
    if written is None or len(written) != len(cells):
        return 0, len(cells) - 1
    changed = [index for index, (old, new) in enumerate(zip(written, cells, strict=True))
               if new is not None and old != new]
    return (changed[0], changed[-1]) if changed else None


def _write_in_place(api: SheetsApi, layout: SheetLayout, in_place: list[tuple[DueRow, list[int]]],
                    report: SheetReport, cap: int, *, with_header: bool) -> None:
    """One values batchUpdate: the header if missing and the changed span of every found row.

    Consecutive sheet rows with the same span share one range. Rows whose
    cells did not change (only a version moved) need no request at all.
    """
    if not in_place and not with_header:
        return
    unchanged, writes = [], []
    for row, rows_at in in_place:
        span = changed_span(row.written_cells, row.cells)
        if span is None:
            unchanged.append(row)
        else:
            writes += [(row_number, span, row) for row_number in rows_at]
    writes.sort(key=lambda item: item[0])
    header = [{"range": layout.header_range(), "values": [list(layout.columns)]}] if with_header else []
    data, written, skipped = _plan_ranges(layout, writes, header, budget=None)
    if _size({"valueInputOption": "RAW", "data": data}) > cap:
        # Over the cap (rare: thousands of whole rows): count row by row and leave the rest for later.
        data, written, skipped = _plan_ranges(layout, writes, header, budget=cap)
    report.deferred += len(skipped)
    if data:
        api.write(data)
    done = written + unchanged
    if done:
        state.record_written(layout.title, [(row.object_id, row.version, row.cells) for row in done])
    done_ids = {row.object_id for row in done}
    report.updated += sum(len(rows_at) for row, rows_at in in_place if row.object_id in done_ids)


def _plan_ranges(layout: SheetLayout, writes: list[tuple[int, tuple[int, int], DueRow]], header: list[dict],
                 *, budget: int | None) -> tuple[list[dict], list[DueRow], set[int]]:
    """(ranges to send, rows fully sent, object ids left for later) for writes sorted by sheet row.

    With a budget, each row's cost is counted as it is added and rows that do
    not fit are left out; an object with several sheet rows waits as a whole
    if any of them does not fit (the rows of it already sent are harmless).
    """
    if budget is not None:
        budget -= _size({"valueInputOption": "RAW", "data": header}) + 2
    data, taken, skipped = list(header), {}, set()
    run: dict | None = None  # {"first", "last", "span", "values"}
    for row_number, span, row in writes:
        if row.object_id in skipped:
            continue
        values = row.cells[span[0]:span[1] + 1]
        extends = run is not None and row_number == run["last"] + 1 and span == run["span"]
        if budget is not None:
            # Extending a run costs the values and a few more digits in its range; a new run, its envelope.
            cost = _size(values) + 2 + 8 if extends else _size(
                {"range": _span_range(layout, span, row_number, row_number), "values": [values]}) + 2 + 8
            if cost > budget:
                skipped.add(row.object_id)
                continue
            budget -= cost
        if extends:
            run["values"].append(values)
            run["last"] = row_number
        else:
            if run is not None:
                data.append(_run_entry(layout, run))
            run = {"first": row_number, "last": row_number, "span": span, "values": [values]}
        taken[row.object_id] = row
    if run is not None:
        data.append(_run_entry(layout, run))
    return data, [row for object_id, row in taken.items() if object_id not in skipped], skipped


def _span_range(layout: SheetLayout, span: tuple[int, int], first_row: int, last_row: int) -> str:
    return f"{layout.quoted()}!{column_letter(span[0])}{first_row}:{column_letter(span[1])}{last_row}"


def _run_entry(layout: SheetLayout, run: dict) -> dict:
    return {"range": _span_range(layout, run["span"], run["first"], run["last"]), "values": run["values"]}


def _append_new(api: SheetsApi, layout: SheetLayout, new: list[DueRow], report: SheetReport, cap: int) -> None:
    """One append of the rows not found in the sheet, oldest first, below the payload cap."""
    blank = [row for row in new if is_blank(row.cells)]
    if blank:  # nothing to show and no row to clear: only remembered, so they are not due again
        state.record_written(layout.title, [(row.object_id, row.version, row.cells) for row in blank])
        new = [row for row in new if not is_blank(row.cells)]
    if not new:
        return
    rows = [layout.for_append(row.cells) for row in new]
    taken = len(rows)
    if _size({"majorDimension": "ROWS", "values": rows}) > cap:
        budget, taken = cap - _size({"majorDimension": "ROWS", "values": []}), 0
        for cells in rows:
            cost = _size(cells) + 2  # the row and its ", " separator
            if cost > budget:
                break
            budget -= cost
            taken += 1
        rows = rows[:taken]
    report.deferred += len(new) - taken
    if not rows:
        return
    api.append(layout.table_range(), rows)
    state.record_written(layout.title, [(row.object_id, row.version, row.cells) for row in new[:taken]])
    report.appended += taken

