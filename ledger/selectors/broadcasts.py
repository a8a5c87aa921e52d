"""Broadcasts newest first, and the copies the bot has still to deliver."""
from django.db.models import QuerySet

from ledger.models import Broadcast, BroadcastDelivery, BroadcastState, DeliveryStatus
from ledger.validators import parse_id_or_none

MAX_RECIPIENTS = 500  # per call: twenty seconds of sending at Telegram's rate


def broadcast_list(*, state: str | None = None) -> QuerySet[Broadcast]:
    broadcasts = Broadcast.objects.order_by("-created_at", "-id")
    return broadcasts.filter(state=state) if state else broadcasts


def broadcast_recipients_pending(*, broadcast_id, first: int = 100) -> list[int]:
    """Telegram ids of the next `first` players a SENDING broadcast has not reached yet, in a fixed
    order; none once it is done or cancelled. What was recorded is never listed again, so a bot
    that restarts goes on from here."""
    row_id = parse_id_or_none(broadcast_id)
    if row_id is None:
        return []
    first = max(0, min(int(first), MAX_RECIPIENTS))
    return list(BroadcastDelivery.objects
                .filter(broadcast_id=row_id, broadcast__state=BroadcastState.SENDING, status=DeliveryStatus.PENDING)
                .order_by("id").values_list("player__telegram_id", flat=True)[:first])
