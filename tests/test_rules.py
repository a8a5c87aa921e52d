from decimal import Decimal

import pytest

from ledger.rules import PRIZES, SPIN_TIERS, Prize, draw, spins_for_amount, winnable_prizes
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


def test_published_odds_are_the_weights_and_sum_to_one(db):
    table = prize_table()
    total = sum(prize.weight for prize in PRIZES)
    assert [(row.label, row.chips) for row in table] == [(p.label, p.chips) for p in winnable_prizes()]
    assert sum(row.probability for row in table) == pytest.approx(1.0)
    assert table[0].probability == pytest.approx(82_489 / total)
    assert table[-1].label == "500 Chips" and table[-1].probability == pytest.approx(1 / 100_000)


def test_a_prize_that_cannot_be_won_is_never_drawn_from():
    """(A stored table cannot even hold one: test_rule_tables.py has the refusal.)"""
    prizes = PRIZES + (Prize("1000 Chips", 1000, 0),)
    assert "1000 Chips" not in [prize.label for prize in winnable_prizes(prizes)]


class FixedNumbers:
    """A random source that answers the numbers it was given, and remembers what it was asked."""

    def __init__(self, *numbers: int):
        self.numbers, self.asked = list(numbers), []

    def __call__(self, below: int) -> int:
        self.asked.append(below)
        return self.numbers.pop(0)


@pytest.mark.parametrize("number, label", [
    (0, "Try Again!"), (82_488, "Try Again!"), (82_489, "10 Chips"), (92_488, "10 Chips"), (92_489, "20 Chips"),
    (97_489, "50 Chips"), (99_489, "100 Chips"), (99_989, "250 Chips"), (99_998, "250 Chips"), (99_999, "500 Chips"),
])
def test_the_draw_maps_each_number_to_the_prize_whose_running_weight_covers_it(number, label):
    source = FixedNumbers(number)
    assert draw(winnable_prizes(), source).label == label
    assert source.asked == [100_000]  # uniform over the whole table, nothing else


def test_the_draw_never_lands_on_a_prize_of_weight_zero():
    prizes = (Prize("A", 1, 3), Prize("never", 5, 0), Prize("B", 2, 1))
    assert [draw(prizes, FixedNumbers(n)).label for n in range(4)] == ["A", "A", "A", "B"]
