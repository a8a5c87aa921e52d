"""The admins' spreadsheet as it was before the backend: its tabs, fixed headers.

Admins' filters and formulas depend on these titles, header words and column
positions, so they are kept exactly (domain.md, "The spreadsheet mirror"). The
only addition is `Spin ID`, the last column of Spin History, which the legacy
sheet lacked and without which a spin row could not be found again.

This module also checks a tab's header row, spells statuses as the sheets do,
turns a ledger row into the cells of its sheet row, and a cell read back from
Google into a comparable key; the mirror and the import both use it. A rendered cell of `None` means
"the backend has no value for this cell": Google skips nulls, so whatever an
admin typed there (a note, a legacy status) survives an update.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.clubtime import club_time_text, club_today
from ledger.models import RequestStatus, RewardStatus
from ledger.selectors.promotions import runs_on

USERS = "Users"
DEPOSITS = "Deposits"
WITHDRAWALS = "Withdrawals"
SPIN_USERS = "Spin Users"
SPIN_HISTORY = "Spin History"
SPIN_ID = "Spin ID"  # the one column the legacy layout lacked: the last of Spin History
PROMOTIONS = "Promotions"  # the deposit bonus promotions
PROMOTION_ELIGIBILITY = "Promotion Eligibility"  # the bonuses they paid
CASHBACK_PROMOTIONS = "Cashback Promotions"
CASHBACK_HISTORY = "Cashback History"  # recovery claims
JOIN_REQUESTS = "Join Requests"

# Sheets stores numbers as doubles: ids above 2^53 would silently lose digits.
MAX_EXACT_NUMBER = 2**53
# Ids the backend gives new rows: D12 (deposit), W7 (withdrawal), S40 (spin), P3 (promotion), C5 (recovery
# claim), J9 (join request).
BACKEND_ID = re.compile(r"^([DWSPCJ])(\d+)$")


@dataclass(frozen=True)
class SheetLayout:
    title: str
    columns: tuple[str, ...]
    # Columns read each cycle to find where each object's row is (0-based, contiguous).
    key_columns: tuple[int, ...]
    # Cells a new row gets where the rendering says "no backend value".
    append_defaults: dict[int, Any] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def last_column(self) -> str:
        return column_letter(self.width - 1)

    def quoted(self) -> str:
        return "'" + self.title.replace("'", "''") + "'"

    def header_range(self) -> str:
        return f"{self.quoted()}!A1:{self.last_column}1"

    def key_range(self) -> str:
        first, last = column_letter(self.key_columns[0]), column_letter(self.key_columns[-1])
        return f"{self.quoted()}!{first}:{last}"

    def table_range(self) -> str:
        return f"{self.quoted()}!A:{self.last_column}"

    def whole(self) -> str:
        return self.quoted()

    def index(self, column: str) -> int:
        return self.columns.index(column)

    def for_append(self, cells: list) -> list:
        return [self.append_defaults.get(i, "") if value is None else value for i, value in enumerate(cells)]


LAYOUTS: dict[str, SheetLayout] = {layout.title: layout for layout in (
    SheetLayout(USERS, ("User ID", "Username", "First Name", "Last Name", "PPPoker ID", "Registered At",
                        "Status", "Account Name"),
                key_columns=(0,), append_defaults={6: "Active"}),
    SheetLayout(DEPOSITS, ("Request ID", "User ID", "Username", "PPPoker ID", "Amount", "Payment Method",
                           "Account Name", "Transaction ID/Slip", "Status", "Requested At", "Processed At",
                           "Processed By", "Notes"),
                key_columns=(0, 1)),
    SheetLayout(WITHDRAWALS, ("Request ID", "User ID", "Username", "PPPoker ID", "Amount", "Payment Method",
                              "Account Name", "Account Number", "Status", "Requested At", "Processed At",
                              "Processed By", "Notes"),
                key_columns=(0, 1)),
    SheetLayout(SPIN_USERS, ("User ID", "Username", "Available Spins", "Total Spins Used", "Total Chips Earned",
                             "Total Deposit (MVR)", "Created At", "Last Spin At", "PPPoker ID"),
                key_columns=(0,)),
    SheetLayout(SPIN_HISTORY, ("User ID", "Username", "Prize Won", "Chips Amount", "Timestamp", "PPPoker ID",
                               "Status", "Approved By", "Approved At", SPIN_ID),
                key_columns=(9,)),
    SheetLayout(PROMOTIONS, ("Promotion ID", "Bonus Percentage", "Start Date", "End Date", "Status", "Created By",
                             "Created At"),
                key_columns=(0,)),
    # One row per bonus, found by its deposit: a backend deposit id alone, a legacy one with its user.
    SheetLayout(PROMOTION_ELIGIBILITY, ("User ID", "PPPoker ID", "Promotion ID", "Deposit Request ID",
                                        "Deposit Amount", "Bonus Amount", "Bonus Received At", "Notes"),
                key_columns=(0, 1, 2, 3)),
    SheetLayout(CASHBACK_PROMOTIONS, ("Promotion ID", "Cashback Percentage", "Start Date", "End Date", "Status",
                                      "Created By", "Created At"),
                key_columns=(0,)),
    SheetLayout(CASHBACK_HISTORY, ("Request ID", "User ID", "Username", "PPPoker ID", "Loss Amount",
                                   "Cashback Percentage", "Cashback Amount", "Promotion ID", "Status", "Requested At",
                                   "Approved/Rejected By", "Approved/Rejected At"),
                key_columns=(0, 1)),
    SheetLayout(JOIN_REQUESTS, ("Request ID", "User ID", "Username", "First Name", "Last Name", "PPPoker ID",
                                "Status", "Requested At", "Processed At", "Processed By"),
                key_columns=(0, 1)),
)}
SHEET_ORDER = (USERS, DEPOSITS, WITHDRAWALS, SPIN_USERS, SPIN_HISTORY, PROMOTIONS, PROMOTION_ELIGIBILITY,
               CASHBACK_PROMOTIONS, CASHBACK_HISTORY, JOIN_REQUESTS)
# The legacy Spin History ended at "Approved At"; the import accepts that header.
LEGACY_SPIN_HISTORY_WIDTH = 9


def column_letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def header_word(text: Any) -> str:
    """Header cells compare without case or spacing: "Transaction ID / Slip" is the same column."""
    return "".join(str(text or "").split()).casefold()


@dataclass(frozen=True)
class HeaderCheck:
    error: str = ""
    empty: bool = False  # no header at all: a new or cleared tab
    incomplete: bool = False  # some header cells blank (e.g. the legacy Spin History without Spin ID)


def check_header(layout: SheetLayout, header: list, *, required: int = 0) -> HeaderCheck:
    """Whether a tab's header row is the layout's; the first `required` columns may not be blank.

    Writing (or reading) by position under someone else's headers would scramble the admins' columns.
    """
    cells = [str(cell).strip() for cell in header[:layout.width]]
    cells += [""] * (layout.width - len(cells))
    wrong = [f"{column_letter(i)}1 is {cell!r}, expected {layout.columns[i]!r}" for i, cell in enumerate(cells)
             if (cell or i < required) and header_word(cell) != header_word(layout.columns[i])]
    if wrong:
        return HeaderCheck(error=f"the header row does not match the legacy layout ({'; '.join(wrong)})")
    return HeaderCheck(empty=not any(cells), incomplete=not all(cells))


# --- status words ------------------------------------------------------------------
# How the sheets spell each status. The mirror writes the first word of a status; the import reads
# every word, in any case: the legacy Withdrawals sheet said Completed for approved.
REQUEST_WORDS = {"Pending": RequestStatus.PENDING, "Approved": RequestStatus.APPROVED,
                 "Completed": RequestStatus.APPROVED, "Rejected": RequestStatus.REJECTED}
SPIN_WORDS = {"Auto": RewardStatus.AUTO, **REQUEST_WORDS}
# A promotion is Active today or Inactive (not started, over, or ended early).
PROMOTION_WORDS = {"Active": "ACTIVE", "Inactive": "INACTIVE"}


def status_word(status: str) -> str:
    return next(word for word, value in SPIN_WORDS.items() if value == status)


def status_from_word(word: str, words: dict[str, str]) -> str | None:
    """The status a sheet's word stands for, None if it is none of `words`."""
    wanted = word.strip().casefold()
    return next((value for spelled, value in words.items() if spelled.casefold() == wanted), None)


def words_listed(words: dict[str, str]) -> str:
    """"Pending, Approved, Completed or Rejected", for a refusal."""
    *most, last = words
    return f"{', '.join(most)} or {last}"


# --- cells -----------------------------------------------------------------------

def number(value: Decimal | int | None):
    """A plain number Sheets can sum: 500, 12.5; never "500.00" text."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def telegram_id(value: int):
    return value if value < MAX_EXACT_NUMBER else str(value)


def normalize_key(value: Any) -> str:
    """A cell read back from Google as a comparable key.

    Ids may come back as numbers (5000000001, 5000000001.0), as text with
    thousands separators, or with stray spaces and case; all compare equal.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    compact = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+(\.0*)?|[+-]?\d(\.\d+)?[eE]\+?\d+", compact):
        try:
            as_number = Decimal(compact)
        except ArithmeticError:
            return text.upper()
        if as_number == as_number.to_integral_value():
            return str(int(as_number))
    return text.upper()


def request_key(request_id: Any, user_id: Any) -> str:
    """Deposits and withdrawals: a backend id alone is unique; a legacy id only with its user."""
    request_id = normalize_key(request_id)
    if BACKEND_ID.match(request_id):
        return request_id
    return f"{request_id}|{normalize_key(user_id)}"


def sheet_row_key(layout: SheetLayout, cells: list) -> str:
    """The key of a sheet row, from the key columns as read (cells start at key_columns[0])."""
    def cell(index: int):
        return cells[index] if len(cells) > index else ""
    if layout.key_columns == (0, 1):
        return request_key(cell(0), cell(1))
    if layout.title == PROMOTION_ELIGIBILITY:  # the deposit's request id, and its user
        return request_key(cell(3), cell(0))
    return normalize_key(cell(0))


# --- ledger rows -> sheet rows ------------------------------------------------------
# Rows come from QuerySet.values(FIELDS): a sync of 10,000 rows need not build 30,000 model instances.

def _request_id(prefix: str, row: dict) -> str:
    return row["legacy_ref"] or f"{prefix}{row['id']}"


def _notes(row: dict):
    # The backend only has something to say for rejections; other notes belong to the admins.
    return row["rejection_reason"] if row["status"] == RequestStatus.REJECTED and row["rejection_reason"] else None


USER_FIELDS = ("id", "telegram_id", "username", "first_name", "last_name", "pppoker_id", "created_at",
               "account_name")


def user_key(row: dict) -> str:
    return str(row["telegram_id"])


def render_user(row: dict) -> list:
    return [telegram_id(row["telegram_id"]), row["username"], row["first_name"], row["last_name"],
            row["pppoker_id"], club_time_text(row["created_at"]), None, row["account_name"]]


REQUEST_FIELDS = ("id", "legacy_ref", "player__telegram_id", "player__username", "pppoker_id", "amount",
                  "method__code", "account_name", "status", "created_at", "decided_at", "decided_by",
                  "rejection_reason")
DEPOSIT_FIELDS = REQUEST_FIELDS + ("proof",)
WITHDRAWAL_FIELDS = REQUEST_FIELDS + ("account_number",)


def deposit_key(row: dict) -> str:
    return request_key(_request_id("D", row), row["player__telegram_id"])


def render_deposit(row: dict) -> list:
    return [_request_id("D", row), telegram_id(row["player__telegram_id"]), row["player__username"],
            row["pppoker_id"], number(row["amount"]), row["method__code"], row["account_name"], row["proof"],
            status_word(row["status"]), club_time_text(row["created_at"]), club_time_text(row["decided_at"]),
            row["decided_by"], _notes(row)]


def withdrawal_key(row: dict) -> str:
    return request_key(_request_id("W", row), row["player__telegram_id"])


def render_withdrawal(row: dict) -> list:
    return [_request_id("W", row), telegram_id(row["player__telegram_id"]), row["player__username"],
            row["pppoker_id"], number(row["amount"]), row["method__code"], row["account_name"],
            row["account_number"], status_word(row["status"]), club_time_text(row["created_at"]),
            club_time_text(row["decided_at"]), row["decided_by"], _notes(row)]


SPIN_ACCOUNT_FIELDS = ("id", "player__telegram_id", "player__username", "player__pppoker_id", "available_spins",
                       "total_spins_used", "total_chips_won", "total_deposit_base", "created_at", "last_spin_at")


def spin_account_key(row: dict) -> str:
    return str(row["player__telegram_id"])


def render_spin_account(row: dict) -> list:
    return [telegram_id(row["player__telegram_id"]), row["player__username"], row["available_spins"],
            row["total_spins_used"], row["total_chips_won"], number(row["total_deposit_base"]),
            club_time_text(row["created_at"]), club_time_text(row["last_spin_at"]), row["player__pppoker_id"]]


SPIN_FIELDS = ("id", "player__telegram_id", "player__username", "player__pppoker_id", "prize", "chips",
               "created_at", "status", "decided_by", "decided_at")


def spin_id(pk: int) -> str:
    return f"S{pk}"


def spin_key(row: dict) -> str:
    return spin_id(row["id"])


def render_spin(row: dict) -> list:
    return [telegram_id(row["player__telegram_id"]), row["player__username"], row["prize"], row["chips"],
            club_time_text(row["created_at"]), row["player__pppoker_id"], status_word(row["status"]),
            row["decided_by"], club_time_text(row["decided_at"]), spin_id(row["id"])]


# --- promotions, bonuses, recovery claims, join requests ---------------------------

def _ref(prefix: str, legacy_ref: str, pk: int) -> str:
    return legacy_ref or f"{prefix}{pk}"


PROMOTION_FIELDS = ("id", "legacy_ref", "percentage", "starts_on", "ends_on", "ended_at", "created_by", "created_at")


def promotion_key(row: dict) -> str:
    return normalize_key(_ref("P", row["legacy_ref"], row["id"]))


def render_promotion(row: dict) -> list:
    active = runs_on(club_today(), starts_on=row["starts_on"], ends_on=row["ends_on"], ended_at=row["ended_at"])
    return [_ref("P", row["legacy_ref"], row["id"]), number(row["percentage"]), row["starts_on"].isoformat(),
            row["ends_on"].isoformat(), "Active" if active else "Inactive", row["created_by"],
            club_time_text(row["created_at"])]


BONUS_FIELDS = ("id", "player__telegram_id", "deposit__pppoker_id", "promotion__legacy_ref", "promotion_id",
                "deposit__legacy_ref", "deposit_id", "deposit__amount_base", "amount", "created_at")


def bonus_key(row: dict) -> str:
    return request_key(_ref("D", row["deposit__legacy_ref"], row["deposit_id"]), row["player__telegram_id"])


def render_bonus(row: dict) -> list:
    return [telegram_id(row["player__telegram_id"]), row["deposit__pppoker_id"],
            _ref("P", row["promotion__legacy_ref"], row["promotion_id"]),
            _ref("D", row["deposit__legacy_ref"], row["deposit_id"]), number(row["deposit__amount_base"]),
            number(row["amount"]), club_time_text(row["created_at"]), None]


CLAIM_FIELDS = ("id", "legacy_ref", "player__telegram_id", "player__username", "pppoker_id", "deposits_base",
                "percentage", "amount", "promotion__legacy_ref", "promotion_id", "status", "created_at",
                "decided_by", "decided_at")


def claim_key(row: dict) -> str:
    return request_key(_ref("C", row["legacy_ref"], row["id"]), row["player__telegram_id"])


def render_claim(row: dict) -> list:
    return [_ref("C", row["legacy_ref"], row["id"]), telegram_id(row["player__telegram_id"]),
            row["player__username"], row["pppoker_id"], number(row["deposits_base"]), number(row["percentage"]),
            number(row["amount"]), _ref("P", row["promotion__legacy_ref"], row["promotion_id"]),
            status_word(row["status"]), club_time_text(row["created_at"]), row["decided_by"],
            club_time_text(row["decided_at"])]


JOIN_FIELDS = ("id", "legacy_ref", "player__telegram_id", "player__username", "player__first_name",
               "player__last_name", "pppoker_id", "status", "created_at", "decided_at", "decided_by")


def join_key(row: dict) -> str:
    return request_key(_ref("J", row["legacy_ref"], row["id"]), row["player__telegram_id"])


def render_join(row: dict) -> list:
    return [_ref("J", row["legacy_ref"], row["id"]), telegram_id(row["player__telegram_id"]),
            row["player__username"], row["player__first_name"], row["player__last_name"], row["pppoker_id"],
            status_word(row["status"]), club_time_text(row["created_at"]), club_time_text(row["decided_at"]),
            row["decided_by"]]
