"""Deposits and withdrawals: histories newest first, pending queues oldest first."""
from django.db.models import QuerySet

from ledger.models import Deposit, RequestStatus, Withdrawal


def deposit_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Deposit]:
    return _requests(Deposit, status=status, telegram_id=telegram_id)


def deposits_pending() -> QuerySet[Deposit]:
    return deposit_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def withdrawal_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Withdrawal]:
    return _requests(Withdrawal, status=status, telegram_id=telegram_id)


def withdrawals_pending() -> QuerySet[Withdrawal]:
    return withdrawal_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def _requests(model, *, status: str | None, telegram_id: int | None) -> QuerySet:
    requests = model.objects.select_related("player__spin_account", "method").order_by("-created_at", "-id")
    if status:
        requests = requests.filter(status=status)
    if telegram_id is not None:
        requests = requests.filter(player__telegram_id=telegram_id)
    return requests
