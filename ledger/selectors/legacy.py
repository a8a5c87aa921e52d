"""Reads for the one-time legacy import: a whole tab's worth in one query each, never one per row."""
from collections.abc import Iterable

from ledger.models import Deposit, Player, SeatRequest, Spin, SpinAccount, Withdrawal


def players_by_telegram_id(telegram_ids: Iterable[int]) -> dict[int, Player]:
    return {player.telegram_id: player for player in Player.objects.filter(telegram_id__in=set(telegram_ids))}


def spin_account_ids_by_telegram_id(telegram_ids: Iterable[int]) -> dict[int, int]:
    return dict(SpinAccount.objects.filter(player__telegram_id__in=set(telegram_ids))
                .values_list("player__telegram_id", "id"))


def existing_ids(model: type[Deposit | Withdrawal | Spin], ids: Iterable[int]) -> set[int]:
    """Which of these ids are rows of `model` (ids a sheet claims are the backend's)."""
    return set(model.objects.filter(pk__in=set(ids)).values_list("pk", flat=True))


def seat_requests_by_legacy_ref(refs: Iterable[str]) -> dict[tuple[str, int], SeatRequest]:
    """Seat requests with these legacy ids, by (legacy id, player id): legacy ids are unique only per player."""
    return {(seat.legacy_ref, seat.player_id): seat
            for seat in SeatRequest.objects.filter(legacy_ref__in=set(refs)).select_related("player")}
