"""Promotions, Cashback Promotions, Promotion Eligibility (the bonuses), Cashback History (recovery claims) and
Join Requests, each taken in when its tab is present, after the tabs they refer to."""
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from ledger import legacy_promotions, selectors
from ledger.actors import Actor
from ledger.clubtime import club_time_text, parse_club_time
from ledger.errors import LedgerError
from ledger.models import Bonus, CashbackClaim, Deposit, JoinRequest, Player, Promotion, PromotionKind, RequestStatus
from ledger.validators import clean_legacy_amount, clean_percentage
from sync import selectors as sync_selectors, state
from sync.importer import cells
from sync.importer.cells import Refused, SheetRow
from sync.importer.report import SheetTally
from sync.layout import (
    BACKEND_ID, CASHBACK_HISTORY, CASHBACK_PROMOTIONS, DEPOSITS, JOIN_REQUESTS, PROMOTION_ELIGIBILITY,
    PROMOTION_WORDS, PROMOTIONS, REQUEST_WORDS, normalize_key, request_key, status_from_word, words_listed,
)

KINDS = {PROMOTIONS: PromotionKind.DEPOSIT_BONUS, CASHBACK_PROMOTIONS: PromotionKind.CASHBACK}
PERCENTAGE_COLUMN = {PROMOTIONS: "Bonus Percentage", CASHBACK_PROMOTIONS: "Cashback Percentage"}


# --- cells ------------------------------------------------------------------------------------

def _day(text: str, label: str) -> date:
    """A legacy date cell: YYYY-MM-DD (slashes too), perhaps followed by a time."""
    try:
        return date.fromisoformat(text.strip().replace("/", "-")[:10])
    except ValueError:
        raise Refused(f"{label} {text!r} is not a YYYY-MM-DD date") from None


def _percentage(text: str, label: str):
    try:
        return clean_percentage(text.strip().rstrip("%").strip())
    except LedgerError as exc:
        raise Refused(f"{label}: {exc.message}") from None


class _Promotions:
    """The promotions of one kind by the id a sheet names them with: legacy ones the import took in, and
    the backend's own P12."""

    def __init__(self, title: str):
        self.kind = KINDS[title]
        self.by_key = dict(sync_selectors.imported_rows(title))
        self.objects = {promotion.pk: promotion for promotion in Promotion.objects.filter(kind=self.kind)}

    def get(self, text: str) -> Promotion:
        key = normalize_key(text)
        backend = BACKEND_ID.match(key)
        pk = int(backend.group(2)) if backend and backend.group(1) == "P" else self.by_key.get(key)
        if pk not in self.objects:
            raise Refused(f"Promotion ID {text!r} is no {self.kind.label.lower()} promotion of the sheets")
        return self.objects[pk]


# --- promotions -----------------------------------------------------------------------------------

def import_promotions(title: str, rows: list[SheetRow], tally: SheetTally) -> None:
    imported = sync_selectors.imported_keys(title)
    backend_ids = set(Promotion.objects.filter(kind=KINDS[title]).values_list("pk", flat=True))
    seen: dict[str, int] = {}
    for row in rows:
        try:
            ref = cells.legacy_ref(row["Promotion ID"], column="Promotion ID", prefix="P", backend_ids=backend_ids,
                                   noun="row")
            if ref is None or ref in imported:
                tally.present += 1
                continue
            if ref in seen:
                raise Refused(f"duplicate of row {seen[ref]} (same Promotion ID)")
            seen[ref] = row.number
            active = status_from_word(row["Status"], PROMOTION_WORDS)
            if active is None:
                raise Refused(f"status {row['Status']!r} is not {words_listed(PROMOTION_WORDS)}")
            with transaction.atomic():
                promotion = legacy_promotions.legacy_promotion_create(
                    kind=KINDS[title], percentage=_percentage(row[PERCENTAGE_COLUMN[title]], "percentage"),
                    starts_on=_day(row["Start Date"], "Start Date"), ends_on=_day(row["End Date"], "End Date"),
                    ended=active == "INACTIVE", created_by=cells.text(row["Created By"], 128),
                    created_at=parse_club_time(row["Created At"]), legacy_ref=ref)
                state.record_imported(title, ref, promotion.pk, row_shows_it=True)
            tally.imported += 1
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)


# --- bonuses --------------------------------------------------------------------------------------

def import_bonuses(rows: list[SheetRow], tally: SheetTally, *, actor: Actor) -> None:
    """Each row is the bonus of one approved deposit (imported from Deposits, or the backend's D12)."""
    promotions = _Promotions(PROMOTIONS)
    players = selectors.players_by_telegram_id(cells.user_ids(rows))
    deposits = dict(sync_selectors.imported_rows(DEPOSITS))
    imported = sync_selectors.imported_keys(PROMOTION_ELIGIBILITY)
    with_bonus = set(Bonus.objects.values_list("deposit_id", flat=True))
    for row in rows:
        try:
            player = cells.known_player(players, row["User ID"])
            ref = row["Deposit Request ID"]
            if not ref:
                raise Refused("no Deposit Request ID")
            key = request_key(ref, player.telegram_id)
            backend = BACKEND_ID.match(key)
            if key in imported or (backend and backend.group(1) == "D" and int(backend.group(2)) in with_bonus):
                tally.present += 1
                continue
            deposit_id = int(backend.group(2)) if backend and backend.group(1) == "D" else deposits.get(key)
            deposit = Deposit.objects.filter(pk=deposit_id, player=player).select_related("player").first()
            if deposit is None:
                raise Refused(f"deposit {ref} of {player.telegram_id} is not in the ledger")
            with transaction.atomic():
                bonus = legacy_promotions.legacy_bonus_create(
                    deposit=deposit, promotion=promotions.get(row["Promotion ID"]),
                    amount=clean_legacy_amount(row["Bonus Amount"], label="Bonus Amount"),
                    created_at=parse_club_time(row["Bonus Received At"]), actor=actor,
                    note=f"legacy {PROMOTION_ELIGIBILITY} row {row.number}, deposit {ref}")
                state.record_imported(PROMOTION_ELIGIBILITY, key, bonus.pk, row_shows_it=True)
            tally.imported += 1
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)


# --- recovery claims and join requests ----------------------------------------------------------------

@dataclass(frozen=True)
class _Request:
    row: int
    key: str
    ref: str
    player: Player
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str


def _request(row: SheetRow, *, prefix: str, backend_ids: set[int], players, imported: set[str],
             seen: dict[str, int], decided_at: str, decided_by: str) -> _Request | None:
    """What a claim and a join request row share; None if it is in the ledger already."""
    ref = cells.legacy_ref(row["Request ID"], column="Request ID", prefix=prefix, backend_ids=backend_ids, noun="row")
    if ref is None:
        return None
    player = cells.known_player(players, row["User ID"])
    key = request_key(ref, player.telegram_id)
    if key in seen:
        raise Refused(f"duplicate of row {seen[key]} (same Request ID and User ID)")
    seen[key] = row.number
    if key in imported:
        return None
    status = status_from_word(row["Status"], REQUEST_WORDS)
    if status is None:
        raise Refused(f"status {row['Status']!r} is not {words_listed(REQUEST_WORDS)}")
    requested_at = parse_club_time(row["Requested At"]) or cells.time_from_legacy_id(ref)
    if requested_at is None:
        raise Refused(f"Requested At {row['Requested At']!r} is not a YYYY-MM-DD HH:MM:SS time")
    decided = status != RequestStatus.PENDING
    return _Request(row=row.number, key=key, ref=ref, player=player, status=status, requested_at=requested_at,
                    decided_at=(parse_club_time(row[decided_at]) or requested_at) if decided else None,
                    decided_by=(cells.text(row[decided_by], 128) or "legacy sheet") if decided else "")


def _decision(request: _Request) -> dict:
    return dict(status=request.status, created_at=request.requested_at, decided_at=request.decided_at,
                decided_by=request.decided_by, legacy_ref=request.ref,
                rejection_reason="Rejected in the legacy sheet" if request.status == RequestStatus.REJECTED else "")


def _take_in(title: str, parsed: list[tuple[_Request, SheetRow]], tally: SheetTally, create) -> None:
    for request, row in sorted(parsed, key=lambda item: (item[0].requested_at, item[0].row)):
        try:
            with transaction.atomic():
                created = create(request, row)
                state.record_imported(title, request.key, created.pk, row_shows_it=True)
            tally.imported += 1
        except (Refused, LedgerError) as exc:
            tally.refuse(request.row, exc)


def import_claims(rows: list[SheetRow], tally: SheetTally, *, actor: Actor) -> None:
    promotions = _Promotions(CASHBACK_PROMOTIONS)
    parsed = _parsed(rows, tally, prefix="C", model=CashbackClaim, title=CASHBACK_HISTORY,
                     decided_at="Approved/Rejected At", decided_by="Approved/Rejected By")

    def create(request: _Request, row: SheetRow) -> CashbackClaim:
        return legacy_promotions.legacy_cashback_claim_create(
            player=request.player, promotion=promotions.get(row["Promotion ID"]),
            deposits_base=clean_legacy_amount(row["Loss Amount"], label="Loss Amount"),
            percentage=_percentage(row["Cashback Percentage"], "Cashback Percentage"),
            amount=clean_legacy_amount(row["Cashback Amount"], label="Cashback Amount"),
            pppoker_id=cells.pppoker_id(row["PPPoker ID"]) or request.player.pppoker_id, actor=actor,
            note=f"legacy {CASHBACK_HISTORY} row {request.row}, {request.ref}, requested "
                 f"{club_time_text(request.requested_at)}", **_decision(request))

    _take_in(CASHBACK_HISTORY, parsed, tally, create)


def import_join_requests(rows: list[SheetRow], tally: SheetTally) -> None:
    parsed = _parsed(rows, tally, prefix="J", model=JoinRequest, title=JOIN_REQUESTS, decided_at="Processed At",
                     decided_by="Processed By")

    def create(request: _Request, row: SheetRow) -> JoinRequest:
        pppoker_id = cells.pppoker_id(row["PPPoker ID"]) or request.player.pppoker_id
        if not pppoker_id:
            raise Refused("no PPPoker ID, in the row or on the player")
        return legacy_promotions.legacy_join_request_create(player=request.player, pppoker_id=pppoker_id,
                                                            **_decision(request))

    _take_in(JOIN_REQUESTS, parsed, tally, create)


def _parsed(rows: list[SheetRow], tally: SheetTally, *, prefix: str, model, title: str, decided_at: str,
            decided_by: str) -> list[tuple[_Request, SheetRow]]:
    players = selectors.players_by_telegram_id(cells.user_ids(rows))
    backend_ids = set(model.objects.filter(legacy_ref="").values_list("pk", flat=True))
    imported, seen, parsed = sync_selectors.imported_keys(title), {}, []
    for row in rows:
        try:
            request = _request(row, prefix=prefix, backend_ids=backend_ids, players=players, imported=imported,
                               seen=seen, decided_at=decided_at, decided_by=decided_by)
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)
            continue
        if request is None:
            tally.present += 1
        else:
            parsed.append((request, row))
    return parsed
