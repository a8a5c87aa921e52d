"""Changing the club's rule tables: each change is a new version, in force from its commit.

Nothing decided before moves: an approved deposit keeps the tier version its spins came from and a
spin the prize-table version it was drawn on. Versions are numbered under one lock (the version 1
row), so two admins changing a table at once make two versions, one after the other.
"""
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from ledger.actors import Actor
from ledger.models import PrizeTable, SpinTierTable
from ledger.rules import PRIZES, SPIN_TIERS
from ledger.services.config import config_changed
from ledger.validators import clean_prize_table, clean_spin_tiers


def _next_version(model, seed: dict) -> int:
    """Serialize every change of one table and hand out its next number."""
    model.objects.get_or_create(version=1, defaults={**seed, "created_by": "system"})
    model.objects.select_for_update().get(version=1)
    return model.objects.aggregate(newest=Max("version"))["newest"] + 1


def spin_tiers_set(*, tiers: Any, actor: Actor) -> SpinTierTable:
    """`tiers`: (minimum in MVR, spins) rows, both strictly increasing."""
    cleaned = clean_spin_tiers(tiers)
    with transaction.atomic():
        version = _next_version(SpinTierTable, {"tiers": [[str(t), s] for t, s in SPIN_TIERS]})
        table = SpinTierTable.objects.create(version=version, tiers=[[str(t), s] for t, s in cleaned],
                                             created_by=actor.label)
        config_changed("spin tiers", f"version {version - 1}", f"version {version} ({_tiers_text(cleaned)})",
                       actor)
        return table


def prize_table_set(*, prizes: Any, actor: Actor) -> PrizeTable:
    """`prizes`: (label, chips, weight) rows in the order the draw reads them."""
    cleaned = clean_prize_table(prizes)
    with transaction.atomic():
        version = _next_version(PrizeTable, {"prizes": [
            {"label": p.label, "chips": p.chips, "weight": p.weight} for p in PRIZES]})
        table = PrizeTable.objects.create(version=version, prizes=[
            {"label": label, "chips": chips, "weight": weight} for label, chips, weight in cleaned],
            created_by=actor.label)
        total = sum(weight for _, _, weight in cleaned)
        odds = ", ".join(f"{label} {Decimal(weight * 100) / total:.3f}%" for label, _, weight in cleaned)
        config_changed("prize table", f"version {version - 1}", f"version {version} ({odds})", actor)
        return table


def _tiers_text(tiers) -> str:
    return ", ".join(f"{threshold}: {spins}" for threshold, spins in tiers)
