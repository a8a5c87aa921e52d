from decimal import Decimal

import pytest

from ledger.rules import PRIZES, SPIN_TIERS, spins_for_amount, winnable_prizes
from ledger.selectors import prize_table


@pytest.mark.parametrize("amount, spins", [
    ("0.01", 0), ("199.99", 0), ("200", 1), ("399.99", 1), ("400", 2), ("1999.99", 9), ("2000", 25),
    ("2999", 25), ("3000", 35), ("4000", 45), ("9999.99", 115), ("10000", 120), ("19999.99", 230),
    ("20000", 250), ("1000000", 250),
])
def test_spins_come_from_the_highest_threshold_not_above_the_amount(amount, spins):
    assert spins_for_amount(Decimal(amount)) == spins


def test_tiers_are_increasing_in_both_columns():
    thresholds = [threshold for threshold, _ in SPIN_TIERS]
    grants = [spins for _, spins in SPIN_TIERS]
    assert thresholds == sorted(set(thresholds)) and grants == sorted(set(grants))


def test_published_odds_are_the_weights_and_sum_to_one():
    table = prize_table()
    total = sum(prize.weight for prize in PRIZES)
    assert [(row.label, row.chips) for row in table] == [(p.label, p.chips) for p in winnable_prizes()]
    assert sum(row.probability for row in table) == pytest.approx(1.0)
    assert table[0].probability == pytest.approx(82_489 / total)
    assert table[-1].label == "500 Chips" and table[-1].probability == pytest.approx(1 / 100_000)


def test_a_prize_that_cannot_be_won_is_not_published(monkeypatch):
    from ledger import rules
    monkeypatch.setattr(rules, "PRIZES", rules.PRIZES + (rules.Prize("1000 Chips", 1000, 0),))
    assert "1000 Chips" not in [row.label for row in prize_table()]
