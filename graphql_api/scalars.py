"""Scalars of the contract that Strawberry does not ship."""
from typing import Any, NewType

import strawberry
from graphql import IntValueNode, StringValueNode, ValueNode

# Telegram ids exceed GraphQL's 32-bit Int. A JSON number on the way out; on the
# way in a number or a string of digits, since some clients cannot send 2^53+.
BigInt = NewType("BigInt", int)


def _parse_bigint(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("BigInt cannot represent a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError(f"BigInt cannot represent {value!r}")


def _parse_bigint_literal(node: ValueNode, variables: Any = None) -> int:
    if isinstance(node, (IntValueNode, StringValueNode)):
        return _parse_bigint(node.value)
    raise ValueError("BigInt must be an integer or a string of digits")


SCALARS = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description="A 64-bit integer (Telegram ids), serialized as a JSON number.",
        serialize=int,
        parse_value=_parse_bigint,
        parse_literal=_parse_bigint_literal,
    ),
}
