from dataclasses import dataclass

from django.db.models import QuerySet

from ledger.models import RevealedSeed, RewardStatus, Spin, SpinAccount
from ledger.rules import seed_hash, winnable_prizes
from ledger.selectors.rule_tables import prize_table_in_force


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
    weight: int


def prize_table() -> list[PrizeOdds]:
    """The published odds: the table in force."""
    prizes = winnable_prizes(prize_table_in_force().prizes)
    total = sum(prize.weight for prize in prizes)
    return [PrizeOdds(prize.label, prize.chips, prize.weight / total, prize.weight) for prize in prizes]


@dataclass(frozen=True)
class Fairness:
    server_seed_hash: str
    client_seed: str
    nonce: int
    previous_server_seed: str | None
    previous_server_seed_hash: str | None


def fairness(account: SpinAccount) -> Fairness:
    """What a player may know of their draws: the current seed's hash (never the seed), the last one revealed."""
    return fairness_of(account, RevealedSeed.objects.filter(player_id=account.player_id).first())


def fairness_of(account: SpinAccount, last_revealed: RevealedSeed | None) -> Fairness:
    return Fairness(server_seed_hash=seed_hash(account.server_seed), client_seed=account.client_seed,
                    nonce=account.nonce, previous_server_seed=last_revealed.server_seed if last_revealed else None,
                    previous_server_seed_hash=last_revealed.server_seed_hash if last_revealed else None)
