"""Seat Requests and User Credits: the seats the legacy bot gave, and what players still owe for them.

Seat Requests rows become seat requests with their legacy status (a pending one is then expired by the
worker like any seat nobody decided, and the player is told). User Credits rows whose status is Open
become OPEN credits, journaled, each on the approved seat request its Seat Request ID names, or on an
approved seat request made from the credit row itself when the Seat Requests tab has none. Settled and
Cleared credits owe nothing: they stay in the sheet as the admins' history and are not imported.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from ledger import legacy, selectors
from ledger.actors import Actor
from ledger.clubtime import club_time_text, parse_club_time
from ledger.errors import LedgerError
from ledger.models import CreditStatus, Player, RequestStatus, SeatRequest
from ledger.validators import clean_legacy_amount
from sync import selectors as sync_selectors, state
from sync.importer import cells
from sync.importer.cells import Refused, SheetRow
from sync.importer.report import SheetTally
from sync.layout import (
    BACKEND_ID, CREDIT_WORDS, SEAT_REQUESTS, SEAT_WORDS, USER_CREDITS, request_key, status_from_word, words_listed,
)

FROM_CREDIT = "legacy sheet"  # who decided a seat known only from its User Credits row


@dataclass(frozen=True)
class LegacySeat:
    row: int
    key: str
    ref: str
    player: Player
    amount: Decimal
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str
    reason: str
    pppoker_id: str


@dataclass(frozen=True)
class LegacyCredit:
    row: int
    key: str
    ref: str
    player: Player
    amount: Decimal
    created_at: datetime
    reminders: int
    pppoker_id: str


class _Tab:
    """What parsing a tab needs, read once for all its rows."""

    def __init__(self, title: str, rows: list[SheetRow], ref_column: str):
        self.title, self.ref_column = title, ref_column
        self.players = selectors.players_by_telegram_id(cells.user_ids(rows))
        self.imported = sync_selectors.imported_keys(title)
        self.backend_ids = selectors.existing_ids(SeatRequest, [
            int(found.group(2)) for found in map(BACKEND_ID.match, (row[ref_column].upper() for row in rows))
            if found and found.group(1) == "SR"])
        self.seen: dict[str, int] = {}

    def key_of(self, row: SheetRow) -> tuple[str, str, Player] | None:
        """(key, legacy ref, player) of a row to take in; None for a row the backend already has."""
        ref = cells.legacy_ref(row[self.ref_column], column=self.ref_column, prefix="SR",
                               backend_ids=self.backend_ids, noun="seat request")
        if ref is None:
            return None  # a row the mirror wrote
        player = cells.known_player(self.players, row["User ID"])
        key = request_key(ref, player.telegram_id)
        if key in self.seen:
            raise Refused(f"duplicate of row {self.seen[key]} (same {self.ref_column} and User ID)")
        self.seen[key] = row.number
        if key in self.imported:
            return None
        return key, ref.upper(), player


def import_seat_requests(rows: list[SheetRow], tally: SheetTally) -> None:
    tab, parsed = _Tab(SEAT_REQUESTS, rows, "Request ID"), []
    for row in rows:
        try:
            seat = _parse_seat(tab, row)
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)
            continue
        if seat is None:
            tally.present += 1
        else:
            parsed.append(seat)
    for seat in sorted(parsed, key=lambda s: (s.requested_at, s.row)):  # a later pending one is the duplicate
        try:
            with transaction.atomic():
                created = legacy.legacy_seat_request_create(
                    player=seat.player, amount=seat.amount, pppoker_id=seat.pppoker_id, status=seat.status,
                    created_at=seat.requested_at, decided_at=seat.decided_at, decided_by=seat.decided_by,
                    rejection_reason=seat.reason, legacy_ref=seat.ref)
                state.record_imported(SEAT_REQUESTS, seat.key, created.pk, row_shows_it=True)
            tally.imported += 1
        except LedgerError as exc:
            tally.refuse(seat.row, exc)


def _parse_seat(tab: _Tab, row: SheetRow) -> LegacySeat | None:
    found = tab.key_of(row)
    if found is None:
        return None
    key, ref, player = found
    amount = clean_legacy_amount(row["Amount"])
    status = status_from_word(row["Status"], SEAT_WORDS)
    if status is None:
        raise Refused(f"status {row['Status']!r} is not {words_listed(SEAT_WORDS)}")
    requested_at = parse_club_time(row["Requested At"]) or cells.time_from_legacy_id(ref)
    if requested_at is None:
        raise Refused(f"Requested At {row['Requested At']!r} is not a YYYY-MM-DD HH:MM:SS time")
    decided = status != RequestStatus.PENDING
    reason = ""
    if status == RequestStatus.REJECTED:
        expired = row["Status"].strip().casefold() == "expired"
        reason = cells.text(row["Notes"], 500) or ("expired" if expired else "Rejected in the legacy sheet")
    return LegacySeat(
        row=row.number, key=key, ref=ref, player=player, amount=amount, status=status, requested_at=requested_at,
        decided_at=(parse_club_time(row["Approved At"]) or requested_at) if decided else None,
        decided_by=(cells.text(row["Processed By"], 128) or FROM_CREDIT) if decided else "", reason=reason,
        pppoker_id=cells.pppoker_id(row["PPPoker ID"]) or player.pppoker_id)


def import_user_credits(rows: list[SheetRow], tally: SheetTally, *, actor: Actor) -> None:
    tab, parsed = _Tab(USER_CREDITS, rows, "Seat Request ID"), []
    for row in rows:
        try:
            credit = _parse_credit(tab, row, tally)
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)
            continue
        if credit is not None:
            parsed.append(credit)
    seats = selectors.seat_requests_by_legacy_ref({credit.ref for credit in parsed})
    for credit in sorted(parsed, key=lambda c: (c.created_at, c.row)):
        try:
            with transaction.atomic():
                seat = seats.get((credit.ref, credit.player.pk))
                from_tab = seat is not None
                seat = seat or _seat_from_credit_row(credit)
                created = legacy.legacy_credit_open(
                    seat_request=seat, amount=credit.amount, created_at=credit.created_at,
                    reminders_sent=credit.reminders, actor=actor,
                    note=f"legacy User Credits row {credit.row}, seat {credit.ref}, opened "
                         f"{club_time_text(credit.created_at)}")
                state.record_imported(USER_CREDITS, credit.key, created.pk, row_shows_it=True)
                if from_tab and sync_selectors.mirrored_ids(SEAT_REQUESTS, [seat.pk]):
                    # Its legacy row already says it has a credit: opening it here is no news for the sheet.
                    state.record_shown(SEAT_REQUESTS, seat.pk)
            tally.imported += 1
        except LedgerError as exc:
            tally.refuse(credit.row, exc)


def _parse_credit(tab: _Tab, row: SheetRow, tally: SheetTally) -> LegacyCredit | None:
    found = tab.key_of(row)
    if found is None:
        tally.present += 1
        return None
    key, ref, player = found
    status = status_from_word(row["Status"], CREDIT_WORDS)
    if status is None:
        raise Refused(f"status {row['Status']!r} is not {words_listed(CREDIT_WORDS)}")
    if status != CreditStatus.OPEN:
        tally.closed += 1  # nothing is owed: the sheet keeps it as history
        return None
    created_at = parse_club_time(row["Created At"]) or cells.time_from_legacy_id(ref)
    if created_at is None:
        raise Refused(f"Created At {row['Created At']!r} is not a YYYY-MM-DD HH:MM:SS time")
    return LegacyCredit(row=row.number, key=key, ref=ref, player=player,
                        amount=clean_legacy_amount(row["Credit Amount"], label="Credit Amount"),
                        created_at=created_at, reminders=cells.count(row["Reminder Count"], "Reminder Count"),
                        pppoker_id=cells.pppoker_id(row["PPPoker ID"]) or player.pppoker_id)


def _seat_from_credit_row(credit: LegacyCredit) -> SeatRequest:
    """The approved seat request an open credit stands on, when the Seat Requests tab does not have it.

    It is recorded as imported under its key, so a later import of the row the mirror then appends to
    Seat Requests finds it there instead of taking it in twice.
    """
    seat = legacy.legacy_seat_request_create(
        player=credit.player, amount=credit.amount, pppoker_id=credit.pppoker_id, status=RequestStatus.APPROVED,
        created_at=credit.created_at, decided_at=credit.created_at, decided_by=FROM_CREDIT, legacy_ref=credit.ref)
    state.record_imported(SEAT_REQUESTS, credit.key, seat.pk, row_shows_it=False)
    return seat
