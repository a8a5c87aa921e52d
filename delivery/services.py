"""The bot's delivery bookkeeping: how far it has read the feed, where it showed each request."""
from typing import Any

from django.db import transaction

from delivery.models import AdminMessage, EventCursor
from ledger.errors import Invalid, NotFound
from ledger.models import (
    Broadcast, CashbackClaim, DailyReport, Deposit, Event, JoinRequest, SeatRequest, Spin, SupportSession, Withdrawal,
)
from ledger.validators import clean_count, clean_position, clean_telegram_id, parse_row_id

BOT_CONSUMER = "bot"
# What the bot shows to admins, by the kind name it uses: the requests (with buttons), a support
# session (Reply / End until someone takes it), a broadcast's progress (edited in place), and the
# daily report (recorded so that a repeated event tells no admin twice).
REQUEST_MODELS = {"deposit": Deposit, "withdrawal": Withdrawal, "spin": Spin, "seat": SeatRequest,
                  "cashback": CashbackClaim, "join": JoinRequest, "support": SupportSession, "broadcast": Broadcast,
                  "report": DailyReport}
# One message per admin; no club has more admins than this.
MAX_MESSAGES_PER_CALL = 100


def events_ack(*, up_to: Any, consumer: str = BOT_CONSUMER) -> int:
    """Move the consumer's cursor forward to `up_to`; returns how many events that acknowledged.

    The cursor never moves back, so a late or repeated ack is harmless. An ack past the newest
    event is refused: it would hide every event written after it.
    """
    up_to = clean_position(up_to, field="upTo")
    with transaction.atomic():
        cursor, _ = EventCursor.objects.select_for_update().get_or_create(consumer=consumer)
        if up_to <= cursor.position:
            return 0
        newest = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if up_to > newest:
            raise Invalid(f"There is no event {up_to}; the newest is {newest}.", field="upTo")
        acknowledged = Event.objects.filter(id__gt=cursor.position, id__lte=up_to).count()
        cursor.position = up_to
        cursor.save(update_fields=["position"])
        return acknowledged


def admin_messages_record(*, request_kind: str, request_id: Any, messages: list[tuple[Any, Any]]) -> int:
    """Remember (chat id, message id) pairs that show a request; a repeat replaces the old one."""
    model = REQUEST_MODELS.get(request_kind)
    if model is None:
        raise Invalid(f"Request kind must be one of {', '.join(REQUEST_MODELS)}.", field="kind")
    request_id = parse_row_id(request_id, label=request_kind, field="requestId")
    if len(messages) > MAX_MESSAGES_PER_CALL:
        raise Invalid(f"At most {MAX_MESSAGES_PER_CALL} messages at a time.", field="messages")
    rows = [AdminMessage(request_kind=request_kind, request_id=request_id,
                         chat_id=clean_telegram_id(chat_id, field="chatId"),
                         message_id=clean_count(message_id, field="messageId", maximum=2**63 - 1,
                                                label="A message id"))
            for chat_id, message_id in messages]
    with transaction.atomic():
        if not model.objects.filter(pk=request_id).exists():
            raise NotFound(f"No {request_kind} with id {request_id}.", field="requestId")
        AdminMessage.objects.bulk_create(rows, update_conflicts=True, update_fields=["message_id"],
                                         unique_fields=["request_kind", "request_id", "chat_id"])
    return len(rows)
