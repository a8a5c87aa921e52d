"""Live support: a player's session with the admins, and its transcript."""
from django.db import models
from django.db.models import Q

from ledger.models.players import Player


class SupportState(models.TextChoices):
    WAITING = "WAITING", "Waiting"  # no admin has taken it yet
    ACTIVE = "ACTIVE", "Active"
    CLOSED = "CLOSED", "Closed"


OPEN_STATES = (SupportState.WAITING, SupportState.ACTIVE)


class SupportSession(models.Model):
    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="support_sessions")
    state = models.CharField(max_length=7, choices=SupportState.choices, default=SupportState.WAITING)
    agent = models.CharField(max_length=128, blank=True, default="")  # the admin who took it
    agent_telegram_id = models.BigIntegerField(null=True, blank=True)  # none for a staff login
    opened_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=128, blank=True, default="")  # an admin, "player" or "system"
    # When the admin's last message went unanswered: the idle clock. Cleared when the player writes.
    awaiting_player_since = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["player"], condition=Q(state__in=["WAITING", "ACTIVE"]),
                                    name="one_open_support_session_per_player"),
            models.CheckConstraint(condition=Q(state__in=SupportState.values), name="support_state_valid"),
            # Taken means taken by someone; waiting means nobody has it yet.
            models.CheckConstraint(condition=~Q(state="ACTIVE") | ~Q(agent=""), name="support_active_has_agent"),
            models.CheckConstraint(condition=~Q(state="WAITING") | Q(agent=""), name="support_waiting_has_no_agent"),
            models.CheckConstraint(condition=Q(state="CLOSED", closed_at__isnull=False)
                                   | (~Q(state="CLOSED") & Q(closed_at__isnull=True)),
                                   name="support_closed_at_when_closed"),
        ]
        indexes = [
            models.Index(fields=["state", "-opened_at"], name="support_state_opened"),
            models.Index(fields=["awaiting_player_since"], condition=Q(state="ACTIVE"), name="support_idle"),
        ]

    def __str__(self) -> str:
        return f"Support #{self.pk} ({self.state})"


class SupportMessage(models.Model):
    session = models.ForeignKey(SupportSession, on_delete=models.PROTECT, related_name="messages")
    from_admin = models.BooleanField()
    author = models.CharField(max_length=128)  # the admin's label, or the player's handle
    text = models.TextField(blank=True, default="")
    photo = models.CharField(max_length=256, blank=True, default="")  # a Telegram file id
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(photo=""), name="support_message_has_content"),
        ]

    def __str__(self) -> str:
        return f"Support #{self.session_id} message #{self.pk}"
