"""Value rules in one place (ledger/validators.py): the ones the legacy import shares with the API."""
from decimal import Decimal

import pytest

from ledger.errors import Invalid
from ledger.validators import MAX_AMOUNT, MAX_TALLY, check_amount, clean_amount, clean_legacy_amount, clean_tally


@pytest.mark.parametrize("cell, amount", [
    ("2,500", Decimal("2500.00")),
    ("1,000.00", Decimal("1000.00")),
    ("MVR 1,500", Decimal("1500.00")),
    ("1 500 mvr", Decimal("1500.00")),
    ("$300", Decimal("300.00")),
    ("25.5 USDT", Decimal("25.50")),
    (2500, Decimal("2500.00")),
    (12.5, Decimal("12.50")),
])
def test_a_legacy_amount_cell_may_carry_a_currency_and_thousands_separators(cell, amount):
    assert clean_legacy_amount(cell) == amount


@pytest.mark.parametrize("cell, reason", [
    ("abc", "amount 'abc' is not a number"),
    ("MVR", "amount 'MVR' is not a number"),
    ("EUR 5", "amount 'EUR 5' is not a number"),
    ("-5", "amount '-5' is not a number"),
    ("0", "amount '0' is not greater than zero"),
    ("1.005", "amount '1.005' has more than two decimals"),
    ("1,000,000,000,000", "is too large"),
    ("1e3", "is not a number"),
])
def test_a_legacy_amount_cell_is_refused_naming_the_cell(cell, reason):
    with pytest.raises(Invalid, match=reason):
        clean_legacy_amount(cell)


def test_the_api_takes_no_currency_words():
    assert clean_amount("1,500.50") == Decimal("1500.50")
    with pytest.raises(Invalid, match="The amount 'MVR 5' is not a number"):
        clean_amount("MVR 5")


@pytest.mark.parametrize("amount, reason", [
    (Decimal("-5"), "not greater than zero"),
    (Decimal("NaN"), "not greater than zero"),
    (Decimal("1.005"), "two decimals"),
    (MAX_AMOUNT + Decimal("0.01"), "too large"),
    (Decimal("1e400"), "too large"),
    (5, "not greater than zero"),  # not a Decimal
])
def test_a_decimal_amount_outside_the_range_is_refused(amount, reason):
    with pytest.raises(Invalid, match=reason):
        check_amount(amount)


def test_a_decimal_amount_in_range_is_kept_to_the_cent():
    assert str(check_amount(Decimal("7.5"))) == "7.50"
    assert check_amount(MAX_AMOUNT) == MAX_AMOUNT


@pytest.mark.parametrize("value, tally", [("0", 0), ("1,000", 1000), ("7.0", 7), (7, 7), (MAX_TALLY, MAX_TALLY)])
def test_a_tally_is_a_whole_number_of_zero_or_more(value, tally):
    assert clean_tally(value, label="Available Spins") == tally


@pytest.mark.parametrize("value", ["-2", "", "1.5", "four", True, -1, MAX_TALLY + 1, "9" * 5000])
def test_anything_else_is_not_a_tally(value):
    with pytest.raises(Invalid, match="Available Spins .* is not a whole number of zero or more"):
        clean_tally(value, label="Available Spins")


def test_what_settles_a_credit_in_each_currency_is_never_short():
    """(Moved from the bot's tests: the conversion is the ledger's, the bot asks Credit.amountIn.)"""
    from ledger.validators import amount_to_settle
    assert amount_to_settle(Decimal("1500.00"), Decimal("1")) == Decimal("1500.00")
    assert amount_to_settle(Decimal("1500.00"), Decimal("15.40")) == Decimal("97.41")  # 97.402..., rounded up
    assert Decimal("97.41") * Decimal("15.40") >= Decimal("1500")
    assert amount_to_settle(Decimal("154.00"), Decimal("15.40")) == Decimal("10.00")
