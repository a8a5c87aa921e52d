"""Users and Spin Users: the players, and each one's legacy balance of spins."""
from django.db import transaction

from ledger import legacy, selectors
from ledger.actors import Actor
from ledger.clubtime import parse_club_time
from ledger.errors import LedgerError
from ledger.models import Player
from sync import selectors as sync_selectors, state
from sync.importer import cells
from sync.importer.cells import Refused, SheetRow
from sync.importer.report import SheetTally
from sync.layout import SPIN_USERS, USERS


def import_users(rows: list[SheetRow], tally: SheetTally) -> None:
    players, seen = selectors.players_by_telegram_id(cells.user_ids(rows)), {}
    for row in rows:
        try:
            telegram_id = _first_row_of(row, seen)
            if telegram_id in players:
                tally.present += 1
                continue
            with transaction.atomic():
                player = _create_player(
                    telegram_id, username=row["Username"], first_name=row["First Name"], last_name=row["Last Name"],
                    pppoker_id=row["PPPoker ID"], registered=row["Registered At"], account_name=row["Account Name"])
                state.record_imported(USERS, str(telegram_id), player.pk, row_shows_it=False)
            tally.imported += 1
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)


def import_spin_users(rows: list[SheetRow], tally: SheetTally, *, actor: Actor) -> None:
    """Available Spins becomes the player's opening balance; a player without a Users row is created."""
    telegram_ids = cells.user_ids(rows)
    players = selectors.players_by_telegram_id(telegram_ids)
    imported = sync_selectors.imported_keys(SPIN_USERS)
    accounts = selectors.spin_account_ids_by_telegram_id(telegram_ids)
    mirrored = sync_selectors.mirrored_ids(SPIN_USERS, accounts.values())
    seen = {}
    for row in rows:
        try:
            telegram_id = _first_row_of(row, seen)
            if str(telegram_id) in imported or accounts.get(telegram_id) in mirrored:
                # Imported before, or a row the mirror wrote: it shows the ledger's own balance,
                # and taking it as an opening balance would count those spins twice.
                tally.present += 1
                continue
            available = cells.count(row["Available Spins"], "Available Spins")
            last_spin = parse_club_time(row["Last Spin At"])
            with transaction.atomic():
                player = players.get(telegram_id) or _create_player(
                    telegram_id, username=row["Username"], pppoker_id=row["PPPoker ID"],
                    registered=row["Created At"])
                account = legacy.legacy_opening_balance(
                    player=player, spins=available, last_spin_at=last_spin, actor=actor,
                    note=f"legacy Spin Users row {row.number}: opening balance")
                state.record_imported(SPIN_USERS, str(telegram_id), account.pk, row_shows_it=False)
            tally.imported += 1
        except (Refused, LedgerError) as exc:
            tally.refuse(row.number, exc)


def _first_row_of(row: SheetRow, seen: dict[int, int]) -> int:
    """The row's User ID, refused if an earlier row of the tab had it."""
    telegram_id = cells.user_id(row["User ID"])
    if telegram_id in seen:
        raise Refused(f"duplicate of row {seen[telegram_id]} (same User ID)")
    seen[telegram_id] = row.number
    return telegram_id


def _create_player(telegram_id: int, *, username: str, first_name: str = "", last_name: str = "",
                   pppoker_id: str = "", registered: str = "", account_name: str = "") -> Player:
    return legacy.legacy_player_create(
        telegram_id=telegram_id, username=cells.username(username), first_name=cells.text(first_name, 128),
        last_name=cells.text(last_name, 128), pppoker_id=cells.pppoker_id(pppoker_id),
        account_name=cells.text(account_name, 128), registered_at=parse_club_time(registered))
