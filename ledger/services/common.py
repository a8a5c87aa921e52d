"""What every service does the same way: find and lock what it decides on, decide, announce.

Locks are always taken in the order request -> credit -> spin account -> spin rows, so two services
never wait on each other in a cycle.
"""
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ledger.actors import Actor
from ledger.errors import AlreadyDecided, Invalid, NotFound
from ledger.models import Event, PaymentMethod, Player, RequestStatus, SpinAccount
from ledger.signals import notify_changed
from ledger.validators import clean_reason, clean_telegram_id, clean_text, parse_row_id


def player_for(telegram_id: Any) -> Player:
    player = Player.objects.filter(telegram_id=clean_telegram_id(telegram_id)).first()
    if player is None:
        raise NotFound(f"No player with Telegram id {telegram_id}; send /start first.", field="telegramId")
    return player


def active_method(code: str) -> PaymentMethod:
    code = clean_text(code, field="method", max_length=16, label="The payment method")
    method = PaymentMethod.objects.filter(code__iexact=code, is_active=True).first()
    if method is None:
        raise Invalid(f"{code!r} is not an active payment method.", field="method")
    return method


def locked(model: type[Model], pk: Any, label: str, *, related: tuple[str, ...] = ("player",)):
    """The request row, locked (its related rows are read, not locked)."""
    row_id = parse_row_id(pk, label=label)
    try:
        return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=row_id)
    except model.DoesNotExist:
        raise NotFound(f"No {label} with id {row_id}.", field="id") from None


def locked_account(player_id: int) -> SpinAccount:
    return SpinAccount.objects.select_for_update().get(player_id=player_id)


def ensure_pending(request, label: str) -> None:
    if request.status != RequestStatus.PENDING:
        by = f" by {request.decided_by}" if request.decided_by else ""
        raise AlreadyDecided(f"This {label} was already {request.status.lower()}{by}.")


def decide(request, *, status: str, actor: Actor, reason: str = "") -> None:
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = actor.label
    request.rejection_reason = reason
    request.version += 1  # safe: the row is locked


def emit(kind: str, player: Player | None, **payload: Any) -> Event:
    """The outbox event of a change, in the change's own transaction; `player` None for the club's
    own news (the counter, a broadcast)."""
    notify_changed(kind)
    return Event.objects.create(kind=kind, telegram_id=player.telegram_id if player else None, payload=payload)


def announce(kind: str, player: Player | None, **payload: Any) -> Event:
    """An outbox event for news the Sheets mirror does not show (support messages, broadcasts): the
    bot reads it like any other, and no sync is asked for."""
    return Event.objects.create(kind=kind, telegram_id=player.telegram_id if player else None, payload=payload)


def money_request_reject(model, *, request_id: Any, label: str, actor: Actor, reason: str):
    """Reject a pending deposit or withdrawal with the reason the player will read."""
    reason = clean_reason(reason)
    with transaction.atomic():
        request = locked(model, request_id, label, related=("player", "method"))
        ensure_pending(request, label)
        decide(request, status=RequestStatus.REJECTED, actor=actor, reason=reason)
        request.save()
        emit(f"{label}.rejected", request.player, **{f"{label}_id": request.pk}, amount=str(request.amount),
             currency=request.currency, reason=reason, decided_by=actor.label)
        return request
