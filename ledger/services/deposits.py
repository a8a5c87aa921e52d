"""Deposits: a player's payment, approved once (spins by the tier table, a bonus while a deposit bonus promotion
runs) or rejected with a reason."""
from typing import Any

from django.db import IntegrityError, transaction

from ledger.actors import Actor
from ledger.errors import DuplicatePending
from ledger.models import Deposit, JournalEntry, JournalKind, RequestStatus
from ledger.rules import spins_for_amount
from ledger.selectors.rule_tables import spin_tiers_in_force
from ledger.services import journal
from ledger.services.common import (
    active_method, decide, emit, ensure_pending, locked, locked_account, money_request_reject, player_for,
)
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.credits import credit_settle_by, credit_to_settle
from ledger.services.idempotency import idempotent
from ledger.services.promotions import bonus_grant
from ledger.services.players import payout_name_set_once
from ledger.validators import amount_in_base, clean_amount, clean_pppoker_id, clean_text

DUPLICATE = "You already have a pending deposit; wait for it to be decided."


def deposit_create(*, telegram_id: int, amount: Any, method: str, account_name: str, proof: str,
                   pppoker_id: str, credit_id: Any = None, idempotency_key: str | None = None) -> Deposit:
    """A player's payment; naming `credit_id` (their own open credit) makes it settle that credit."""
    request = {"telegram_id": telegram_id, "amount": str(amount), "method": method,
               "account_name": account_name, "proof": proof, "pppoker_id": pppoker_id}
    if credit_id is not None:  # absent from the fingerprint when not given, so older keys still match
        request["credit_id"] = str(credit_id)
    with transaction.atomic():
        return idempotent(
            operation="deposit_create", key=idempotency_key, request=request,
            run=lambda: _deposit_create(telegram_id=telegram_id, amount=amount, method=method,
                                        account_name=account_name, proof=proof, pppoker_id=pppoker_id,
                                        credit_id=credit_id),
            dump=lambda deposit: {"id": deposit.pk},
            load=lambda result: Deposit.objects.select_related("player", "method").get(pk=result["id"]),
        )


def _deposit_create(*, telegram_id, amount, method, account_name, proof, pppoker_id, credit_id) -> Deposit:
    refuse_while_counter_closed()
    player = player_for(telegram_id)
    payment_method = active_method(method)
    deposit = Deposit(
        player=player,
        method=payment_method,
        amount=clean_amount(amount),
        currency=payment_method.currency,
        account_name=clean_text(account_name, field="accountName", max_length=128, label="The account name"),
        proof=clean_text(proof, field="proof", max_length=256, label="The slip or TXID"),
        pppoker_id=clean_pppoker_id(pppoker_id),
        credit=credit_to_settle(player=player, credit_id=credit_id),
    )
    if Deposit.objects.filter(player=player, status=RequestStatus.PENDING).exists():
        raise DuplicatePending(DUPLICATE)
    try:
        with transaction.atomic():
            deposit.save()
    except IntegrityError:  # the partial unique index caught a concurrent second request
        raise DuplicatePending(DUPLICATE) from None
    emit("deposit.created", player, deposit_id=deposit.pk, amount=str(deposit.amount),
         currency=deposit.currency, method=payment_method.code, credit_id=deposit.credit_id)
    return deposit


def deposit_approve(*, deposit_id: int, actor: Actor, amount: Any = None) -> Deposit:
    """Approve a pending deposit, optionally correcting its amount; grants its spins and its bonus if a deposit
    bonus promotion is running, and settles its credit."""
    with transaction.atomic():
        deposit = locked(Deposit, deposit_id, "deposit", related=("player", "method"))
        ensure_pending(deposit, "deposit")
        settled = credit_settle_by(deposit, actor)
        # The player's lock before the decision's time is taken: a player's decisions are timed in the
        # order they happen, which the recovery figures rely on (services.promotions).
        account = locked_account(deposit.player_id)
        if amount is not None:
            deposit.amount = clean_amount(amount)
        method = deposit.method
        deposit.currency = method.currency
        deposit.rate_to_base = method.rate_to_base
        deposit.amount_base = amount_in_base(deposit.amount, method.rate_to_base)
        tiers = spin_tiers_in_force()
        deposit.spins_granted = spins_for_amount(deposit.amount_base, tiers.tiers)
        deposit.spin_tier_version = tiers.version
        decide(deposit, status=RequestStatus.APPROVED, actor=actor)
        deposit.save()

        if payout_name_set_once(player_id=deposit.player_id, name=deposit.account_name):
            deposit.player.refresh_from_db()

        account.available_spins += deposit.spins_granted
        account.total_deposit_base += deposit.amount_base
        account.version += 1
        account.save()
        journal.record(JournalEntry(
            kind=JournalKind.DEPOSIT_APPROVED, player_id=deposit.player_id, deposit=deposit,
            amount_base=deposit.amount_base, spins=deposit.spins_granted, actor=actor.label))
        bonus = bonus_grant(deposit, actor)
        emit("deposit.approved", deposit.player, deposit_id=deposit.pk, amount=str(deposit.amount),
             currency=deposit.currency, amount_base=str(deposit.amount_base),
             spins_granted=deposit.spins_granted, decided_by=actor.label,
             settled_credit_id=settled.pk if settled else None,
             bonus_id=bonus.pk if bonus else None, bonus_amount=str(bonus.amount) if bonus else None,
             bonus_percentage=str(bonus.percentage) if bonus else None)
        return deposit


def deposit_reject(*, deposit_id: int, actor: Actor, reason: str) -> Deposit:
    return money_request_reject(Deposit, request_id=deposit_id, label="deposit", actor=actor, reason=reason)
