"""Deposits and Withdrawals: parsed first, then taken in in the order they were requested."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from ledger import legacy, selectors
from ledger.actors import Actor
from ledger.clubtime import club_time_text, parse_club_time
from ledger.errors import LedgerError
from ledger.models import Deposit, PaymentMethod, Player, RequestStatus, Withdrawal
from ledger.validators import clean_legacy_amount
from sync import selectors as sync_selectors, state
from sync.importer import cells
from sync.importer.cells import Refused, SheetRow
from sync.importer.report import SheetTally
from sync.layout import BACKEND_ID, DEPOSITS, REQUEST_WORDS, request_key, status_from_word, words_listed



@dataclass(frozen=True)
class LegacyRequest:
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


class _Tab:
    """What parsing a Deposits or Withdrawals row needs to know, read once for the whole tab."""

    def __init__(self, title: str, rows: list[SheetRow]):
        self.title = title
        self.model = Deposit if title == DEPOSITS else Withdrawal
        self.prefix = "D" if title == DEPOSITS else "W"
        self.methods = selectors.payment_methods_all()
        self.players = selectors.players_by_telegram_id(cells.user_ids(rows))
        self.imported = sync_selectors.imported_keys(title)
        self.backend_ids = selectors.existing_ids(self.model, [
            int(found.group(2)) for found in map(BACKEND_ID.match, (row["Request ID"].upper() for row in rows))
            if found and found.group(1) == self.prefix])
        self.seen: dict[str, int] = {}


def import_requests(title: str, rows: list[SheetRow], tally: SheetTally, *, actor: Actor) -> None:
    tab, parsed = _Tab(title, rows), []
    for row in rows:
        try:
            request = _parse(tab, row)
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)
            continue
        if request is None:
            tally.present += 1
        else:
            parsed.append(request)
    # In time order: the first approved deposit fixes the payout name, a later pending one is the duplicate.
    for request in sorted(parsed, key=lambda r: (r.requested_at, r.row)):
        try:
            with transaction.atomic():
                created = _create(title, request, actor=actor)
                state.record_imported(title, request.key, created.pk, row_shows_it=True)
            tally.imported += 1
        except LedgerError as exc:
            tally.refuse(request.row, exc)


def _parse(tab: _Tab, row: SheetRow) -> LegacyRequest | None:
    """The row as a request to create; None if it is in the ledger already."""
    ref = cells.legacy_ref(row["Request ID"], column="Request ID", prefix=tab.prefix, backend_ids=tab.backend_ids,
                           noun="request")
    if ref is None:
        return None  # a row the mirror wrote
    player = cells.known_player(tab.players, row["User ID"])
    key = request_key(ref, player.telegram_id)
    if key in tab.seen:
        raise Refused(f"duplicate of row {tab.seen[key]} (same Request ID and User ID)")
    tab.seen[key] = row.number
    if key in tab.imported:
        return None
    amount = clean_legacy_amount(row["Amount"])
    method = _method(tab.methods, row["Payment Method"])
    status = status_from_word(row["Status"], REQUEST_WORDS)
    if status is None:
        raise Refused(f"status {row['Status']!r} is not {words_listed(REQUEST_WORDS)}")
    requested_at = parse_club_time(row["Requested At"]) or cells.time_from_legacy_id(ref)
    if requested_at is None:
        raise Refused(f"Requested At {row['Requested At']!r} is not a YYYY-MM-DD HH:MM:SS time")
    decided = status != RequestStatus.PENDING
    return LegacyRequest(
        row=row.number, key=key, ref=ref.upper(), player=player, amount=amount, method=method, status=status,
        requested_at=requested_at,
        decided_at=(parse_club_time(row["Processed At"]) or requested_at) if decided else None,
        decided_by=cells.text(row["Processed By"], 128) if decided else "",
        notes=cells.text(row["Notes"], 500), account_name=cells.text(row["Account Name"], 128),
        detail=cells.text(row["Transaction ID/Slip"], 256) if tab.model is Deposit else
        cells.text(row["Account Number"], 128),
        pppoker_id=cells.pppoker_id(row["PPPoker ID"]) or player.pppoker_id)


def _method(methods: list[PaymentMethod], text: str) -> PaymentMethod:
    wanted = text.strip().casefold()
    for method in methods:
        if wanted in (method.code.casefold(), method.label.casefold()):
            return method
    raise Refused(f"payment method {text!r} is not one of {', '.join(m.code for m in methods)}")


def _create(title: str, request: LegacyRequest, *, actor: Actor) -> Deposit | Withdrawal:
    common = dict(
        player=request.player, method=request.method, amount=request.amount, account_name=request.account_name,
        pppoker_id=request.pppoker_id, status=request.status, created_at=request.requested_at,
        legacy_ref=request.ref, actor=actor,
        note=f"legacy {title} row {request.row}, {request.ref}, requested {club_time_text(request.requested_at)}")
    if request.status != RequestStatus.PENDING:
        common.update(decided_at=request.decided_at, decided_by=request.decided_by or "legacy sheet",
                      rejection_reason=(request.notes or "Rejected in the legacy sheet")
                      if request.status == RequestStatus.REJECTED else "")
    if title == DEPOSITS:
        return legacy.legacy_deposit_create(proof=request.detail, **common)
    return legacy.legacy_withdrawal_create(account_number=request.detail, **common)
