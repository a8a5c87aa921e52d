"""Deposits and withdrawals: histories newest first, pending queues oldest first."""
from decimal import Decimal

from django.db.models import QuerySet

from ledger.models import Deposit, RequestStatus, Withdrawal
from ledger.selectors.common import newest_first
from ledger.validators import amount_in_base


def deposit_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Deposit]:
    return _requests(Deposit, status=status, telegram_id=telegram_id)


def deposits_pending() -> QuerySet[Deposit]:
    return deposit_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def deposit_value_base(deposit: Deposit) -> Decimal:
    """What a deposit is worth in MVR: recorded at approval; until then, at its method's rate now."""
    if deposit.amount_base is not None:
        return deposit.amount_base
    return amount_in_base(deposit.amount, deposit.method.rate_to_base)


def withdrawal_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Withdrawal]:
    return _requests(Withdrawal, status=status, telegram_id=telegram_id)


def withdrawals_pending() -> QuerySet[Withdrawal]:
    return withdrawal_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def _requests(model, *, status: str | None, telegram_id: int | None) -> QuerySet:
    return newest_first(model.objects.select_related("method"), status=status, telegram_id=telegram_id)
