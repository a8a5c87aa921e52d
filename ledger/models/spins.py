"""The prize wheel: each player's spin account and every spin's outcome."""
import secrets

from django.db import models
from django.db.models import F, Q

from ledger.models.base import Decided, RewardStatus
from ledger.models.players import Player


def new_server_seed() -> str:
    return secrets.token_hex(32)


def new_client_seed() -> str:
    return secrets.token_hex(8)


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
    # Fair draws: the seed stays secret until it is rotated out; only its hash is ever shown.
    server_seed = models.CharField(max_length=64, default=new_server_seed)
    client_seed = models.CharField(max_length=64, default=new_client_seed)
    nonce = models.PositiveIntegerField(default=0, help_text="The next spin's nonce under the current seed.")
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
    # What the outcome was drawn from; empty and null on spins from before fair draws (the import).
    server_seed_hash = models.CharField(max_length=64, blank=True, default="")
    client_seed = models.CharField(max_length=64, blank=True, default="")
    nonce = models.PositiveIntegerField(null=True, blank=True)
    prize_table_version = models.PositiveIntegerField(default=1, help_text="The prize table it was drawn on.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A seed's nonces are used once each: no two spins can claim one outcome.
            models.UniqueConstraint(fields=["server_seed_hash", "nonce"], condition=Q(nonce__isnull=False),
                                    name="spin_nonce_once_per_seed"),
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


class RevealedSeed(models.Model):
    """A server seed rotated out: public from then on, so anyone can recompute the spins drawn on it."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="revealed_seeds")
    server_seed = models.CharField(max_length=64)
    server_seed_hash = models.CharField(max_length=64, unique=True)
    spins_drawn = models.PositiveIntegerField(help_text="Its nonces 0 to spins_drawn - 1 were used.")
    revealed_at = models.DateTimeField()

    class Meta:
        ordering = ["-revealed_at", "-id"]
        indexes = [models.Index(fields=["player", "-revealed_at"], name="revealed_seed_player")]

    def __str__(self) -> str:
        return f"Seed {self.server_seed_hash[:12]}… of {self.player_id}"
