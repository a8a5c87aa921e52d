"""Broadcasts: an admin's text or photo to every player, delivered by the bot, each copy once.

Making a broadcast fixes its recipients (every player not marked as having blocked the bot) as one
PENDING delivery each. The bot asks for the pending ones, sends them at Telegram's pace and records
the outcomes in batches; a recorded delivery is never pending again, so a bot that restarts picks up
exactly the copies nobody has recorded. Recording takes the broadcast's row lock and changes only
rows that are still pending, so a batch recorded twice (a retry, two bots) counts once.
"""
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ledger.actors import Actor
from ledger.errors import AlreadyDecided, Invalid
from ledger.models import Broadcast, BroadcastDelivery, BroadcastState, DeliveryStatus, Player
from ledger.services.common import announce, locked
from ledger.services.idempotency import idempotent
from ledger.validators import (
    CAPTION_LENGTH, MESSAGE_LENGTH, clean_choice, clean_file_id, clean_message_text, clean_optional_text,
    clean_telegram_id,
)

MAX_DELIVERIES_PER_CALL = 100
OUTCOMES = (DeliveryStatus.SENT, DeliveryStatus.BLOCKED, DeliveryStatus.FAILED)
TALLIES = {DeliveryStatus.SENT: "sent", DeliveryStatus.BLOCKED: "blocked", DeliveryStatus.FAILED: "failed"}


def broadcast_create(*, text: str | None, actor: Actor, photo: str | None = None,
                     idempotency_key: str | None = None) -> Broadcast:
    """A broadcast to every player the bot can reach now; a retried confirmation (same key) makes one."""
    with transaction.atomic():
        return idempotent(
            operation="broadcast_create", key=idempotency_key, request={"text": text, "photo": photo},
            run=lambda: broadcast_start(text=text, photo=photo, actor=actor),
            dump=lambda broadcast: {"id": broadcast.pk},
            load=lambda result: Broadcast.objects.get(pk=result["id"]),
        )


def broadcast_start(*, text: str | None, photo: str | None, actor: Actor) -> Broadcast:
    """Inside the caller's transaction (a broadcast of its own, or the counter's announcement)."""
    photo = clean_file_id(photo)
    text = clean_message_text(text, max_length=CAPTION_LENGTH if photo else MESSAGE_LENGTH,
                              label="The caption" if photo else "The text")
    if not text and not photo:
        raise Invalid("A broadcast needs a text or a photo.", field="text")
    broadcast = Broadcast.objects.create(text=text, photo=photo, created_by=actor.label)
    broadcast.total = _snapshot_recipients(broadcast)
    if broadcast.total == 0:
        broadcast.state, broadcast.finished_at = BroadcastState.DONE, timezone.now()
    broadcast.save(update_fields=["total", "state", "finished_at"])
    announce("broadcast.created", None, broadcast_id=broadcast.pk, total=broadcast.total, created_by=actor.label)
    if broadcast.state == BroadcastState.DONE:
        _announce_finished(broadcast)
    return broadcast


def _snapshot_recipients(broadcast: Broadcast) -> int:
    """One PENDING delivery per reachable player, written by the database in one statement: ten
    thousand players would otherwise be ten thousand objects built and sent from here."""
    deliveries, players = (connection.ops.quote_name(model._meta.db_table) for model in (BroadcastDelivery, Player))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {deliveries} (broadcast_id, player_id, status, delivered_at, error) "
            f"SELECT %s, id, %s, NULL, '' FROM {players} WHERE bot_blocked_at IS NULL ORDER BY id",
            [broadcast.pk, DeliveryStatus.PENDING.value])
        return cursor.rowcount


def broadcast_deliveries_record(*, broadcast_id: Any, deliveries: list[tuple[Any, Any, Any]]) -> Broadcast:
    """Record what became of each copy: (telegram id, SENT | BLOCKED | FAILED, Telegram's error or None).

    Only copies still pending change; anything else in the batch (recorded before, not a recipient)
    is passed over, so the bot may send a batch again after a failure. A player who blocked the bot
    is marked and left out of later broadcasts until they write again. The last outcome finishes
    the broadcast (DONE, announced with the counts); a cancelled one keeps counting what was in flight.
    """
    if len(deliveries) > MAX_DELIVERIES_PER_CALL:
        raise Invalid(f"At most {MAX_DELIVERIES_PER_CALL} deliveries at a time.", field="deliveries")
    outcomes: dict[int, tuple[str, str]] = {}
    for telegram_id, outcome, error in deliveries:
        telegram_id = clean_telegram_id(telegram_id, field="chatId")
        if telegram_id in outcomes:
            raise Invalid(f"{telegram_id} is twice in one batch.", field="deliveries")
        outcome = clean_choice(outcome, DeliveryStatus, field="outcome", label="An outcome")
        if outcome not in OUTCOMES:
            raise Invalid("An outcome is SENT, BLOCKED or FAILED.", field="outcome")
        outcomes[telegram_id] = (outcome, clean_optional_text(error, field="error", max_length=500,
                                                              label="The error"))
    now = timezone.now()
    with transaction.atomic():
        broadcast = locked(Broadcast, broadcast_id, "broadcast", related=())
        rows = list(BroadcastDelivery.objects.filter(
            broadcast=broadcast, status=DeliveryStatus.PENDING, player__telegram_id__in=list(outcomes),
        ).values_list("id", "player_id", "player__telegram_id"))
        if not rows:
            return broadcast
        changed, blocked = [], []
        for pk, player_id, telegram_id in rows:
            outcome, error = outcomes[telegram_id]
            changed.append(BroadcastDelivery(pk=pk, status=outcome, delivered_at=now, error=error))
            setattr(broadcast, TALLIES[outcome], getattr(broadcast, TALLIES[outcome]) + 1)
            if outcome == DeliveryStatus.BLOCKED:
                blocked.append(player_id)
        BroadcastDelivery.objects.bulk_update(changed, ["status", "delivered_at", "error"])
        if blocked:
            Player.objects.filter(pk__in=blocked, bot_blocked_at__isnull=True).update(bot_blocked_at=now)
        finished = broadcast.state == BroadcastState.SENDING and broadcast.pending == 0
        if finished:
            broadcast.state, broadcast.finished_at = BroadcastState.DONE, now
        broadcast.version += 1
        broadcast.save(update_fields=["sent", "blocked", "failed", "state", "finished_at", "version"])
        if finished:
            _announce_finished(broadcast)
        return broadcast


def broadcast_cancel(*, broadcast_id: Any, actor: Actor) -> Broadcast:
    """Stop a broadcast that is still sending: the copies not delivered yet are not sent."""
    with transaction.atomic():
        broadcast = locked(Broadcast, broadcast_id, "broadcast", related=())
        if broadcast.state != BroadcastState.SENDING:
            by = f" by {broadcast.cancelled_by}" if broadcast.cancelled_by else ""
            raise AlreadyDecided(f"This broadcast was already {broadcast.state.lower()}{by}.")
        broadcast.state, broadcast.finished_at, broadcast.cancelled_by = (
            BroadcastState.CANCELLED, timezone.now(), actor.label)
        broadcast.version += 1
        broadcast.save(update_fields=["state", "finished_at", "cancelled_by", "version"])
        _announce_finished(broadcast)
        return broadcast


def _announce_finished(broadcast: Broadcast) -> None:
    kind = "broadcast.cancelled" if broadcast.state == BroadcastState.CANCELLED else "broadcast.done"
    announce(kind, None, broadcast_id=broadcast.pk, total=broadcast.total, sent=broadcast.sent,
             blocked=broadcast.blocked, failed=broadcast.failed, created_by=broadcast.created_by,
             cancelled_by=broadcast.cancelled_by)
