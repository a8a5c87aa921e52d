"""The rule tables in force and their history.

The newest version is in force from the moment it is committed, in every process: each use reads
which version is newest (one indexed row), so no process can keep drawing on a replaced table. A
table is small and parsing it costs microseconds next to that read, so nothing is cached beyond it.
Without any row (a database flushed by a test) version 1 is the code's own table, as the migration
seeded it.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ledger.models import PrizeTable, SpinTierTable
from ledger.rules import PRIZES, SPIN_TIERS, Prize


@dataclass(frozen=True)
class Tiers:
    version: int
    tiers: tuple[tuple[Decimal, int], ...]
    created_by: str = "system"
    created_at: datetime | None = None


@dataclass(frozen=True)
class Prizes:
    version: int
    prizes: tuple[Prize, ...]
    created_by: str = "system"
    created_at: datetime | None = None


BUILT_IN_TIERS = Tiers(1, tuple((Decimal(threshold), spins) for threshold, spins in SPIN_TIERS))
BUILT_IN_PRIZES = Prizes(1, PRIZES)


def tiers_of(row: SpinTierTable) -> Tiers:
    return Tiers(row.version, tuple((Decimal(threshold), int(spins)) for threshold, spins in row.tiers),
                 row.created_by, row.created_at)


def prizes_of(row: PrizeTable) -> Prizes:
    return Prizes(row.version, tuple(Prize(p["label"], int(p["chips"]), int(p["weight"])) for p in row.prizes),
                  row.created_by, row.created_at)


def spin_tiers_in_force() -> Tiers:
    row = SpinTierTable.objects.order_by("-version").first()
    return tiers_of(row) if row else BUILT_IN_TIERS


def prize_table_in_force() -> Prizes:
    row = PrizeTable.objects.order_by("-version").first()
    return prizes_of(row) if row else BUILT_IN_PRIZES


def prize_table_of_version(version: int) -> Prizes | None:
    """The table a spin was drawn on, for checking its draw."""
    row = PrizeTable.objects.filter(version=version).first()
    return prizes_of(row) if row else (BUILT_IN_PRIZES if version == 1 else None)


def prize_tables(*, first: int = 10) -> list[Prizes]:
    """Newest first: the first is in force."""
    tables = [prizes_of(row) for row in PrizeTable.objects.order_by("-version")[:first]]
    return tables or [BUILT_IN_PRIZES]
