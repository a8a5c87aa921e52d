"""Input checks shared by every service: one place says what a valid amount, name or id is."""
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.errors import Invalid
from ledger.models import MAX_BIGINT

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")


def clean_amount(value: Any, *, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise Invalid(f"{value!r} is not an amount.", field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise Invalid("The amount must be greater than zero.", field=field)
    if amount != amount.quantize(CENT):
        raise Invalid("The amount can have at most two decimals.", field=field)
    if amount > MAX_AMOUNT:
        raise Invalid("The amount is too large.", field=field)
    return amount.quantize(CENT)


def amount_in_base(amount: Decimal, rate_to_base: Decimal) -> Decimal:
    """An amount in a method's currency, in MVR to the cent: the one conversion every path uses."""
    return (amount * rate_to_base).quantize(CENT)


def clean_text(value: str | None, *, field: str, max_length: int, label: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise Invalid(f"{label} is required.", field=field)
    if len(text) > max_length:
        raise Invalid(f"{label} is longer than {max_length} characters.", field=field)
    return text


def clean_pppoker_id(value: str | None) -> str:
    pppoker_id = (value or "").strip()
    if not (pppoker_id.isascii() and pppoker_id.isdigit() and 3 <= len(pppoker_id) <= 32):
        raise Invalid("The PPPoker id must be digits only, at least 3.", field="pppokerId")
    return pppoker_id


def clean_telegram_id(value: Any) -> int:
    try:
        telegram_id = int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{value!r} is not a Telegram id.", field="telegramId") from None
    if not 0 < telegram_id <= MAX_BIGINT:
        raise Invalid(f"{value!r} is not a Telegram id.", field="telegramId")
    return telegram_id
