"""Broadcasts: one text or photo an admin sends to every player, and the delivery of each copy.

The recipients are fixed when the broadcast is made (a row per player, PENDING); the bot delivers
the pending ones and records each outcome once, so a restart resumes with exactly those not yet
delivered.
"""
from django.db import models
from django.db.models import F, Q

from ledger.models.players import Player


class BroadcastState(models.TextChoices):
    SENDING = "SENDING", "Sending"
    DONE = "DONE", "Done"  # every recipient's outcome is recorded
    CANCELLED = "CANCELLED", "Cancelled"


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SENT = "SENT", "Sent"
    BLOCKED = "BLOCKED", "Blocked"  # the player blocked the bot: marked, and skipped until they write again
    FAILED = "FAILED", "Failed"


class Broadcast(models.Model):
    text = models.TextField(blank=True, default="")
    photo = models.CharField(max_length=256, blank=True, default="")  # a Telegram file id
    state = models.CharField(max_length=10, choices=BroadcastState.choices, default=BroadcastState.SENDING)
    created_by = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=128, blank=True, default="")
    # Tallies of the deliveries, moved in the transaction that records them (the broadcast row is
    # locked), so they always equal the rows' statuses.
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    blocked = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=BroadcastState.values), name="broadcast_state_valid"),
            models.CheckConstraint(condition=Q(total__gte=F("sent") + F("blocked") + F("failed")),
                                   name="broadcast_outcomes_within_total"),
            models.CheckConstraint(condition=~Q(text="") | ~Q(photo=""), name="broadcast_has_content"),
            models.CheckConstraint(condition=Q(state="SENDING") | Q(finished_at__isnull=False),
                                   name="broadcast_finished_when_not_sending"),
        ]

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.blocked - self.failed

    def __str__(self) -> str:
        return f"Broadcast #{self.pk} ({self.state}, {self.sent}/{self.total} sent)"


class BroadcastDelivery(models.Model):
    """One player's copy of a broadcast."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    delivered_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")  # what Telegram answered a failure

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "broadcast deliveries"
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "player"], name="one_delivery_per_player"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
        ]
        # The bot's resume point: the pending copies of one broadcast, in order.
        indexes = [models.Index(fields=["broadcast", "id"], condition=Q(status="PENDING"),
                                name="delivery_pending")]

    def __str__(self) -> str:
        return f"Broadcast #{self.broadcast_id} to {self.player_id}: {self.status}"
