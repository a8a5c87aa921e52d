"""Random sequences of every service against a small in-memory model of the rules.

After every step the database, the journal and the model must agree. The
number of sequences comes from the Hypothesis profile (CI runs 1,000).
"""
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from ledger import services
from ledger.actors import Actor
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.models import Deposit, SpinAccount
from ledger.rules import spins_for_amount
from tests.conftest import seed_payment_methods

PLAYERS = (5_000_000_001, 5_000_000_002, 3)
RATES = {"BML": Decimal("1"), "USDT": Decimal("15.40")}
ADMIN = Actor(label="model admin", telegram_id=1)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2)


@dataclass
class ModelPlayer:
    spins: int = 0
    used: int = 0
    chips_won: int = 0
    chips_approved: int = 0
    deposited: Decimal = Decimal("0")
    withdrawn: Decimal = Decimal("0")
    account_name: str = ""
    pending_deposit: tuple | None = None  # (id, amount, method, account name)
    pending_withdrawal: tuple | None = None  # (id, amount_base)
    pending_rewards: dict = field(default_factory=dict)  # spin id -> chips
    decided: list = field(default_factory=list)  # ("deposit"|"withdrawal"|"spin", id)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each sequence runs in a savepoint that is rolled back at its end.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        seed_payment_methods()
        self.players = {tid: ModelPlayer() for tid in PLAYERS}
        for tid in PLAYERS:
            services.user_upsert(telegram_id=tid, username=f"p{tid}")

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def refused(self, code: str, call, **kwargs):
        with pytest.raises(LedgerError) as error:
            call(**kwargs)
        assert error.value.code == code, error.value.message

    @rule(tid=st.sampled_from(PLAYERS), amount=amounts, method=st.sampled_from(sorted(RATES)),
          name=st.sampled_from(["Ali Ahmed", "Sara Z"]))
    def create_deposit(self, tid, amount, method, name):
        player = self.players[tid]
        kwargs = dict(telegram_id=tid, amount=amount, method=method, account_name=name, proof="slip",
                      pppoker_id="12345")
        if player.pending_deposit:
            return self.refused("DUPLICATE_PENDING", services.deposit_create, **kwargs)
        deposit = services.deposit_create(**kwargs)
        player.pending_deposit = (deposit.pk, amount, method, name)

    @precondition(lambda self: any(p.pending_deposit for p in self.players.values()))
    @rule(data=st.data(), correct=st.none() | amounts)
    def approve_deposit(self, data, correct):
        tid = data.draw(st.sampled_from([t for t, p in self.players.items() if p.pending_deposit]))
        player = self.players[tid]
        deposit_id, amount, method, name = player.pending_deposit
        services.deposit_approve(deposit_id=deposit_id, actor=ADMIN, amount=correct)
        base = ((correct or amount) * RATES[method]).quantize(Decimal("0.01"))
        player.spins += spins_for_amount(base)
        player.deposited += base
        player.account_name = player.account_name or name
        player.pending_deposit = None
        player.decided.append(("deposit", deposit_id))

    @precondition(lambda self: any(p.pending_deposit for p in self.players.values()))
    @rule(data=st.data())
    def reject_deposit(self, data):
        tid = data.draw(st.sampled_from([t for t, p in self.players.items() if p.pending_deposit]))
        player = self.players[tid]
        services.deposit_reject(deposit_id=player.pending_deposit[0], actor=ADMIN, reason="no slip")
        player.decided.append(("deposit", player.pending_deposit[0]))
        player.pending_deposit = None

    @rule(tid=st.sampled_from(PLAYERS), amount=amounts, method=st.sampled_from(sorted(RATES)))
    def create_withdrawal(self, tid, amount, method):
        player = self.players[tid]
        kwargs = dict(telegram_id=tid, amount=amount, method=method, account_number="7730001", pppoker_id="12345")
        base = (amount * RATES[method]).quantize(Decimal("0.01"))
        if base < 200:
            return self.refused("BELOW_MINIMUM", services.withdrawal_create, **kwargs)
        if not player.account_name:
            return self.refused("ACCOUNT_NAME_MISMATCH", services.withdrawal_create, **kwargs)
        if player.pending_withdrawal:
            return self.refused("DUPLICATE_PENDING", services.withdrawal_create, **kwargs)
        withdrawal = services.withdrawal_create(**kwargs)
        assert withdrawal.account_name == player.account_name
        player.pending_withdrawal = (withdrawal.pk, base)

    @precondition(lambda self: any(p.pending_withdrawal for p in self.players.values()))
    @rule(data=st.data(), approve=st.booleans())
    def decide_withdrawal(self, data, approve):
        tid = data.draw(st.sampled_from([t for t, p in self.players.items() if p.pending_withdrawal]))
        player = self.players[tid]
        withdrawal_id, base = player.pending_withdrawal
        if approve:
            services.withdrawal_approve(withdrawal_id=withdrawal_id, actor=ADMIN)
            player.withdrawn += base
        else:
            services.withdrawal_reject(withdrawal_id=withdrawal_id, actor=ADMIN, reason="x")
        player.pending_withdrawal = None
        player.decided.append(("withdrawal", withdrawal_id))

    @rule(tid=st.sampled_from(PLAYERS), spins=st.integers(min_value=1, max_value=30))
    def grant(self, tid, spins):
        services.spins_grant(telegram_id=tid, spins=spins, reason="model", actor=ADMIN)
        self.players[tid].spins += spins

    @rule(tid=st.sampled_from(PLAYERS), count=st.none() | st.integers(min_value=1, max_value=40),
          key=st.none() | st.sampled_from(["k1", "k2"]))
    def spin(self, tid, count, key):
        player = self.players[tid]
        kwargs = dict(telegram_id=tid, count=count, idempotency_key=f"{tid}-{key}-{player.used}" if key else None)
        wanted = player.spins if count is None else count
        if wanted == 0 or wanted > player.spins:
            return self.refused("INSUFFICIENT_SPINS", services.spins_process, **kwargs)
        batch = services.spins_process(**kwargs)
        if key:  # a retry returns the same batch and spends nothing more
            again = services.spins_process(**kwargs)
            assert [s.pk for s in again.spins] == [s.pk for s in batch.spins]
        assert len(batch.spins) == wanted
        player.spins -= wanted
        player.used += wanted
        player.chips_won += batch.chips_won
        player.pending_rewards.update({s.pk: s.chips for s in batch.spins if s.chips})
        assert batch.spins_left == player.spins

    # Prize outcomes are truly random, so the rules below must draw the same data
    # whatever was won: they pick by index and do nothing when there is nothing to pick.
    @rule(tid=st.sampled_from(PLAYERS), pick=st.integers(min_value=0, max_value=10_000),
          how=st.sampled_from(["approve", "reject", "all"]))
    def decide_reward(self, tid, pick, how):
        player = self.players[tid]
        if how == "all":
            approved = services.spin_rewards_approve_all(telegram_id=tid, actor=ADMIN)
            assert {s.pk for s in approved} == set(player.pending_rewards)
            player.chips_approved += sum(player.pending_rewards.values())
            player.decided += [("spin", pk) for pk in player.pending_rewards]
            player.pending_rewards.clear()
            return
        if not player.pending_rewards:
            return
        spin_id = sorted(player.pending_rewards)[pick % len(player.pending_rewards)]
        chips = player.pending_rewards.pop(spin_id)
        if how == "approve":
            services.spin_reward_approve(spin_id=spin_id, actor=ADMIN)
            player.chips_approved += chips
        else:
            services.spin_reward_reject(spin_id=spin_id, actor=ADMIN, reason="x")
            player.chips_won -= chips
        player.decided.append(("spin", spin_id))

    @rule(tid=st.sampled_from(PLAYERS), pick=st.integers(min_value=0, max_value=10_000))
    def decide_again(self, tid, pick):
        decided = self.players[tid].decided
        if not decided:
            return
        kind, pk = decided[pick % len(decided)]
        call = {"deposit": lambda: services.deposit_approve(deposit_id=pk, actor=ADMIN),
                "withdrawal": lambda: services.withdrawal_reject(withdrawal_id=pk, actor=ADMIN, reason="x"),
                "spin": lambda: services.spin_reward_approve(spin_id=pk, actor=ADMIN)}[kind]
        with pytest.raises(LedgerError) as error:
            call()
        assert error.value.code == "ALREADY_DECIDED"

    @invariant()
    def database_model_and_journal_agree(self):
        assert ledger_discrepancies() == []
        accounts = {a.player.telegram_id: a for a in SpinAccount.objects.select_related("player")}
        for tid, player in self.players.items():
            account = accounts[tid]
            assert (account.available_spins, account.total_spins_used, account.total_chips_won,
                    account.total_chips_approved, account.total_deposit_base, account.total_withdrawn_base) == (
                player.spins, player.used, player.chips_won, player.chips_approved, player.deposited,
                player.withdrawn)
        assert Deposit.objects.filter(status="PENDING").count() == sum(
            1 for p in self.players.values() if p.pending_deposit)



@pytest.mark.slow
def test_random_sequences_keep_the_ledger_consistent(db):
    from hypothesis import settings
    run_state_machine_as_test(LedgerMachine, settings=settings(settings.default, stateful_step_count=25))
