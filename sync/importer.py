"""The one-time import of the legacy spreadsheet into the ledger.

Reads the five legacy tabs (layout in domain.md), decides which rows to take,
and hands each to the ledger's legacy services (`ledger/legacy.py`), which
create players, spin accounts with their opening balance, deposits,
withdrawals and spins, and journal that history so that `check_ledger` holds
after an import, announcing none of it. This module holds no ledger rules: it
parses cells, and turns the services' refusals (`LedgerError`) into refused
rows. Each source row is imported in its own transaction: the service call
and the row's `ImportedRow`, which makes the import idempotent: a second run
finds every row already taken in and changes nothing. Rows that cannot be
imported are refused one by one, each with its reason; `--dry-run` runs
everything inside a transaction that is rolled back.

Legacy rows and the mirror: deposits, withdrawals and spins imported from a
row are marked as already mirrored at their current version, so the mirror
leaves those rows exactly as admins know them (notes, legacy words) until the
request changes in the backend; then it rewrites the row in place, found by
its legacy Request ID and User ID (legacy ids are not unique on their own).
Spin History had no id column, so the import writes each imported spin's id
into the new Spin ID column (one batch); without it a later decision on a
legacy spin could not find its row. Users and Spin Users rows are not marked:
the mirror rewrites them in place on its next cycle with the ledger's totals.

Legacy request ids that appear twice for the same user are refused as
duplicates; the same id for different users is two requests (the legacy ids
have one-second resolution). Identical spin rows are legitimate (several spins
in one second), so spins are matched by content and count instead.

Cut-over order: import before the mirror first writes to the legacy
spreadsheet (keep the worker stopped, or SPREADSHEET_ID unset, until then).
The mirror rewrites the Spin Users row of every player it knows, and a legacy
balance it has overwritten can no longer be imported. Rows the mirror wrote
(backend ids D12 / W7 / S40, Spin Users rows it recorded) are never imported
back, so running the import after the mirror started changes nothing. The
import holds the mirror's lock while it runs.
"""
import re
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from ledger import legacy
from ledger.actors import system_actor
from ledger.errors import LedgerError
from ledger.models import (
    Deposit, PaymentMethod, Player, RequestStatus, RewardStatus, Spin, SpinAccount, Withdrawal,
)
from sync import selectors, state
from sync.client import SheetsApi, SheetsError
from sync.layout import (
    BACKEND_ID, DEPOSITS, LAYOUTS, LEGACY_SPIN_HISTORY_WIDTH, SHEET_ORDER, SPIN_HISTORY, SPIN_USERS, USERS,
    WITHDRAWALS, column_letter, header_word, local_time, normalize_key, request_key, spin_id,
)
from sync.models import ImportedRow, MirroredRow

ACTOR = system_actor("import")  # "system import" in the journal
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_TELEGRAM_ID = 2**63 - 1
IMPORT_ORDER = (USERS, SPIN_USERS, DEPOSITS, WITHDRAWALS, SPIN_HISTORY)
REQUEST_STATUSES = {"pending": RequestStatus.PENDING, "approved": RequestStatus.APPROVED,
                    "completed": RequestStatus.APPROVED, "rejected": RequestStatus.REJECTED}
CURRENCY_WORDS = re.compile(r"^(?:MVR|RF|USDT|USD|\$)|(?:MVR|RF|USDT|USD|\$)$", re.IGNORECASE)
LEGACY_ID_TIME = re.compile(r"^[A-Z]+(\d{14})$")


class Refused(Exception):
    """This source row cannot be imported; the message says why."""


# --- report ---------------------------------------------------------------------------

@dataclass
class SheetTally:
    imported: int = 0
    present: int = 0  # imported by an earlier run, or already a backend row
    blank: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (sheet row number, reason)
    missing: str = ""  # why nothing was read from this tab


@dataclass
class ImportReport:
    dry_run: bool
    sheets: dict[str, SheetTally] = field(default_factory=lambda: {title: SheetTally() for title in IMPORT_ORDER})
    spin_ids_written: int = 0
    sheet_error: str = ""

    @property
    def refused(self) -> int:
        return sum(len(tally.refused) for tally in self.sheets.values())

    def lines(self) -> list[str]:
        lines = ["Dry run: nothing was written." if self.dry_run else "Import of the legacy sheets:"]
        for title, tally in self.sheets.items():
            if tally.missing:
                lines.append(f"  {title}: not imported: {tally.missing}")
                continue
            lines.append(f"  {title}: {tally.imported} imported, {tally.present} already present, "
                         f"{len(tally.refused)} refused, {tally.blank} blank rows skipped")
        if self.spin_ids_written:
            lines.append(f"  Spin History: Spin ID written on {self.spin_ids_written} rows")
        if self.refused:
            lines.append("Refused rows:")
            for title, tally in self.sheets.items():
                lines += [f"  {title} row {row}: {reason}" for row, reason in sorted(tally.refused)]
        if self.sheet_error:
            lines.append(f"Could not write Spin IDs to the sheet ({self.sheet_error}); run the import again "
                         "to finish: the ledger rows are in and will not be imported twice.")
        return lines


# --- cell parsing -------------------------------------------------------------------------

def _cell(row: list, index: int) -> str:
    return str(row[index]).strip() if index < len(row) and row[index] is not None else ""


def _user_id(text: str) -> int:
    key = normalize_key(text)
    if not key:
        raise Refused("no User ID")
    if not key.isdigit() or not 0 < int(key) <= MAX_TELEGRAM_ID:
        raise Refused(f"User ID {text!r} is not a Telegram id")
    return int(key)


def _amount(text: str, label: str = "amount") -> Decimal:
    compact = CURRENCY_WORDS.sub("", text.replace(",", "").replace(" ", "")).strip()
    try:
        amount = Decimal(compact)
    except InvalidOperation:
        raise Refused(f"{label} {text!r} is not a number") from None
    if not amount.is_finite() or amount <= 0:
        raise Refused(f"{label} {text!r} is not greater than zero")
    if amount != amount.quantize(CENT) or amount > MAX_AMOUNT:
        raise Refused(f"{label} {text!r} has more than two decimals or is too large")
    return amount.quantize(CENT)


def _count(text: str, label: str) -> int:
    compact = text.replace(",", "").replace(" ", "") or "0"
    try:
        value = Decimal(compact)
    except InvalidOperation:
        raise Refused(f"{label} {text!r} is not a number") from None
    if not value.is_finite() or value < 0 or value != value.to_integral_value() or value > 2**31 - 1:
        raise Refused(f"{label} {text!r} is not a whole number of zero or more")
    return int(value)


def _time(text: str) -> datetime | None:
    """A legacy timestamp: club-local YYYY-MM-DD HH:MM:SS (or ISO 8601); None if blank or unreadable."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_default_timezone())
    return value


def _time_from_legacy_id(ref: str) -> datetime | None:
    match = LEGACY_ID_TIME.match(ref.upper())
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=timezone.get_default_timezone())
    except ValueError:
        return None


def _username(text: str) -> str:
    return " ".join(text.lstrip("@").split())[:64]


def _pppoker(text: str) -> str:
    digits = normalize_key(text)
    return digits if digits.isascii() and digits.isdigit() and 3 <= len(digits) <= 32 else ""


def _text(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def _request_status(text: str) -> str:
    status = REQUEST_STATUSES.get(text.strip().lower())
    if status is None:
        raise Refused(f"status {text!r} is not Pending, Approved, Completed or Rejected")
    return status


# --- the import -----------------------------------------------------------------------------

@dataclass
class _Request:
    """A parsed deposit or withdrawal row, applied later in time order."""
    row: int
    key: str
    ref: str
    player: Player
    amount: Decimal
    method: PaymentMethod
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str
    notes: str
    account_name: str
    detail: str  # proof (deposit) or account number (withdrawal)
    pppoker_id: str


class LegacyImport:
    def __init__(self, api: SheetsApi, *, dry_run: bool):
        self.api = api
        self.report = ImportReport(dry_run=dry_run)
        self.methods = list(PaymentMethod.objects.all())
        self.spin_id_cells: list[tuple[int, str]] = []  # (sheet row, Spin ID) to write
        self.spin_tab = None

    def run(self) -> ImportReport:
        sheets = self._read()
        # A dry run is the real run inside one transaction that is rolled back, so it refuses
        # exactly what the real run would. A real run commits row by row.
        with transaction.atomic() if self.report.dry_run else nullcontext():
            self._import_users(sheets.get(USERS))
            self._import_spin_users(sheets.get(SPIN_USERS))
            self._import_requests(DEPOSITS, sheets.get(DEPOSITS))
            self._import_requests(WITHDRAWALS, sheets.get(WITHDRAWALS))
            self._import_spins(sheets.get(SPIN_HISTORY))
            if self.report.dry_run:
                transaction.set_rollback(True)
        if not self.report.dry_run:
            self._write_spin_ids()
        return self.report

    # -- reading
    def _read(self) -> dict[str, list[list]]:
        tabs = self.api.tabs()
        self.spin_tab = tabs.get(SPIN_HISTORY)
        present = [title for title in SHEET_ORDER if title in tabs]
        for title in SHEET_ORDER:
            if title not in tabs:
                self.report.sheets[title].missing = "the tab does not exist"
        values = self.api.read([LAYOUTS[title].whole() for title in present]) if present else []
        sheets = {}
        for title, rows in zip(present, values):
            problem = self._header_problem(title, rows[0] if rows else [])
            if problem:
                self.report.sheets[title].missing = problem
            else:
                sheets[title] = rows
        return sheets

    @staticmethod
    def _header_problem(title: str, header: list) -> str:
        columns = LAYOUTS[title].columns
        required = columns[:LEGACY_SPIN_HISTORY_WIDTH] if title == SPIN_HISTORY else columns
        have = [str(cell) for cell in header]
        for index, name in enumerate(required):
            cell = have[index] if index < len(have) else ""
            if header_word(cell) != header_word(name):
                return f"the header row does not match the legacy layout ({column_letter(index)}1 is {cell!r}, " \
                       f"expected {name!r})"
        if title == SPIN_HISTORY and len(have) > len(required):
            extra = have[len(required)]
            if extra.strip() and header_word(extra) != header_word(columns[-1]):
                return f"J1 is {extra!r}; the import needs column J for Spin ID"
        return ""

    def _rows(self, title: str, rows: list[list] | None):
        """(sheet row number, cells) of non-blank data rows; counts blank ones."""
        width = LEGACY_SPIN_HISTORY_WIDTH if title == SPIN_HISTORY else LAYOUTS[title].width
        for number, row in enumerate((rows or [])[1:], start=2):
            if not any(_cell(row, index) for index in range(width)):
                self.report.sheets[title].blank += 1
                continue
            yield number, row

    def _refuse(self, title: str, row: int, reason: str) -> None:
        self.report.sheets[title].refused.append((row, reason))

    def _player(self, text: str) -> Player:
        telegram_id = _user_id(text)
        player = Player.objects.filter(telegram_id=telegram_id).first()
        if player is None:
            raise Refused(f"User ID {telegram_id} is in neither Users nor Spin Users")
        return player

    # -- Users
    def _import_users(self, rows) -> None:
        if rows is None:
            return
        tally, seen = self.report.sheets[USERS], {}
        for number, row in self._rows(USERS, rows):
            try:
                telegram_id = _user_id(_cell(row, 0))
                if telegram_id in seen:
                    raise Refused(f"duplicate of row {seen[telegram_id]} (same User ID)")
                seen[telegram_id] = number
                if Player.objects.filter(telegram_id=telegram_id).exists():
                    tally.present += 1
                    continue
                with transaction.atomic():
                    player = self._create_player(
                        telegram_id, username=_cell(row, 1), first_name=_cell(row, 2), last_name=_cell(row, 3),
                        pppoker_id=_cell(row, 4), registered=_time(_cell(row, 5)),
                        account_name=_cell(row, 7))
                    ImportedRow.objects.create(sheet=USERS, source_key=str(telegram_id), object_id=player.pk)
                tally.imported += 1
            except (Refused, LedgerError) as exc:
                self._refuse(USERS, number, str(exc))

    @staticmethod
    def _create_player(telegram_id, *, username, first_name="", last_name="", pppoker_id="", registered=None,
                       account_name="") -> Player:
        return legacy.legacy_player_create(
            telegram_id=telegram_id, username=_username(username), first_name=_text(first_name, 128),
            last_name=_text(last_name, 128), pppoker_id=_pppoker(pppoker_id), account_name=_text(account_name, 128),
            registered_at=registered)

    # -- Spin Users: the opening balance
    def _import_spin_users(self, rows) -> None:
        if rows is None:
            return
        tally, seen = self.report.sheets[SPIN_USERS], {}
        for number, row in self._rows(SPIN_USERS, rows):
            try:
                telegram_id = _user_id(_cell(row, 0))
                if telegram_id in seen:
                    raise Refused(f"duplicate of row {seen[telegram_id]} (same User ID)")
                seen[telegram_id] = number
                if ImportedRow.objects.filter(sheet=SPIN_USERS, source_key=str(telegram_id)).exists() or \
                        MirroredRow.objects.filter(sheet=SPIN_USERS, object_id__in=SpinAccount.objects.filter(
                            player__telegram_id=telegram_id).values("pk")).exists():
                    # Imported before, or a row the mirror wrote: it shows the ledger's own balance,
                    # and taking it as an opening balance would count those spins twice.
                    tally.present += 1
                    continue
                available = _count(_cell(row, 2), "Available Spins")
                last_spin = _time(_cell(row, 7))
                with transaction.atomic():
                    player = Player.objects.filter(telegram_id=telegram_id).first() or self._create_player(
                        telegram_id, username=_cell(row, 1), pppoker_id=_cell(row, 8),
                        registered=_time(_cell(row, 6)))
                    account = legacy.legacy_opening_balance(
                        player=player, spins=available, last_spin_at=last_spin, actor=ACTOR,
                        note=f"legacy Spin Users row {number}: opening balance")
                    ImportedRow.objects.create(sheet=SPIN_USERS, source_key=str(telegram_id), object_id=account.pk)
                tally.imported += 1
            except (Refused, LedgerError) as exc:
                self._refuse(SPIN_USERS, number, str(exc))

    # -- Deposits and Withdrawals
    def _import_requests(self, title: str, rows) -> None:
        if rows is None:
            return
        tally, seen, parsed = self.report.sheets[title], {}, []
        for number, row in self._rows(title, rows):
            try:
                request = self._parse_request(title, number, row, seen)
            except Refused as exc:
                self._refuse(title, number, str(exc))
                continue
            if request is None:
                tally.present += 1
            else:
                parsed.append(request)
        # In time order: the first approved deposit fixes the payout name, a later pending one is the duplicate.
        for request in sorted(parsed, key=lambda r: (r.requested_at, r.row)):
            try:
                with transaction.atomic():
                    if title == DEPOSITS:
                        self._create_deposit(request)
                    else:
                        self._create_withdrawal(request)
                tally.imported += 1
            except LedgerError as exc:
                self._refuse(title, request.row, str(exc))

    def _parse_request(self, title: str, number: int, row: list, seen: dict) -> _Request | None:
        ref = _cell(row, 0)
        if not ref:
            raise Refused("no Request ID")
        backend = BACKEND_ID.match(ref.upper())
        if backend:
            model = Deposit if title == DEPOSITS else Withdrawal
            if backend.group(1) == ("D" if title == DEPOSITS else "W") and \
                    model.objects.filter(pk=int(backend.group(2))).exists():
                return None  # a row the mirror wrote
            raise Refused(f"Request ID {ref} looks like a backend id but there is no such request")
        if len(ref) > 32:
            raise Refused(f"Request ID {ref!r} is longer than 32 characters")
        player = self._player(_cell(row, 1))
        key = request_key(ref, player.telegram_id)
        if key in seen:
            raise Refused(f"duplicate of row {seen[key]} (same Request ID and User ID)")
        seen[key] = number
        if ImportedRow.objects.filter(sheet=title, source_key=key).exists():
            return None
        amount = _amount(_cell(row, 4))
        method = self._method(_cell(row, 5))
        status = _request_status(_cell(row, 8))
        requested_at = _time(_cell(row, 9)) or _time_from_legacy_id(ref)
        if requested_at is None:
            raise Refused(f"Requested At {_cell(row, 9)!r} is not a YYYY-MM-DD HH:MM:SS time")
        decided_at = None
        if status != RequestStatus.PENDING:
            decided_at = _time(_cell(row, 10)) or requested_at
        return _Request(
            row=number, key=key, ref=ref.upper(), player=player, amount=amount, method=method, status=status,
            requested_at=requested_at, decided_at=decided_at,
            decided_by=_text(_cell(row, 11), 128) if status != RequestStatus.PENDING else "",
            notes=_text(_cell(row, 12), 500), account_name=_text(_cell(row, 6), 128),
            detail=_text(_cell(row, 7), 256 if title == DEPOSITS else 128),
            pppoker_id=_pppoker(_cell(row, 3)) or player.pppoker_id)

    def _method(self, text: str) -> PaymentMethod:
        wanted = text.strip().casefold()
        for method in self.methods:
            if wanted in (method.code.casefold(), method.label.casefold()):
                return method
        raise Refused(f"payment method {text!r} is not one of {', '.join(m.code for m in self.methods)}")

    def _decision(self, request: _Request) -> dict:
        if request.status == RequestStatus.PENDING:
            return {}
        return {"decided_at": request.decided_at, "decided_by": request.decided_by or "legacy sheet",
                "rejection_reason": (request.notes or "Rejected in the legacy sheet")
                if request.status == RequestStatus.REJECTED else ""}

    def _note(self, title: str, request: _Request) -> str:
        return f"legacy {title} row {request.row}, {request.ref}, requested {local_time(request.requested_at)}"

    def _create_deposit(self, request: _Request) -> None:
        deposit = legacy.legacy_deposit_create(
            player=request.player, method=request.method, amount=request.amount, account_name=request.account_name,
            proof=request.detail, pppoker_id=request.pppoker_id, status=request.status,
            created_at=request.requested_at, legacy_ref=request.ref, actor=ACTOR,
            note=self._note(DEPOSITS, request), **self._decision(request))
        self._record(DEPOSITS, request.key, deposit.pk)

    def _create_withdrawal(self, request: _Request) -> None:
        withdrawal = legacy.legacy_withdrawal_create(
            player=request.player, method=request.method, amount=request.amount, account_name=request.account_name,
            account_number=request.detail, pppoker_id=request.pppoker_id, status=request.status,
            created_at=request.requested_at, legacy_ref=request.ref, actor=ACTOR,
            note=self._note(WITHDRAWALS, request), **self._decision(request))
        self._record(WITHDRAWALS, request.key, withdrawal.pk)

    @staticmethod
    def _record(title: str, source_key: str, object_id: int) -> None:
        """Remember the source row, and that its sheet row already shows this object."""
        ImportedRow.objects.create(sheet=title, source_key=source_key, object_id=object_id)
        # Cells unknown (None): when the request changes, its whole row is rewritten in place.
        state.record_written(title, [(pk, version, None)
                                     for pk, version in selectors.row_versions(title, [object_id]).items()])

    # -- Spin History
    def _import_spins(self, rows) -> None:
        if rows is None:
            return
        tally = self.report.sheets[SPIN_HISTORY]
        candidates, present_ids = [], set()
        for number, row in self._rows(SPIN_HISTORY, rows):
            spin_cell = normalize_key(_cell(row, 9))
            backend = BACKEND_ID.match(spin_cell)
            if backend and backend.group(1) == "S" and Spin.objects.filter(pk=int(backend.group(2))).exists():
                present_ids.add(int(backend.group(2)))
                tally.present += 1
                continue
            try:
                if spin_cell:
                    raise Refused(f"Spin ID {_cell(row, 9)!r} is not a spin of the backend")
                candidates.append((number, self._parse_spin(row)))
            except Refused as exc:
                self._refuse(SPIN_HISTORY, number, str(exc))
        # Identical rows are several spins of the same second: match them by count, not by position.
        recorded: dict[str, list[int]] = defaultdict(list)
        for source_key, object_id in ImportedRow.objects.filter(sheet=SPIN_HISTORY).order_by("id").values_list(
                "source_key", "object_id"):
            recorded[source_key.rsplit("#", 1)[0]].append(object_id)
        unclaimed = {group: [pk for pk in ids if pk not in present_ids] for group, ids in recorded.items()}
        for number, spin in candidates:
            if unclaimed.get(spin["group"]):
                self.spin_id_cells.append((number, spin_id(unclaimed[spin["group"]].pop(0))))
                tally.present += 1
                continue
            try:
                with transaction.atomic():
                    spin_pk = self._create_spin(number, spin, rank=len(recorded[spin["group"]]) + 1)
            except LedgerError as exc:
                self._refuse(SPIN_HISTORY, number, str(exc))
                continue
            recorded[spin["group"]].append(spin_pk)
            self.spin_id_cells.append((number, spin_id(spin_pk)))
            tally.imported += 1

    def _parse_spin(self, row: list) -> dict:
        player = self._player(_cell(row, 0))
        prize = _text(_cell(row, 2), 64)
        if not prize:
            raise Refused("no Prize Won")
        if len(prize) > 32:
            raise Refused(f"Prize Won {prize!r} is longer than 32 characters")
        chips_text = _cell(row, 3)
        if not chips_text:
            found = re.match(r"^(\d+)\s*chips?$", prize, re.IGNORECASE)
            chips_text = found.group(1) if found else "0"
        chips = _count(chips_text, "Chips Amount")
        at = _time(_cell(row, 4))
        if at is None:
            raise Refused(f"Timestamp {_cell(row, 4)!r} is not a YYYY-MM-DD HH:MM:SS time")
        word = _cell(row, 6).lower()
        if chips == 0:
            status = RewardStatus.AUTO  # nothing was won, so there is nothing to decide
        elif word in ("pending", "approved", "completed", "rejected"):
            status = REQUEST_STATUSES[word]
        else:
            raise Refused(f"a win of {chips} chips needs status Pending, Approved or Rejected, not {word!r}")
        decided = status in (RewardStatus.APPROVED, RewardStatus.REJECTED)
        return {"player": player, "prize": prize, "chips": chips, "at": at, "status": status,
                "decided_by": (_text(_cell(row, 7), 128) or "legacy sheet") if decided else "",
                "decided_at": (_time(_cell(row, 8)) or at) if decided else None,
                "group": f"{player.telegram_id}|{at.isoformat()}|{prize}|{chips}"}

    def _create_spin(self, number: int, spin: dict, *, rank: int) -> int:
        row = legacy.legacy_spin_create(
            player=spin["player"], prize=spin["prize"], chips=spin["chips"], status=spin["status"],
            created_at=spin["at"], decided_at=spin["decided_at"], decided_by=spin["decided_by"],
            rejection_reason="Rejected in the legacy sheet" if spin["status"] == RewardStatus.REJECTED else "",
            actor=ACTOR, note=f"legacy Spin History row {number}, spun {local_time(spin['at'])}")
        ImportedRow.objects.create(sheet=SPIN_HISTORY, source_key=f"{spin['group']}#{rank}", object_id=row.pk)
        state.record_written(SPIN_HISTORY, [(pk, version, None)
                                            for pk, version in selectors.row_versions(SPIN_HISTORY, [row.pk]).items()])
        return row.pk

    def _write_spin_ids(self) -> None:
        """Put each imported spin's id in the Spin ID column of its legacy row: one values batchUpdate."""
        if not self.spin_id_cells:
            return
        layout = LAYOUTS[SPIN_HISTORY]
        column = column_letter(layout.width - 1)
        cells = dict(self.spin_id_cells)
        data = [{"range": f"{layout.quoted()}!{column}1", "values": [[layout.columns[-1]]]}]
        rows = sorted(cells)
        start = previous = rows[0]
        for number in rows[1:] + [None]:
            if number is not None and number == previous + 1:
                previous = number
                continue
            data.append({"range": f"{layout.quoted()}!{column}{start}:{column}{previous}",
                         "values": [[cells[n]] for n in range(start, previous + 1)]})
            if number is not None:
                start = previous = number
        try:
            if self.spin_tab is not None and self.spin_tab.col_count < layout.width:
                self.api.change_structure([{"appendDimension": {
                    "sheetId": self.spin_tab.sheet_id, "dimension": "COLUMNS",
                    "length": layout.width - self.spin_tab.col_count}}])
            self.api.write(data)
        except SheetsError as exc:
            self.report.sheet_error = str(exc)
            return
        self.report.spin_ids_written = len(cells)


def import_legacy_sheets(api: SheetsApi, *, dry_run: bool = False) -> ImportReport:
    return LegacyImport(api, dry_run=dry_run).run()
