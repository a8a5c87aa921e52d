"""Reading the legacy tabs and turning their cells into values the ledger's legacy services take.

Columns are addressed by their header name in the layout (`sync.layout`); the header check makes
sure the sheet's columns are where the layout says. Value rules are the ledger's own
(`ledger.validators`, `ledger.clubtime`); this module only says what a legacy cell may look like
and names the cell when it refuses one.
"""
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ledger.clubtime import on_club_clock
from ledger.errors import Invalid
from ledger.models import Player
from ledger.validators import clean_pppoker_id, clean_tally, clean_telegram_id
from sync.client import SheetsApi, Tab
from sync.importer.report import ImportReport, SheetTally
from sync.layout import (
    BACKEND_ID, LAYOUTS, LEGACY_SPIN_HISTORY_WIDTH, SHEET_ORDER, SPIN_HISTORY, check_header, normalize_key,
)

LEGACY_ID_TIME = re.compile(r"^[A-Z]+(\d{14})$")  # DEP20251126185456: requested on the club's clock


class Refused(Exception):
    """This source row cannot be imported; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # as admins see it: the header is row 1
    cells: list
    columns: tuple[str, ...]

    def __getitem__(self, column: str) -> str:
        index = self.columns.index(column)
        value = self.cells[index] if index < len(self.cells) else None
        return "" if value is None else str(value).strip()


# Legacy ids are kept as the rows' legacy_ref (32 characters).
MAX_LEGACY_REF = 32


def legacy_ref(text: str, *, column: str, prefix: str, backend_ids, noun: str) -> str | None:
    """A row's own id, upper-cased, for a row to take in; None for a row the mirror wrote (the backend's
    `prefix` + an id in `backend_ids`). Refused: none, a backend-looking id that is no such row, too long."""
    if not text:
        raise Refused(f"no {column}")
    backend = BACKEND_ID.match(text.upper())
    if backend:
        if backend.group(1) == prefix and int(backend.group(2)) in backend_ids:
            return None
        raise Refused(f"{column} {text} looks like a backend id but there is no such {noun}")
    if len(text) > MAX_LEGACY_REF:
        raise Refused(f"{column} {text!r} is longer than {MAX_LEGACY_REF} characters")
    return text.upper()


def read_tabs(api: SheetsApi, report: ImportReport) -> tuple[dict[str, list[list]], Tab | None]:
    """The legacy tabs whose header matches their layout (the others are noted in the report),
    in one batchGet, and the Spin History tab (Spin IDs are written to it)."""
    tabs = api.tabs()
    present = [title for title in SHEET_ORDER if title in tabs]
    for title in SHEET_ORDER:
        if title not in tabs:
            report.sheets[title].missing = "the tab does not exist"
    values = api.read([LAYOUTS[title].whole() for title in present]) if present else []
    sheets = {}
    for title, rows in zip(present, values, strict=True):
        problem = header_problem(title, rows[0] if rows else [])
        if problem:
            report.sheets[title].missing = problem
        else:
            sheets[title] = rows
    return sheets, tabs.get(SPIN_HISTORY)


def legacy_columns(title: str) -> tuple[str, ...]:
    """The columns the legacy tab had: all of the layout's but Spin History's Spin ID."""
    columns = LAYOUTS[title].columns
    return columns[:LEGACY_SPIN_HISTORY_WIDTH] if title == SPIN_HISTORY else columns


def header_problem(title: str, header: list) -> str:
    """Why the tab cannot be read by the layout's column names ("" if it can)."""
    return check_header(LAYOUTS[title], header, required=len(legacy_columns(title))).error


def data_rows(title: str, rows: list[list], tally: SheetTally) -> Iterator[SheetRow]:
    """The non-blank data rows of a tab; blank ones are counted."""
    columns, legacy = LAYOUTS[title].columns, legacy_columns(title)
    for number, cells in enumerate(rows[1:], start=2):
        row = SheetRow(number, cells, columns)
        if not any(row[column] for column in legacy):
            tally.blank += 1
            continue
        yield row


def user_id(text: str) -> int:
    key = normalize_key(text)
    if not key:
        raise Refused("no User ID")
    try:
        return clean_telegram_id(key)
    except Invalid:
        raise Refused(f"User ID {text!r} is not a Telegram id") from None


def user_ids(rows: list[SheetRow], column: str = "User ID") -> set[int]:
    """The readable Telegram ids of a tab (the unreadable are refused row by row)."""
    ids = set()
    for row in rows:
        try:
            ids.add(user_id(row[column]))
        except Refused:
            pass
    return ids


def known_player(players: dict[int, Player], text: str) -> Player:
    telegram_id = user_id(text)
    if telegram_id not in players:
        raise Refused(f"User ID {telegram_id} is in neither Users nor Spin Users")
    return players[telegram_id]


def count(text: str, label: str) -> int:
    """A count cell: blank is 0."""
    return clean_tally(text or "0", label=label)


def time_from_legacy_id(ref: str) -> datetime | None:
    match = LEGACY_ID_TIME.match(ref.upper())
    if not match:
        return None
    try:
        return on_club_clock(datetime.strptime(match.group(1), "%Y%m%d%H%M%S"))
    except ValueError:
        return None


def username(text: str) -> str:
    return " ".join(text.lstrip("@").split())[:64]


def pppoker_id(text: str) -> str:
    """A legacy PPPoker id, or "" for none or one that is not valid (the legacy bot checked nothing)."""
    try:
        return clean_pppoker_id(normalize_key(text))
    except Invalid:
        return ""


def text(value: str, limit: int) -> str:
    return " ".join(value.split())[:limit]
