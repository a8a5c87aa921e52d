"""Seat on credit: a player's request for chips now, and the credit an approval opens until it is paid."""
from django.db import models
from django.db.models import Q

from ledger.models.players import Player
from ledger.models.requests import Deposit, PlayerRequest


class CreditStatus(models.TextChoices):
    OPEN = "OPEN", "Open"
    SETTLED = "SETTLED", "Settled"  # paid by the deposit in `settlement`
    CLEARED = "CLEARED", "Cleared"  # closed by hand: paid another way or written off


class SeatRequest(PlayerRequest):
    """Chips now, pay later: `amount` in MVR, and the PPPoker id on file when the player asked. Approving
    it opens a credit."""

    # The legacy sheet's request id, as on deposits: not unique, kept so the mirror finds the row again.
    legacy_ref = models.CharField(max_length=32, blank=True, default="", db_index=True)

    def __str__(self) -> str:
        return f"Seat request #{self.pk} {self.amount} MVR ({self.status})"


class Credit(models.Model):
    """What a player owes for an approved seat, until a deposit settles it or an admin clears it."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="credits")
    seat_request = models.OneToOneField(SeatRequest, on_delete=models.PROTECT, related_name="credit")
    amount = models.DecimalField(max_digits=14, decimal_places=2)  # MVR owed
    status = models.CharField(max_length=8, choices=CreditStatus.choices, default=CreditStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=128, blank=True, default="")
    reason = models.CharField(max_length=500, blank=True, default="")  # why it was cleared by hand
    settlement = models.OneToOneField(Deposit, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="settled_credit")
    # Payment reminders sent so far; the worker moves it on by a conditional update, so each is sent once.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["player"], condition=Q(status="OPEN"), name="one_open_credit_per_player"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=CreditStatus.values), name="credit_status_valid"),
            # Settled means settled by a deposit; nothing else carries one.
            models.CheckConstraint(
                condition=Q(status="SETTLED", settlement__isnull=False) | (~Q(status="SETTLED")
                                                                            & Q(settlement__isnull=True)),
                name="credit_settled_by_a_deposit",
            ),
            models.CheckConstraint(condition=Q(status="OPEN") | Q(closed_at__isnull=False),
                                   name="credit_closed_when_not_open"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="credit_status_created")]

    def __str__(self) -> str:
        return f"Credit #{self.pk} {self.amount} MVR ({self.status})"
