from dataclasses import dataclass

from django.db.models import QuerySet

from ledger.models import RewardStatus, Spin, SpinAccount
from ledger.rules import winnable_prizes


def spin_account_get(*, telegram_id: int) -> SpinAccount | None:
    return SpinAccount.objects.filter(player__telegram_id=telegram_id).first()


def spin_history(*, telegram_id: int | None = None, status: str | None = None) -> QuerySet[Spin]:
    spins = Spin.objects.select_related("player__spin_account").order_by("-created_at", "-id")
    if telegram_id is not None:
        spins = spins.filter(player__telegram_id=telegram_id)
    if status:
        spins = spins.filter(status=status)
    return spins


def spin_rewards_pending() -> QuerySet[Spin]:
    return spin_history(status=RewardStatus.PENDING).order_by("created_at", "id")


@dataclass(frozen=True)
class PrizeOdds:
    label: str
    chips: int
    probability: float


def prize_table() -> list[PrizeOdds]:
    prizes = winnable_prizes()
    total = sum(prize.weight for prize in prizes)
    return [PrizeOdds(prize.label, prize.chips, prize.weight / total) for prize in prizes]
