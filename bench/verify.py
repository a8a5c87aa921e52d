"""Before timing: every operation of every target answers right, and all targets answer the same.

A target is one implementation on one server: the plain view, DRF or /graphql/ of this tree, of
a server with some internals switched off, or of another ref (--compare). Targets on the same
database must return the same data field for field; the writes each use a player of their own
from the end of the seeded ranges (harness.RESERVED_PLAYERS).
"""
import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

from bench import queries
from bench import seed as seed_layout

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
DECIMAL = re.compile(r"^-?\d+\.\d+$")


def canon(value, key: str = ""):
    """Normalize one payload so the implementations compare equal when they say the same:
    camelCase keys, ids as strings, decimals as Decimal, datetimes as UTC instants to the ms."""
    if isinstance(value, dict):
        return {queries.camel(k): canon(v, queries.camel(k)) for k, v in value.items() if k != "__typename"}
    if isinstance(value, list):
        return [canon(v) for v in value]
    if key == "id" and value is not None:
        return str(value)
    if isinstance(value, str) and DATETIME.match(value):
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000).isoformat()
    if isinstance(value, str) and DECIMAL.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


class VerificationError(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise VerificationError(message)


def payload(name: str, impl: str, status: int, body, field_name: str):
    """The operation's data: the GraphQL field (no errors, no OperationInfo), or the REST body."""
    expect(200 <= status < 300, f"{name}: HTTP {status}: {str(body)[:400]}")
    if impl == "gql":
        expect(isinstance(body, dict) and not body.get("errors"), f"{name}: errors: {str(body)[:400]}")
        data = body["data"][field_name]
        expect(not (isinstance(data, dict) and data.get("__typename") == "OperationInfo"),
               f"{name}: OperationInfo: {data}")
        return canon(data)
    return canon(body)


class Reserve:
    """Hands out the kept players at the end of a seeded range, one per write check."""

    def __init__(self, layout: dict, kind: str):
        self.lo, self.count = layout[kind]
        self.used = 0

    def take(self) -> int:
        self.used += 1
        return self.lo + self.count - self.used


def verify(targets: list, token: str, layout: dict) -> list[str]:
    """targets: (name, server, impl) on one database, the first the reference. Returns what was checked."""
    admin = layout["admin"]
    deposits, spinners = Reserve(layout, "deposit"), Reserve(layout, "spin")
    names = ", ".join(name for name, _, _ in targets)
    checked = []

    def run(target, op, field_name, **kw):
        name, server, impl = target
        status, body = server.call(*queries.request_for(impl, op, **kw), token=token)
        return payload(name, impl, status, body, field_name)

    # op 1: the same user, the same answer, from all; isAdmin follows ADMIN_USER_ID.
    lookup_id = layout["lookup"][0] + 7
    reference = None
    for target in targets:
        user = run(target, "lookup", "user", telegram_id=lookup_id)
        expect(user["telegramId"] == lookup_id and user["isAdmin"] is False
               and user["spinAccount"]["availableSpins"] == seed_layout.LOOKUP_SPINS, f"{target[0]}: lookup {user}")
        reference = reference or user
        expect(user == reference, f"{target[0]} and {targets[0][0]} disagree on the user:\n{user}\n{reference}")
        expect(run(target, "lookup", "user", telegram_id=admin)["isAdmin"] is True, f"{target[0]}: admin not isAdmin")
    checked.append(f"lookup: user {lookup_id} identical in {names} ({len(reference)} fields), isAdmin right")

    # op 2: the same 50 oldest pending deposits, in the same order, field for field.
    reference = None
    for target in targets:
        page = run(target, "list", "pendingDeposits")
        expect(len(page) == queries.LIST_SIZE, f"{target[0]}: {len(page)} rows")
        expect(all(row["status"] == "PENDING" and row["user"]["telegramId"] for row in page), f"{target[0]}: bad rows")
        reference = reference or page
        expect(page == reference, f"{target[0]} and {targets[0][0]} disagree on the pending list")
    checked.append(f"list: the same {queries.LIST_SIZE} pending deposits (oldest first) in {names}")

    # op 3: create then approve, each for a player of its own; the same fields and outcome.
    shapes = {}
    for target in targets:
        name, server, impl = target
        player = deposits.take()
        created = run(target, "create", "createDeposit", telegram_id=player)
        expect(created["status"] == "PENDING" and created["user"]["telegramId"] == player
               and created["amount"] == Decimal(queries.DEPOSIT_AMOUNT), f"{name}: {created}")
        approved = run(target, "approve", "approveDeposit", id=created["id"], actor=admin)
        expect(approved["id"] == created["id"] and approved["status"] == "APPROVED", f"{name}: {approved}")
        expect(approved["spinsGranted"] == 25 and approved["amountBase"] == Decimal(queries.DEPOSIT_AMOUNT)
               and str(admin) in approved["decidedBy"], f"{name}: {approved}")
        again = run(target, "lookup", "user", telegram_id=player)
        expect(again["spinAccount"]["availableSpins"] == 25, f"{name}: spins not granted: {again}")
        shapes[name] = (tuple(sorted(created)), tuple(sorted(approved)))
        if impl == "gql":  # a second approval is refused: the GraphQL error path is an error
            _, body = server.call(*queries.request_for(impl, "approve", id=created["id"], actor=admin), token=token)
            expect("OperationInfo" in json.dumps(body) and "ALREADY_DECIDED" in json.dumps(body),
                   f"{name}: a second approval was not refused: {body}")
    expect(len(set(shapes.values())) == 1, f"create/approve payloads differ in fields: {shapes}")
    checked.append(f"deposit: create -> PENDING, approve -> APPROVED with 25 spins granted, in {names}; "
                   "a second GraphQL approval answers OperationInfo ALREADY_DECIDED")

    # op 4: 10 spins drawn, balance down by 10, the same fields.
    shapes = {}
    for target in targets:
        batch = run(target, "spin", "processSpin", telegram_id=spinners.take())
        expect(len(batch["spins"]) == queries.SPIN_COUNT
               and batch["spinsLeft"] == seed_layout.SPINS_EACH - queries.SPIN_COUNT
               and batch["chipsWon"] == sum(spin["chips"] for spin in batch["spins"]), f"{target[0]}: {batch}")
        shapes[target[0]] = (tuple(sorted(batch)), tuple(sorted(batch["spins"][0])))
    expect(len(set(shapes.values())) == 1, f"spin payloads differ in fields: {shapes}")
    checked.append(f"spin: {queries.SPIN_COUNT} spins, spinsLeft and chipsWon right, in {names}")

    for name, server, impl in targets:
        status, _ = server.call(*queries.request_for(impl, "lookup", telegram_id=lookup_id), token="wrong")
        expect(status in (401, 403), f"{name}: a wrong token got HTTP {status}")
    checked.append(f"a wrong bearer token is refused (401/403) by {names}")
    return checked


def internals_switched_off(server, expected: list[str]) -> list[str]:
    """What the server's bench/internals.py removed; it must be exactly the modules asked for."""
    status, body = server.call("GET", "/bench/internals/", token="")
    expect(status == 200 and isinstance(body, dict), f"{server.name}: /bench/internals/ answered {status}")
    expect(sorted(body["off"]) == sorted(expected), f"{server.name}: switched off {body['off']}, asked {expected}")
    return [line for name in expected for line in body["off"][name]]
