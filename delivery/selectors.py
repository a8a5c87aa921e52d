from django.db.models import QuerySet

from delivery.models import AdminMessage, EventCursor
from delivery.services import BOT_CONSUMER
from ledger.models import Event
from ledger.validators import clean_position, parse_id_or_none


def event_cursor_position(*, consumer: str = BOT_CONSUMER) -> int:
    cursor = EventCursor.objects.filter(consumer=consumer).first()
    return cursor.position if cursor else 0


def events_after(*, after=None, consumer: str = BOT_CONSUMER) -> QuerySet[Event]:
    """Events past `after`, or past what `consumer` acknowledged when `after` is not given."""
    position = clean_position(after, field="after") if after is not None else event_cursor_position(consumer=consumer)
    return Event.objects.filter(id__gt=position).order_by("id")


def admin_messages(*, request_kind: str, request_id) -> QuerySet[AdminMessage]:
    request_id = parse_id_or_none(request_id)
    if request_id is None:
        return AdminMessage.objects.none()
    return AdminMessage.objects.filter(request_kind=request_kind, request_id=request_id).order_by("id")
