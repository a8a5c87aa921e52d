"""Scalars of the contract that Strawberry does not ship, and a strict Decimal.

Each refuses what it cannot represent exactly, with the contract's INVALID code, before any
resolver sees the value: numbers are parsed here, once.
"""
import re
from datetime import date
from decimal import Decimal
from typing import Any, NewType

import strawberry
from graphql import FloatValueNode, GraphQLError, IntValueNode, StringValueNode, ValueNode

# Telegram ids exceed GraphQL's 32-bit Int. A JSON number on the way out; on the
# way in a number or a string of digits, since some clients cannot send 2^53+.
BigInt = NewType("BigInt", int)
BIGINT_MIN, BIGINT_MAX = -(2 ** 63), 2 ** 63 - 1
# ASCII digits only: str.isdigit() and int() also take other scripts' digits.
BIGINT_TEXT = re.compile(r"-?[0-9]+")

# Plain notation only: no exponent, NaN or Infinity, and no more digits than the ledger stores
# (amounts have 14 digits with the cents, rates 4 decimal places).
DECIMAL_INTEGER_DIGITS, DECIMAL_FRACTION_DIGITS = 14, 4
DECIMAL_TEXT = re.compile(r"[+-]?[0-9]{1,%d}(\.[0-9]{1,%d})?" % (DECIMAL_INTEGER_DIGITS, DECIMAL_FRACTION_DIGITS))


def _invalid(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "INVALID"})


def parse_bigint(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and BIGINT_TEXT.fullmatch(value.strip()):
        # Longer than any 64-bit number: not converted (int() is quadratic in the digits).
        number = int(value.strip()) if len(value.strip()) <= 20 else BIGINT_MAX + 1
    else:
        raise _invalid(f"BigInt must be an integer or a string of digits, not {_shown(value)}.")
    if not BIGINT_MIN <= number <= BIGINT_MAX:
        raise _invalid("BigInt must fit in 64 bits (-2^63 to 2^63-1).")
    return number


def parse_bigint_literal(node: ValueNode, variables: Any = None) -> int:
    if isinstance(node, (IntValueNode, StringValueNode)):  # an Int literal's value is its digits
        return parse_bigint(node.value)
    raise _invalid("BigInt must be an integer or a string of digits.")


def _parse_decimal(value: Any) -> Decimal:
    # A JSON number arrives as int or float; its shortest repr is what the client wrote.
    text = repr(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not DECIMAL_TEXT.fullmatch(text.strip()):
        raise _invalid(f"Decimal must be plain decimal notation (e.g. \"250.50\") with at most "
                       f"{DECIMAL_INTEGER_DIGITS} digits before the point and {DECIMAL_FRACTION_DIGITS} "
                       f"after, not {_shown(value)}.")
    return Decimal(text.strip())


def _parse_decimal_literal(node: ValueNode, variables: Any = None) -> Decimal:
    if isinstance(node, (IntValueNode, FloatValueNode, StringValueNode)):
        return _parse_decimal(node.value)
    raise _invalid("Decimal must be a number or a string.")


DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_date(value: Any) -> date:
    """A calendar date as YYYY-MM-DD, nothing else (no week dates, no times)."""
    if isinstance(value, str) and DATE_TEXT.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _invalid(f"Date must be a calendar date as YYYY-MM-DD, not {_shown(value)}.")


def _parse_date_literal(node: ValueNode, variables: Any = None) -> date:
    if isinstance(node, StringValueNode):
        return _parse_date(node.value)
    raise _invalid("Date must be a string, YYYY-MM-DD.")


def _shown(value: Any) -> str:
    """The refused value in the message, short: a client may send megabytes."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


SCALARS = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description="A 64-bit integer (Telegram ids), serialized as a JSON number.",
        serialize=int,
        parse_value=parse_bigint,
        parse_literal=parse_bigint_literal,
    ),
    Decimal: strawberry.scalar(
        name="Decimal",
        description="A decimal number in plain notation, as a string (\"250.50\"); on the way in also a "
                    "JSON number. At most 14 digits before the point and 4 after.",
        serialize=str,
        parse_value=_parse_decimal,
        parse_literal=_parse_decimal_literal,
    ),
    date: strawberry.scalar(
        name="Date",
        description="A calendar date, YYYY-MM-DD (club-local where it is a club's day).",
        serialize=date.isoformat,
        parse_value=_parse_date,
        parse_literal=_parse_date_literal,
    ),
}
