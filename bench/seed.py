"""Seed the benchmark database: bulk inserts that keep the journal consistent.

Run as `python -m bench.seed` with DJANGO_SETTINGS_MODULE=bench.settings and
DATABASE_URL set (run.py does). Every spin balance is backed by a `spins.granted`
journal entry, pending deposits need none, so `check_ledger` passes afterwards
(verified at the end of the seed and again after the benchmark's writes).

The layout (ranges of Telegram ids) is plain data here so run.py can import it
without Django.
"""
import json
import os
import sys
import time
from decimal import Decimal

ADMIN_TELEGRAM_ID = 9_000_000_001           # in ADMIN_USER_ID; decides the approvals
LOOKUP_BASE, LOOKUP_COUNT = 6_000_000_000, 10_000      # op 1: random lookups over these
PENDING_BASE, PENDING_COUNT = 6_100_000_000, 200       # op 2: each has one pending deposit
# op 3: each is used for one create+approve; run.py sizes the range for its rounds and slots.
DEPOSIT_BASE, DEPOSIT_COUNT = 6_200_000_000, int(os.environ.get("BENCH_DEPOSIT_COUNT", "40000"))
SPIN_BASE, SPIN_COUNT = 6_300_000_000, 2_000           # op 4: random spins over these
SPINS_EACH = 5_000                                     # spins of each op-4 player
LOOKUP_SPINS = 25                                      # op-1 players have some spins too

LAYOUT = {
    "admin": ADMIN_TELEGRAM_ID,
    "lookup": [LOOKUP_BASE, LOOKUP_COUNT],
    "pending": [PENDING_BASE, PENDING_COUNT],
    "deposit": [DEPOSIT_BASE, DEPOSIT_COUNT],
    "spin": [SPIN_BASE, SPIN_COUNT],
}
BATCH = 2_000


def _players(base: int, count: int, prefix: str) -> list:
    from ledger.models import Player
    players = [Player(telegram_id=base + i, username=f"{prefix}{i}", first_name=prefix.title(), last_name=f"No{i}",
                      pppoker_id=str(100_000 + i % 900_000)) for i in range(count)]
    return Player.objects.bulk_create(players, batch_size=BATCH)


def _accounts(players: list, spins: int) -> None:
    from ledger.models import JournalEntry, JournalKind, SpinAccount
    SpinAccount.objects.bulk_create([SpinAccount(player=p, available_spins=spins) for p in players], batch_size=BATCH)
    if spins:
        JournalEntry.objects.bulk_create([
            JournalEntry(kind=JournalKind.SPINS_GRANTED, player=p, spins=spins, actor="system bench-seed",
                         note="benchmark seed") for p in players], batch_size=BATCH)


def seed() -> dict:
    from django.db import connection, transaction

    from ledger.audit import ledger_discrepancies
    from ledger.models import Deposit, PaymentMethod, Player

    started = time.monotonic()
    if Player.objects.filter(telegram_id=ADMIN_TELEGRAM_ID).exists():
        raise SystemExit("the database is already seeded; run.py seeds a fresh database")
    with transaction.atomic():
        admin = Player.objects.create(telegram_id=ADMIN_TELEGRAM_ID, username="benchadmin", first_name="Bench",
                                      last_name="Admin")
        _accounts([admin], 0)
        _accounts(_players(LOOKUP_BASE, LOOKUP_COUNT, "lookup"), LOOKUP_SPINS)
        pending = _players(PENDING_BASE, PENDING_COUNT, "pending")
        _accounts(pending, 0)
        method = PaymentMethod.objects.get(code="BML")
        Deposit.objects.bulk_create([
            Deposit(player=p, method=method, amount=Decimal(1000 + i), currency=method.currency,
                    account_name=f"Pending Player {i}", proof=f"AgACAgUAAxkBAAIBpending{i}",
                    pppoker_id=p.pppoker_id) for i, p in enumerate(pending)], batch_size=BATCH)
        _accounts(_players(DEPOSIT_BASE, DEPOSIT_COUNT, "depositor"), 0)
        _accounts(_players(SPIN_BASE, SPIN_COUNT, "spinner"), SPINS_EACH)
    with connection.cursor() as cursor:
        # Statistics, hint bits and the visibility map now, so autovacuum does not start on the
        # fresh rows in the middle of the timed runs.
        cursor.execute("VACUUM ANALYZE")
    problems = ledger_discrepancies()
    if problems:
        raise SystemExit("seed left the ledger inconsistent: " + "; ".join(problems[:5]))
    return {**LAYOUT, "players": Player.objects.count(), "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    import django
    django.setup()
    json.dump(seed(), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
