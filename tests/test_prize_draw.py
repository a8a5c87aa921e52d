"""The wheel pays what it publishes: over 10^6 server draws each prize's frequency
stays within five standard deviations of its published probability."""
import math
from collections import Counter

import pytest

from ledger.selectors import prize_table
from ledger.services import draw_prize

DRAWS = 1_000_000


@pytest.mark.slow
def test_each_prize_frequency_matches_its_published_odds(db):
    counts = Counter(draw_prize().label for _ in range(DRAWS))
    table = prize_table()
    assert set(counts) <= {row.label for row in table}
    for row in table:
        expected = DRAWS * row.probability
        sigma = math.sqrt(DRAWS * row.probability * (1 - row.probability))
        assert abs(counts[row.label] - expected) <= 5 * sigma, (row.label, counts[row.label], expected)
    # and jointly: chi-square with 6 degrees of freedom, far beyond its 99.99th percentile (27.9)
    chi_square = sum((counts[r.label] - DRAWS * r.probability) ** 2 / (DRAWS * r.probability) for r in table)
    assert chi_square < 27.9
