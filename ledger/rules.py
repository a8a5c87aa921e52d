"""The club's rules as pure functions over its tables.

Spin tiers: an approved deposit grants the spins of the highest threshold that
is not above its amount in MVR. Prize weights are out of their own total, so
the published odds are exactly what the fair draw picks from. The tables
themselves are versioned data the admins change (ledger.models.rule_tables);
the ones here are version 1, what a fresh database starts with.
"""
import hashlib
import hmac
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

# (threshold in MVR, spins granted)
SPIN_TIERS: tuple[tuple[int, int], ...] = (
    (200, 1), (400, 2), (600, 3), (800, 4), (1000, 5), (1200, 6), (1400, 7),
    (1600, 8), (1800, 9), (2000, 25), (3000, 35), (4000, 45), (5000, 60),
    (6000, 75), (7000, 90), (8000, 105), (9000, 115), (10000, 120),
    (12000, 150), (14000, 180), (16000, 210), (18000, 230), (20000, 250),
)


@dataclass(frozen=True)
class Prize:
    label: str
    chips: int
    weight: int


TRY_AGAIN = "Try Again!"

PRIZES: tuple[Prize, ...] = (
    Prize(TRY_AGAIN, 0, 82_489),
    Prize("10 Chips", 10, 10_000),
    Prize("20 Chips", 20, 5_000),
    Prize("50 Chips", 50, 2_000),
    Prize("100 Chips", 100, 500),
    Prize("250 Chips", 250, 10),
    Prize("500 Chips", 500, 1),
)

# Payment methods a fresh install starts with (the data migration seeds them).
DEFAULT_PAYMENT_METHODS = (
    {"code": "BML", "label": "Bank of Maldives", "currency": "MVR", "rate_to_base": Decimal("1"), "sort_order": 1},
    {"code": "MIB", "label": "Maldives Islamic Bank", "currency": "MVR", "rate_to_base": Decimal("1"), "sort_order": 2},
    {"code": "USD", "label": "USD", "currency": "USD", "rate_to_base": Decimal("15.40"), "sort_order": 3},
    {"code": "USDT", "label": "USDT (TRC20)", "currency": "USD", "rate_to_base": Decimal("15.40"), "sort_order": 4},
)


def spins_for_amount(amount_base: Decimal, tiers: tuple[tuple[Decimal | int, int], ...] = SPIN_TIERS) -> int:
    """Spins earned by a deposit of `amount_base` MVR (0 below the first tier)."""
    thresholds = [threshold for threshold, _ in tiers]
    index = bisect_right(thresholds, amount_base)
    return tiers[index - 1][1] if index else 0


def winnable_prizes(prizes: tuple[Prize, ...] = PRIZES) -> tuple[Prize, ...]:
    """Prizes that can actually come out of a draw: the published odds show no others."""
    return tuple(prize for prize in prizes if prize.weight > 0)


def draw(prizes: tuple[Prize, ...], random_below: Callable[[int], int]) -> Prize:
    """The prize a uniform number below the prizes' total weight falls on.

    `random_below(n)` returns 0 <= x < n; the ledger passes `secrets.randbelow`, tests a fixed
    sequence, so the mapping from numbers to prizes is tested exactly and the source apart.
    """
    bounds = list(accumulate(prize.weight for prize in prizes))
    return prizes[bisect_right(bounds, random_below(bounds[-1]))]


# --- fair draws (domain.md, "The wheel in Telegram (Mini App) and fair draws") --------------

# The draw reads the first 13 hex digits of the HMAC: a 52-bit number, uniform below 2**52.
FAIR_BITS = 52


def seed_hash(server_seed: str) -> str:
    """What is published before a server seed is used: SHA-256 of its UTF-8 text, in hex."""
    return hashlib.sha256(server_seed.encode()).hexdigest()


def fair_point(server_seed: str, client_seed: str, nonce: int, total: int) -> int:
    """The draw's number below `total` for one spin, fixed by the seeds and the nonce alone."""
    digest = hmac.new(server_seed.encode(), f"{client_seed}:{nonce}".encode(), hashlib.sha256).hexdigest()
    return int(digest[:FAIR_BITS // 4], 16) * total >> FAIR_BITS


def fair_draw(prizes: tuple[Prize, ...], server_seed: str, client_seed: str, nonce: int) -> Prize:
    """The prize of one spin: anyone holding the revealed seed can recompute it."""
    return draw(prizes, lambda total: fair_point(server_seed, client_seed, nonce, total))
