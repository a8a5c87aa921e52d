"""Reads for the one-time legacy import: a whole tab's worth in one query each, never one per row."""
from collections.abc import Iterable

from ledger.models import Deposit, Player, Spin, SpinAccount, Withdrawal


def players_by_telegram_id(telegram_ids: Iterable[int]) -> dict[int, Player]:
    return {player.telegram_id: player for player in Player.objects.filter(telegram_id__in=set(telegram_ids))}


def spin_account_ids_by_telegram_id(telegram_ids: Iterable[int]) -> dict[int, int]:
    return dict(SpinAccount.objects.filter(player__telegram_id__in=set(telegram_ids))
                .values_list("player__telegram_id", "id"))


def existing_ids(model: type[Deposit | Withdrawal | Spin], ids: Iterable[int]) -> set[int]:
    """Which of these ids are rows of `model` (ids a sheet claims are the backend's)."""
    return set(model.objects.filter(pk__in=set(ids)).values_list("pk", flat=True))
