"""The Mini App's authorization, `Authorization: tma <initData>` (domain.md, "The wheel in Telegram").

Two rules, both here: who the page is (Telegram's signature of its init data, checked as Telegram
documents it), and what that player may run (the contract's list, for their own telegramId only).
"""
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)

from graphql_api.scalars import parse_bigint

# Telegram may sign init data a little ahead of our clock; more than this is not a clock's drift.
CLOCK_SKEW_S = 300
PLAYER_ARGUMENT = "telegramId"
# The root fields the page may run, and whether each must name the player (prizeTable names nobody).
ALLOWED = {
    OperationType.QUERY: {"user": True, "spinAccount": True, "spinHistory": True, "prizeTable": False,
                          "__typename": False},
    OperationType.MUTATION: {"processSpin": True, "setClientSeed": True, "rotateServerSeed": True,
                             "__typename": False},
}


def init_data_player(init_data: str, *, bot_token: str, max_age_s: int, now: float | None = None) -> int | None:
    """The Telegram id the init data was signed for, or None when it proves nothing: no bot token
    to check with, a field repeated or missing, a hash that is not Telegram's, or too old."""
    if not bot_token or not init_data:
        return None
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    # A repeated key would let the page sign one value and have us read another.
    if len(fields) != len(pairs) or "hash" not in fields:
        return None
    received = fields.pop("hash")
    check_string = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace")):
        return None
    try:
        signed_at = int(fields["auth_date"])
        user = json.loads(fields["user"])
        telegram_id = user["id"]
    except (KeyError, ValueError, TypeError):
        return None
    age = (time.time() if now is None else now) - signed_at
    if not -CLOCK_SKEW_S <= age <= max_age_s or not isinstance(telegram_id, int) or isinstance(telegram_id, bool):
        return None
    return telegram_id


def out_of_scope(document: DocumentNode, variables: dict | None, telegram_id: int) -> str | None:
    """Why the document is not one the player's page may run, or None. Every operation of the
    document is checked (not only the one named), and every root field of each, through fragments."""
    fragments = {definition.name.value: definition for definition in document.definitions
                 if isinstance(definition, FragmentDefinitionNode)}
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        allowed = ALLOWED.get(operation.operation, {})
        for field in _root_fields(operation.selection_set, fragments):
            name = field.name.value
            if name not in allowed:
                return f"The Mini App may not run {name}."
            arguments = {argument.name.value: argument.value for argument in field.arguments or ()}
            if allowed[name] and _player_id(arguments.get(PLAYER_ARGUMENT), variables or {}) != telegram_id:
                return f"The Mini App may run {name} only for its own player."
    return None


def _root_fields(selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]):
    pending, seen = [selection_set], set()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                if (fragment := fragments.get(selection.name.value)) is not None:
                    pending.append(fragment.selection_set)


def _player_id(value: ValueNode | None, variables: dict) -> int | None:
    if isinstance(value, VariableNode):
        raw = variables.get(value.name.value)
    elif isinstance(value, (IntValueNode, StringValueNode)):
        raw = value.value
    else:
        return None
    try:
        return parse_bigint(raw)  # as the resolver will read it
    except GraphQLError:
        return None
