"""The prize wheel: each player's spin account and every spin's outcome."""
from django.db import models
from django.db.models import F, Q

from ledger.models.base import Decided, RewardStatus
from ledger.models.players import Player


class SpinAccount(models.Model):
    """A player's running totals: a cache of the journal that check_ledger verifies."""

    player = models.OneToOneField(Player, on_delete=models.PROTECT, related_name="spin_account")
    available_spins = models.IntegerField(default=0)
    total_spins_used = models.IntegerField(default=0)
    total_chips_won = models.IntegerField(default=0)
    total_chips_approved = models.IntegerField(default=0)
    total_deposit_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    total_withdrawn_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_spin_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(available_spins__gte=0), name="spins_available_non_negative"),
            models.CheckConstraint(condition=Q(total_spins_used__gte=0), name="spins_used_non_negative"),
            models.CheckConstraint(condition=Q(total_chips_won__gte=0), name="chips_won_non_negative"),
            models.CheckConstraint(
                condition=Q(total_chips_approved__gte=0) & Q(total_chips_approved__lte=F("total_chips_won")),
                name="chips_approved_within_won",
            ),
        ]

    def __str__(self) -> str:
        return f"Spins of {self.player_id}: {self.available_spins} available"


class Spin(Decided):
    """One spin of the wheel. A win waits for an admin; "Try Again!" is AUTO."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="spins")
    prize = models.CharField(max_length=32)
    chips = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=RewardStatus.choices)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RewardStatus.values), name="spin_status_valid"),
            # A win is never AUTO and a "Try Again!" never waits for a decision.
            models.CheckConstraint(
                condition=(Q(chips=0) & Q(status="AUTO")) | (Q(chips__gt=0) & ~Q(status="AUTO")),
                name="spin_status_matches_prize",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="spin_status_created"),
            models.Index(fields=["player", "-created_at"], name="spin_player_created"),
        ]

    def __str__(self) -> str:
        return f"Spin #{self.pk} {self.prize} ({self.status})"
