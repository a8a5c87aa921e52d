"""Spin History: every legacy spin, matched by content and count (the legacy tab had no id).

Identical rows are legitimate (several spins in one second), so an earlier run's spins are claimed
by rows of the same content, one each, and the rest are new spins.
"""
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from ledger import legacy, selectors
from ledger.actors import Actor
from ledger.clubtime import club_time_text, parse_club_time
from ledger.errors import LedgerError
from ledger.models import Player, RewardStatus, Spin
from sync import selectors as sync_selectors, state
from sync.importer import cells
from sync.importer.cells import Refused, SheetRow
from sync.importer.report import SheetTally
from sync.layout import BACKEND_ID, SPIN_HISTORY, SPIN_ID, SPIN_WORDS, normalize_key, spin_id, status_from_word

MAX_PRIZE = 32
CHIPS_IN_PRIZE = re.compile(r"^(\d+)\s*chips?$", re.IGNORECASE)  # "10 Chips" with no Chips Amount


@dataclass(frozen=True)
class LegacySpin:
    player: Player
    prize: str
    chips: int
    at: datetime
    status: str
    decided_by: str
    decided_at: datetime | None

    @property
    def group(self) -> str:
        """What identical rows share: they are told apart by how many of them there are."""
        return f"{self.player.telegram_id}|{self.at.isoformat()}|{self.prize}|{self.chips}"


def import_spins(rows: list[SheetRow], tally: SheetTally, *, actor: Actor) -> list[tuple[int, str]]:
    """Import the tab; returns the (sheet row, Spin ID) of every legacy row, to write back."""
    backend_ids = selectors.existing_ids(Spin, [
        int(found.group(2)) for found in map(BACKEND_ID.match, (normalize_key(row[SPIN_ID]) for row in rows))
        if found and found.group(1) == "S"])
    players = selectors.players_by_telegram_id(cells.user_ids(rows))
    candidates, present_ids = [], set()
    for row in rows:
        backend = BACKEND_ID.match(normalize_key(row[SPIN_ID]))
        if backend and backend.group(1) == "S" and int(backend.group(2)) in backend_ids:
            present_ids.add(int(backend.group(2)))
            tally.present += 1
            continue
        try:
            if row[SPIN_ID]:
                raise Refused(f"Spin ID {row[SPIN_ID]!r} is not a spin of the backend")
            candidates.append((row.number, _parse(players, row)))
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)
    recorded: dict[str, list[int]] = defaultdict(list)
    for source_key, object_id in sync_selectors.imported_rows(SPIN_HISTORY):
        recorded[source_key.rsplit("#", 1)[0]].append(object_id)
    unclaimed = {group: [pk for pk in ids if pk not in present_ids] for group, ids in recorded.items()}
    spin_ids = []
    for number, spin in candidates:
        if unclaimed.get(spin.group):
            spin_ids.append((number, spin_id(unclaimed[spin.group].pop(0))))
            tally.present += 1
            continue
        try:
            with transaction.atomic():
                created = _create(number, spin, actor=actor)
                rank = len(recorded[spin.group]) + 1
                state.record_imported(SPIN_HISTORY, f"{spin.group}#{rank}", created.pk, row_shows_it=True)
        except LedgerError as exc:
            tally.refuse(number, exc)
            continue
        recorded[spin.group].append(created.pk)
        spin_ids.append((number, spin_id(created.pk)))
        tally.imported += 1
    return spin_ids


def _parse(players: dict[int, Player], row: SheetRow) -> LegacySpin:
    player = cells.known_player(players, row["User ID"])
    prize = cells.text(row["Prize Won"], 64)
    if not prize:
        raise Refused("no Prize Won")
    if len(prize) > MAX_PRIZE:
        raise Refused(f"Prize Won {prize!r} is longer than {MAX_PRIZE} characters")
    chips_text = row["Chips Amount"]
    if not chips_text:
        found = CHIPS_IN_PRIZE.match(prize)
        chips_text = found.group(1) if found else "0"
    chips = cells.count(chips_text, "Chips Amount")
    at = parse_club_time(row["Timestamp"])
    if at is None:
        raise Refused(f"Timestamp {row['Timestamp']!r} is not a YYYY-MM-DD HH:MM:SS time")
    word = status_from_word(row["Status"], SPIN_WORDS)
    if chips == 0:
        status = RewardStatus.AUTO  # nothing was won, so there is nothing to decide
    elif word in (RewardStatus.PENDING, RewardStatus.APPROVED, RewardStatus.REJECTED):
        status = word
    else:
        raise Refused(f"a win of {chips} chips needs status Pending, Approved or Rejected, "
                      f"not {row['Status'].lower()!r}")
    decided = status in (RewardStatus.APPROVED, RewardStatus.REJECTED)
    return LegacySpin(player=player, prize=prize, chips=chips, at=at, status=status,
                      decided_by=(cells.text(row["Approved By"], 128) or "legacy sheet") if decided else "",
                      decided_at=(parse_club_time(row["Approved At"]) or at) if decided else None)


def _create(number: int, spin: LegacySpin, *, actor: Actor) -> Spin:
    return legacy.legacy_spin_create(
        player=spin.player, prize=spin.prize, chips=spin.chips, status=spin.status, created_at=spin.at,
        decided_at=spin.decided_at, decided_by=spin.decided_by,
        rejection_reason="Rejected in the legacy sheet" if spin.status == RewardStatus.REJECTED else "",
        actor=actor, note=f"legacy Spin History row {number}, spun {club_time_text(spin.at)}")
