"""Seat requests and credits: the admins' queue oldest first, credits newest first, and the one rule
that an open credit blocks a player (asked by every service it blocks)."""
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from ledger.errors import CreditOpen
from ledger.models import Credit, CreditStatus, RequestStatus, SeatRequest
from ledger.selectors.common import newest_first


def seat_request_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[SeatRequest]:
    return newest_first(SeatRequest.objects.all(), status=status, telegram_id=telegram_id)


def seat_requests_pending() -> QuerySet[SeatRequest]:
    return seat_request_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def credit_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Credit]:
    return newest_first(Credit.objects.all(), status=status, telegram_id=telegram_id)


def credit_open_refusal(*, player_id: int) -> CreditOpen | None:
    """Why a player with an open credit may not ask for a seat, withdraw or claim recovery; None if free."""
    credit = Credit.objects.filter(player_id=player_id, status=CreditStatus.OPEN).only("amount").first()
    if credit is None:
        return None
    return CreditOpen(f"You have an open credit of {credit.amount} MVR (#{credit.pk}); pay it first.")


def open_credits_now() -> tuple[int, Decimal]:
    """How many credits are open and what they owe (MVR), from the credits themselves."""
    totals = Credit.objects.filter(status=CreditStatus.OPEN).aggregate(n=Count("id"), owed=Sum("amount"))
    return totals["n"], (totals["owed"] or Decimal("0")).quantize(Decimal("0.01"))
