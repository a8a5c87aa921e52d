"""The one way journal entries are written, so the per-day totals can never miss one.

Every service that moves money, spins or chips hands its entries to `record`, inside its own
transaction; the entries and the day totals they move (ledger.models.DailyTotal) commit or roll
back together. A day is the club-local date (TIME_ZONE) of the entry's own timestamp, so the
totals equal the journal grouped the same way, which check_ledger verifies.
"""
from collections import defaultdict
from decimal import Decimal

from django.db import connection

from ledger.clubtime import club_today
from ledger.models import PAID_OUT, DailyTotal, JournalEntry, JournalKind, Spin


FIGURES = ("deposits", "deposits_amount", "deposits_base", "withdrawals", "withdrawals_amount", "withdrawals_base",
           "chips_approved", "bonuses_base", "cashback_base")


def record(*entries: JournalEntry) -> list[JournalEntry]:
    written = JournalEntry.objects.bulk_create(entries)
    _add_to_daily_totals(written)
    return written


def record_spins_used(*, player_id: int, first_spin_id: int, last_spin_id: int, at) -> None:
    """SPIN_USED for each spin the caller has just drawn, computed by the database from the spin rows.

    Spending a thousand spins would otherwise build and send a thousand journal objects, most of
    that call's time (bench/spin_batch.py). The caller holds the player's spin account lock, so the
    player's spins with ids in [first, last] are exactly those it inserted; these entries move no
    day total.
    """
    journal, spins = (connection.ops.quote_name(model._meta.db_table) for model in (JournalEntry, Spin))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {journal} (kind, player_id, amount_base, spins, chips, spin_id, actor, note, created_at) "
            f"SELECT %s, player_id, 0, -1, chips, id, '', '', %s FROM {spins} "
            f"WHERE player_id = %s AND id BETWEEN %s AND %s",
            [JournalKind.SPIN_USED.value, at, player_id, first_spin_id, last_spin_id])


def _add_to_daily_totals(entries: list[JournalEntry]) -> None:
    moves: dict[tuple, dict] = defaultdict(lambda: defaultdict(Decimal))
    currencies: dict[tuple, str] = {}
    for entry in entries:
        day = club_today(entry.created_at)
        if entry.kind == JournalKind.DEPOSIT_APPROVED:
            request, prefix = entry.deposit, "deposits"
        elif entry.kind == JournalKind.WITHDRAWAL_APPROVED:
            request, prefix = entry.withdrawal, "withdrawals"
        elif entry.kind == JournalKind.REWARD_APPROVED:
            moves[(day, "")]["chips_approved"] += entry.chips
            continue
        elif entry.kind in PAID_OUT:
            moves[(day, "")][PAID_OUT[entry.kind]] += entry.amount_base
            continue
        else:
            continue
        key = (day, request.method.code)
        currencies[key] = request.currency
        moves[key][prefix] += 1
        moves[key][f"{prefix}_amount"] += request.amount
        moves[key][f"{prefix}_base"] += entry.amount_base
    for (day, method), deltas in sorted(moves.items()):  # a fixed order: no two writers deadlock
        _upsert_day(day, method, currencies.get((day, method), ""), deltas)


def _upsert_day(day, method: str, currency: str, deltas: dict) -> None:
    """Add `deltas` to the day's row, creating it if need be: one statement, safe under concurrency
    (INSERT ... ON CONFLICT DO UPDATE, which PostgreSQL and SQLite both speak; the ORM's
    update_conflicts can only overwrite a column, not add to it)."""
    table = connection.ops.quote_name(DailyTotal._meta.db_table)
    columns = [connection.ops.quote_name(name) for name in deltas]
    increments = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in columns)
    # The figures not moved here start at zero in a new row (the model's defaults live in Python only).
    untouched = [name for name in FIGURES if name not in deltas]
    columns += [connection.ops.quote_name(name) for name in untouched]
    deltas = {**deltas, **dict.fromkeys(untouched, 0)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, method, currency, {', '.join(columns)}) "
            f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT (day, method) DO UPDATE SET {increments}",
            [day, method, currency, *(_db_value(value) for value in deltas.values())])


def _db_value(value):
    return str(value) if isinstance(value, Decimal) else value
