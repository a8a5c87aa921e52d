"""Promotions and what they pay: deposit bonuses, recovery (cashback) claims; and requests to join the club.

"At most one" rules are constraints here. The one that a plain constraint cannot say, no two
active promotions of one kind overlapping in dates, is an exclusion constraint that migration
0010 adds on PostgreSQL; on SQLite every transaction holds the database's write lock
(settings: IMMEDIATE), so the service's check is the guard there.
"""
from django.db import models
from django.db.models import F, Q

from ledger.models.base import Decided, RequestStatus
from ledger.models.players import Player
from ledger.models.requests import Deposit, PlayerRequest


class PromotionKind(models.TextChoices):
    DEPOSIT_BONUS = "DEPOSIT_BONUS", "Deposit bonus"
    CASHBACK = "CASHBACK", "Recovery (cashback)"


class Promotion(models.Model):
    """A percentage the club pays while today's club-local date is within [starts_on, ends_on] and it was
    not ended early (`ended_at`)."""

    kind = models.CharField(max_length=16, choices=PromotionKind.choices)
    percentage = models.DecimalField(max_digits=5, decimal_places=2)  # 0 < p <= 100
    starts_on = models.DateField()  # club-local dates, both inclusive
    ends_on = models.DateField()
    created_by = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # ended early by an admin
    ended_by = models.CharField(max_length=128, blank=True, default="")
    # The legacy sheet's Promotion ID, for a promotion the one-time import took in (reference only).
    legacy_ref = models.CharField(max_length=32, blank=True, default="")
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PromotionKind.values), name="promotion_kind_valid"),
            models.CheckConstraint(condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                                   name="promotion_percentage_range"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="promotion_dates_in_order"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, ended_by="") | (Q(ended_at__isnull=False) & ~Q(ended_by="")),
                name="promotion_ended_by_someone_when_ended"),
        ]
        indexes = [models.Index(fields=["kind", "starts_on"], name="promotion_kind_starts")]

    def __str__(self) -> str:
        return f"Promotion #{self.pk} {self.kind} {self.percentage}% {self.starts_on}..{self.ends_on}"


class Bonus(models.Model):
    """What a deposit earned under a DEPOSIT_BONUS promotion, recorded in the deposit's approval: chips worth
    `amount` MVR for the admin to load with the deposit's own."""

    deposit = models.OneToOneField(Deposit, on_delete=models.PROTECT, related_name="bonus")
    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="bonuses")
    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="bonuses")
    percentage = models.DecimalField(max_digits=5, decimal_places=2)  # the promotion's, at the time
    amount = models.DecimalField(max_digits=16, decimal_places=2)  # MVR
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "bonuses"
        constraints = [
            models.UniqueConstraint(fields=["player", "promotion"], name="one_bonus_per_player_per_promotion"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bonus_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Bonus #{self.pk} {self.amount} MVR on deposit #{self.deposit_id}"


class CashbackClaim(PlayerRequest):
    """A recovery claim: `amount` = `deposits_base` (D, the approved deposits in MVR since `deposits_since`)
    x `percentage` / 100, figures fixed when the player claimed."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="claims")
    deposits_base = models.DecimalField(max_digits=16, decimal_places=2)
    # The reset point D was counted from: the last approved withdrawal or claim; null for never.
    deposits_since = models.DateTimeField(null=True, blank=True)
    percentage = models.DecimalField(max_digits=5, decimal_places=2)
    legacy_ref = models.CharField(max_length=32, blank=True, default="")  # the legacy sheet's Request ID

    class Meta(PlayerRequest.Meta):
        constraints = [
            *PlayerRequest.Meta.constraints,
            models.UniqueConstraint(fields=["player", "promotion"], condition=Q(status="APPROVED"),
                                    name="one_approved_claim_per_player_per_promotion"),
            models.CheckConstraint(condition=Q(deposits_base__gt=0), name="cashbackclaim_deposits_positive"),
        ]

    def __str__(self) -> str:
        return f"Recovery claim #{self.pk} {self.amount} MVR ({self.status})"


class JoinRequest(Decided):
    """A player asking to join the club's table in the game with their PPPoker id; approval hands them the
    club's id and link."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="join_requests")
    pppoker_id = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    legacy_ref = models.CharField(max_length=32, blank=True, default="")  # the legacy sheet's Request ID

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["player"], condition=Q(status="PENDING"),
                                    name="one_pending_joinrequest_per_player"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="joinrequest_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="joinrequest_status_created"),
            models.Index(fields=["player", "-created_at"], name="joinrequest_player_created"),
        ]

    def __str__(self) -> str:
        return f"Join request #{self.pk} PPPoker {self.pppoker_id} ({self.status})"
