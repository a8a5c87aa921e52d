"""Every mutation of the contract costs a pinned number of SQL statements, per database.

A change that adds a query to a mutation (a lazy foreign key, a lookup per spin) fails here with
the new count; if it is intended, pin the new number. Savepoints and locks are statements too and
are counted. The spin mutations cost the same for 1 and for 50 spins.
"""
import hmac

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.actors import Actor
from ledger.models import RewardStatus, Spin
from ledger.rules import PRIZES
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit, deposit_for

USER = "user { telegramId username spinAccount { availableSpins } }"
SPIN_USER = "user { telegramId username }"  # what the bot asks of each spin
OUTCOME = "... on OperationInfo { messages { code message } }"
SPIN_FIELDS = "id prize chips status %s" % SPIN_USER
REQUEST_FIELDS = "id amount method status decidedBy %s" % USER

UPSERT_USER = """mutation($input: UserInput!) { upsertUser(input: $input) {
  ... on User { telegramId username spinAccount { availableSpins } } %s } }""" % OUTCOME
CREATE_DEPOSIT = """mutation($input: DepositInput!) { createDeposit(input: $input) {
  ... on Deposit { %s } %s } }""" % (REQUEST_FIELDS, OUTCOME)
APPROVE_DEPOSIT = """mutation($id: ID!) { approveDeposit(id: $id, actorTelegramId: %d) {
  ... on Deposit { %s spinsGranted } %s } }""" % (ADMIN_ID, REQUEST_FIELDS, OUTCOME)
REJECT_DEPOSIT = """mutation($id: ID!) { rejectDeposit(id: $id, reason: "blurry slip", actorTelegramId: %d) {
  ... on Deposit { %s } %s } }""" % (ADMIN_ID, REQUEST_FIELDS, OUTCOME)
CREATE_WITHDRAWAL = """mutation($input: WithdrawalInput!) { createWithdrawal(input: $input) {
  ... on Withdrawal { %s } %s } }""" % (REQUEST_FIELDS, OUTCOME)
APPROVE_WITHDRAWAL = """mutation($id: ID!) { approveWithdrawal(id: $id, actorTelegramId: %d) {
  ... on Withdrawal { %s } %s } }""" % (ADMIN_ID, REQUEST_FIELDS, OUTCOME)
REJECT_WITHDRAWAL = """mutation($id: ID!) { rejectWithdrawal(id: $id, reason: "wrong account", actorTelegramId: %d) {
  ... on Withdrawal { %s } %s } }""" % (ADMIN_ID, REQUEST_FIELDS, OUTCOME)
PROCESS_SPIN = """mutation($count: Int) { processSpin(telegramId: %d, count: $count) {
  ... on SpinBatch { chipsWon spinsLeft spins { %s } } %s } }""" % (PLAYER_ID, SPIN_FIELDS, OUTCOME)
APPROVE_SPIN_REWARD = """mutation($id: ID!) { approveSpinReward(id: $id, actorTelegramId: %d) {
  ... on Spin { %s } %s } }""" % (ADMIN_ID, SPIN_FIELDS, OUTCOME)
REJECT_SPIN_REWARD = """mutation($id: ID!) { rejectSpinReward(id: $id, reason: "duplicate", actorTelegramId: %d) {
  ... on Spin { %s } %s } }""" % (ADMIN_ID, SPIN_FIELDS, OUTCOME)
APPROVE_SPIN_REWARDS = """mutation { approveSpinRewards(telegramId: %d, actorTelegramId: %d) {
  ... on SpinRewards { chips spins { %s } } %s } }""" % (PLAYER_ID, ADMIN_ID, SPIN_FIELDS, OUTCOME)
GRANT_SPINS = """mutation { grantSpins(telegramId: %d, spins: 5, reason: "welcome", actorTelegramId: %d) {
  ... on SpinAccount { availableSpins totalSpinsUsed } %s } }""" % (PLAYER_ID, ADMIN_ID, OUTCOME)

UPDATE_PAYMENT_METHOD = """mutation { updatePaymentMethod(input: {code: "USD", rateToBase: "16.10",
  accountNumber: "1234"}, actorTelegramId: %d) {
  ... on PaymentMethod { code rateToBase accountNumber isActive } %s } }""" % (ADMIN_ID, OUTCOME)
ADMIN_FIELDS = "telegramId username isSuperAdmin fromEnvironment addedBy addedAt"
ADD_ADMIN = """mutation { addAdmin(telegramId: 4004, actorTelegramId: %d) { ... on Admin { %s } %s } }""" % (
    ADMIN_ID, ADMIN_FIELDS, OUTCOME)
REMOVE_ADMIN = """mutation { removeAdmin(telegramId: 4004, actorTelegramId: %d) { ... on Admin { %s } %s } }""" % (
    ADMIN_ID, ADMIN_FIELDS, OUTCOME)

WITHDRAWAL_INPUT = {"telegramId": PLAYER_ID, "amount": "300", "method": "BML", "accountNumber": "7730000123456",
                    "pppokerId": "12345"}

# Statements per mutation: {vendor: count}. A player's request reads the counter first (COUNTER_CLOSED).
PINNED = {
    "upsertUser (new)": {"sqlite": 10, "postgresql": 10},
    "upsertUser (existing)": {"sqlite": 8, "postgresql": 8},
    "createDeposit": {"sqlite": 11, "postgresql": 11},
    "approveDeposit": {"sqlite": 16, "postgresql": 16},  # the tiers in force, and the look for a running bonus
    "rejectDeposit": {"sqlite": 8, "postgresql": 8},
    "createWithdrawal": {"sqlite": 12, "postgresql": 12},
    "approveWithdrawal": {"sqlite": 13, "postgresql": 13},
    "rejectWithdrawal": {"sqlite": 8, "postgresql": 8},
    "processSpin (every_spin_wins)": {"sqlite": 10, "postgresql": 10},
    "processSpin (no_spin_wins)": {"sqlite": 9, "postgresql": 9},
    "approveSpinReward": {"sqlite": 12, "postgresql": 12},
    "rejectSpinReward": {"sqlite": 11, "postgresql": 11},
    "approveSpinRewards": {"sqlite": 12, "postgresql": 12},
    "grantSpins": {"sqlite": 9, "postgresql": 9},
    "updatePaymentMethod": {"sqlite": 10, "postgresql": 10},
    "addAdmin": {"sqlite": 12, "postgresql": 12},
    "removeAdmin": {"sqlite": 9, "postgresql": 9},
}


def statements(api, query: str, variables: dict | None = None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        data = api(query, variables)
    (payload,) = data.values()
    assert "messages" not in payload, payload  # a refusal would cost less and prove nothing
    return len(captured), payload


def assert_pinned(name: str, count: int) -> None:
    assert count == PINNED[name][connection.vendor], f"{name} on {connection.vendor}: {count} statements"


class FixedDigest:
    """What hmac.new hands the fair draw: a digest of all ones lands on the table's last prize, all
    zeros on its first (domain.md's formula reads the digest's first 13 hex digits)."""

    def __init__(self, digit: str):
        self.digit = digit

    def __call__(self, key, message, digestmod):
        return self

    def hexdigest(self) -> str:
        return self.digit * 64


@pytest.fixture
def every_spin_wins(monkeypatch):
    """The draw lands on the last prize, which wins chips: every spin is a win to decide."""
    assert PRIZES[-1].chips
    monkeypatch.setattr(hmac, "new", FixedDigest("f"))


@pytest.fixture
def no_spin_wins(monkeypatch):
    assert not PRIZES[0].chips
    monkeypatch.setattr(hmac, "new", FixedDigest("0"))


def pending_wins(count: int, admin: Actor) -> list[Spin]:
    services.spins_grant(telegram_id=PLAYER_ID, spins=count, reason="setup", actor=admin)
    spins = services.spins_process(telegram_id=PLAYER_ID, count=count).spins
    assert all(spin.status == RewardStatus.PENDING for spin in spins)
    return spins


def test_upsert_user(api, methods):
    count, user = statements(api, UPSERT_USER, {"input": {"telegramId": PLAYER_ID, "username": "ali"}})
    assert user["spinAccount"]["availableSpins"] == 0
    assert_pinned("upsertUser (new)", count)
    count, user = statements(api, UPSERT_USER, {"input": {"telegramId": PLAYER_ID, "username": "ali2"}})
    assert user["username"] == "ali2"
    assert_pinned("upsertUser (existing)", count)


def test_create_deposit(api, player):
    count, deposit = statements(api, CREATE_DEPOSIT, {"input": {
        "telegramId": PLAYER_ID, "amount": "500", "method": "BML", "accountName": "Ali Ahmed",
        "proof": "AgACAgUAAxkBAAIB", "pppokerId": "12345"}})
    assert deposit["status"] == "PENDING"
    assert_pinned("createDeposit", count)


@pytest.mark.parametrize("name, mutation, status", [
    ("approveDeposit", APPROVE_DEPOSIT, "APPROVED"), ("rejectDeposit", REJECT_DEPOSIT, "REJECTED")])
def test_decide_deposit(api, player, admin, name, mutation, status):
    deposit = deposit_for(PLAYER_ID)
    count, decided = statements(api, mutation, {"id": deposit.pk})
    assert decided["status"] == status
    assert_pinned(name, count)


def test_create_withdrawal(api, player, admin):
    approved_deposit(PLAYER_ID, admin, account_name="Ali Ahmed")
    count, withdrawal = statements(api, CREATE_WITHDRAWAL, {"input": WITHDRAWAL_INPUT})
    assert withdrawal["status"] == "PENDING"
    assert_pinned("createWithdrawal", count)


@pytest.mark.parametrize("name, mutation, status", [
    ("approveWithdrawal", APPROVE_WITHDRAWAL, "APPROVED"), ("rejectWithdrawal", REJECT_WITHDRAWAL, "REJECTED")])
def test_decide_withdrawal(api, player, admin, name, mutation, status):
    approved_deposit(PLAYER_ID, admin, account_name="Ali Ahmed")
    withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                            account_number="7730000123456", pppoker_id="12345")
    count, decided = statements(api, mutation, {"id": withdrawal.pk})
    assert decided["status"] == status
    assert_pinned(name, count)


@pytest.mark.parametrize("outcome", ["every_spin_wins", "no_spin_wins"])
def test_process_spin_costs_the_same_for_1_and_50_spins(api, player, admin, request, outcome):
    request.getfixturevalue(outcome)
    services.spins_grant(telegram_id=PLAYER_ID, spins=51, reason="setup", actor=admin)
    one, batch = statements(api, PROCESS_SPIN, {"count": 1})
    fifty, batch_of_fifty = statements(api, PROCESS_SPIN, {"count": 50})
    assert (len(batch["spins"]), len(batch_of_fifty["spins"]), batch_of_fifty["spinsLeft"]) == (1, 50, 0)
    assert (batch_of_fifty["chipsWon"] > 0) == (outcome == "every_spin_wins")
    assert fifty == one, f"processSpin: {one} statements for 1 spin, {fifty} for 50"
    assert_pinned(f"processSpin ({outcome})", one)


@pytest.mark.parametrize("name, mutation, status", [
    ("approveSpinReward", APPROVE_SPIN_REWARD, "APPROVED"), ("rejectSpinReward", REJECT_SPIN_REWARD, "REJECTED")])
def test_decide_spin_reward(api, player, admin, every_spin_wins, name, mutation, status):
    (spin,) = pending_wins(1, admin)
    count, decided = statements(api, mutation, {"id": spin.pk})
    assert decided["status"] == status
    assert_pinned(name, count)


@pytest.mark.parametrize("wins", [1, 50])
def test_approve_spin_rewards_costs_the_same_for_1_and_50_wins(api, player, admin, every_spin_wins, wins):
    pending_wins(wins, admin)
    count, approved = statements(api, APPROVE_SPIN_REWARDS)
    assert len(approved["spins"]) == wins and {spin["status"] for spin in approved["spins"]} == {"APPROVED"}
    assert_pinned("approveSpinRewards", count)


def test_grant_spins(api, player, admin):
    count, account = statements(api, GRANT_SPINS)
    assert account["availableSpins"] == 5
    assert_pinned("grantSpins", count)


def test_approve_spin_rewards_with_each_spins_account_costs_the_same_for_1_and_50_wins(
        api, player, admin, every_spin_wins):
    query = APPROVE_SPIN_REWARDS.replace(SPIN_USER, USER)
    pending_wins(1, admin)
    one, _ = statements(api, query)
    pending_wins(50, admin)
    fifty, approved = statements(api, query)
    assert len(approved["spins"]) == 50
    assert fifty == one, f"approveSpinRewards: {one} statements for 1 win, {fifty} for 50"


def test_settings_mutations(api, methods, admin):
    """Two fields of a method change: a record and an event each, one save."""
    count, method = statements(api, UPDATE_PAYMENT_METHOD)
    assert (method["rateToBase"], method["accountNumber"]) == ("16.1000", "1234")
    assert_pinned("updatePaymentMethod", count)
    count, added = statements(api, ADD_ADMIN)
    assert added["telegramId"] == 4004
    assert_pinned("addAdmin", count)
    count, removed = statements(api, REMOVE_ADMIN)
    assert removed["telegramId"] == 4004
    assert_pinned("removeAdmin", count)
