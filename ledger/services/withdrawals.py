"""Withdrawals: a cash-out to the payout name, above the minimum, approved once or rejected."""
from typing import Any

from django.db import IntegrityError, transaction

from ledger.actors import Actor
from ledger.errors import DuplicatePending
from ledger.models import JournalEntry, JournalKind, RequestStatus, Withdrawal
from ledger.services import journal
from ledger.selectors.withdrawals import DUPLICATE, withdrawal_refusal
from ledger.services.common import (
    active_method, decide, emit, ensure_pending, locked, locked_account, money_request_reject, player_for,
)
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.credits import refuse_while_credit_open
from ledger.services.idempotency import idempotent
from ledger.validators import amount_in_base, clean_amount, clean_pppoker_id, clean_text


def withdrawal_create(*, telegram_id: int, amount: Any, method: str, account_number: str, pppoker_id: str,
                      idempotency_key: str | None = None) -> Withdrawal:
    request = {"telegram_id": telegram_id, "amount": str(amount), "method": method,
               "account_number": account_number, "pppoker_id": pppoker_id}
    with transaction.atomic():
        return idempotent(
            operation="withdrawal_create", key=idempotency_key, request=request,
            run=lambda: _withdrawal_create(telegram_id=telegram_id, amount=amount, method=method,
                                           account_number=account_number, pppoker_id=pppoker_id),
            dump=lambda withdrawal: {"id": withdrawal.pk},
            load=lambda result: Withdrawal.objects.select_related("player", "method").get(pk=result["id"]),
        )


def _withdrawal_create(*, telegram_id, amount, method, account_number, pppoker_id) -> Withdrawal:
    refuse_while_counter_closed()
    player = player_for(telegram_id)
    payment_method = active_method(method)
    withdrawal = Withdrawal(
        player=player,
        method=payment_method,
        amount=clean_amount(amount),
        currency=payment_method.currency,
        rate_to_base=payment_method.rate_to_base,
        account_number=clean_text(account_number, field="accountNumber", max_length=128,
                                   label="The account number or wallet"),
        pppoker_id=clean_pppoker_id(pppoker_id),
    )
    withdrawal.amount_base = amount_in_base(withdrawal.amount, payment_method.rate_to_base)
    refusal = withdrawal_refusal(player=player, amount_base=withdrawal.amount_base)
    if refusal is not None:
        raise refusal
    withdrawal.account_name = player.account_name
    try:
        with transaction.atomic():
            withdrawal.save()
    except IntegrityError:
        raise DuplicatePending(DUPLICATE) from None
    emit("withdrawal.created", player, withdrawal_id=withdrawal.pk, amount=str(withdrawal.amount),
         currency=withdrawal.currency, method=payment_method.code)
    return withdrawal


def withdrawal_approve(*, withdrawal_id: int, actor: Actor) -> Withdrawal:
    with transaction.atomic():
        withdrawal = locked(Withdrawal, withdrawal_id, "withdrawal", related=("player", "method"))
        ensure_pending(withdrawal, "withdrawal")
        # Under the player's lock, which opening a credit also takes: a seat approved after this
        # request was made still stops the payout. Taken before the decision's time, so a player's
        # decisions are timed in the order they happen (the recovery figures rely on it).
        account = locked_account(withdrawal.player_id)
        refuse_while_credit_open(withdrawal.player)
        decide(withdrawal, status=RequestStatus.APPROVED, actor=actor)
        withdrawal.save()
        account.total_withdrawn_base += withdrawal.amount_base
        account.version += 1
        account.save()
        journal.record(JournalEntry(
            kind=JournalKind.WITHDRAWAL_APPROVED, player_id=withdrawal.player_id, withdrawal=withdrawal,
            amount_base=withdrawal.amount_base, actor=actor.label))
        emit("withdrawal.approved", withdrawal.player, withdrawal_id=withdrawal.pk,
             amount=str(withdrawal.amount), currency=withdrawal.currency, decided_by=actor.label)
        return withdrawal


def withdrawal_reject(*, withdrawal_id: int, actor: Actor, reason: str) -> Withdrawal:
    return money_request_reject(Withdrawal, request_id=withdrawal_id, label="withdrawal", actor=actor, reason=reason)
