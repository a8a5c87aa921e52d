"""Players' requests, each decided by an admin exactly once: deposits and withdrawals (money), and the shape
they share with seat requests."""
from django.db import models
from django.db.models import Q

from ledger.models.base import Decided, RequestStatus
from ledger.models.payments import PaymentMethod
from ledger.models.players import Player


class PlayerRequest(Decided):
    """What every request of a player shares: an amount an admin decides on once (PENDING -> decided)."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="%(class)ss")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    pppoker_id = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=RequestStatus.choices, default=RequestStatus.PENDING)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["player"], condition=Q(status="PENDING"), name="one_pending_%(class)s_per_player"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(class)s_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="%(class)s_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="%(class)s_status_created"),
            models.Index(fields=["player", "-created_at"], name="%(class)s_player_created"),
        ]


class MoneyRequest(PlayerRequest):
    """What deposits and withdrawals share: money in a payment method's currency."""

    method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=8)
    account_name = models.CharField(max_length=128)
    # The legacy sheet's request id (DEP2025…, WDW…): not unique, kept for reference only.
    legacy_ref = models.CharField(max_length=32, blank=True, default="", db_index=True)

    class Meta(PlayerRequest.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name.title()} #{self.pk} {self.amount} {self.currency} ({self.status})"


class Deposit(MoneyRequest):
    # Recorded at approval: the rate then in force and the amount in MVR.
    rate_to_base = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    amount_base = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    proof = models.CharField(max_length=256)  # Telegram file id of the slip, or a USDT TXID
    spins_granted = models.PositiveIntegerField(default=0)
    spin_tier_version = models.PositiveIntegerField(null=True, blank=True,
                                                    help_text="The spin tier table its spins came from (at approval).")
    # The credit this deposit pays; approving it settles that credit if it is still open.
    credit = models.ForeignKey("ledger.Credit", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="settling_deposits")

    class Meta(MoneyRequest.Meta):
        constraints = [
            *MoneyRequest.Meta.constraints,
            models.CheckConstraint(
                condition=Q(amount_base__isnull=True) | Q(amount_base__gt=0), name="deposit_amount_base_positive"
            ),
        ]


class Withdrawal(MoneyRequest):
    # Fixed at creation: the minimum is checked in MVR then.
    rate_to_base = models.DecimalField(max_digits=12, decimal_places=4)
    amount_base = models.DecimalField(max_digits=16, decimal_places=2)
    account_number = models.CharField(max_length=128)

    class Meta(MoneyRequest.Meta):
        constraints = [
            *MoneyRequest.Meta.constraints,
            models.CheckConstraint(condition=Q(amount_base__gt=0), name="withdrawal_amount_base_positive"),
        ]
