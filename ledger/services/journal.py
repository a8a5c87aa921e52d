"""The one way journal entries are written, so the per-day totals can never miss one.

Every service that moves money, spins or chips hands its entries to `record`, inside its own
transaction; the entries and the day totals they move (ledger.models.DailyTotal) commit or roll
back together. A day is the club-local date (TIME_ZONE) of the entry's own timestamp, so the
totals equal the journal grouped the same way, which check_ledger verifies.
"""
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ledger.models import DailyTotal, JournalEntry, JournalKind


def record(*entries: JournalEntry) -> list[JournalEntry]:
    written = JournalEntry.objects.bulk_create(entries)
    _add_to_daily_totals(written)
    return written


def _add_to_daily_totals(entries: list[JournalEntry]) -> None:
    moves: dict[tuple, dict] = defaultdict(lambda: defaultdict(Decimal))
    currencies: dict[tuple, str] = {}
    for entry in entries:
        day = timezone.localdate(entry.created_at)
        if entry.kind == JournalKind.DEPOSIT_APPROVED:
            request, prefix = entry.deposit, "deposits"
        elif entry.kind == JournalKind.WITHDRAWAL_APPROVED:
            request, prefix = entry.withdrawal, "withdrawals"
        elif entry.kind == JournalKind.REWARD_APPROVED:
            moves[(day, "")]["chips_approved"] += entry.chips
            continue
        else:
            continue
        key = (day, request.method.code)
        currencies[key] = request.currency
        moves[key][prefix] += 1
        moves[key][f"{prefix}_amount"] += request.amount
        moves[key][f"{prefix}_base"] += entry.amount_base
    for (day, method), deltas in sorted(moves.items()):  # a fixed order: no two writers deadlock
        increments = {name: F(name) + value for name, value in deltas.items()}
        if DailyTotal.objects.filter(day=day, method=method).update(**increments):
            continue
        try:
            with transaction.atomic():
                DailyTotal.objects.create(day=day, method=method, currency=currencies.get((day, method), ""),
                                          **deltas)
        except IntegrityError:  # a concurrent writer created the day's row first
            DailyTotal.objects.filter(day=day, method=method).update(**increments)
