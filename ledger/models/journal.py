"""The append-only journal every movement of money, spins or chips is written to."""
from django.db import models
from django.db.models import Q

from ledger.models.credits import Credit
from ledger.models.players import Player
from ledger.models.promotions import Bonus, CashbackClaim
from ledger.models.requests import Deposit, Withdrawal
from ledger.models.spins import Spin


class JournalKind(models.TextChoices):
    DEPOSIT_APPROVED = "deposit.approved"
    WITHDRAWAL_APPROVED = "withdrawal.approved"
    SPINS_GRANTED = "spins.granted"
    SPINS_OPENING = "spins.opening"
    SPIN_USED = "spin.used"
    REWARD_APPROVED = "reward.approved"
    REWARD_REJECTED = "reward.rejected"
    CREDIT_OPENED = "credit.opened"
    CREDIT_SETTLED = "credit.settled"
    CREDIT_CLEARED = "credit.cleared"
    BONUS_GRANTED = "bonus.granted"
    CASHBACK_APPROVED = "cashback.approved"


# What a player owes moves only by these; their amount_base sums to the open credits.
CREDIT_KINDS = (JournalKind.CREDIT_OPENED, JournalKind.CREDIT_SETTLED, JournalKind.CREDIT_CLEARED)
# What the club pays by promotion, each kind with the day total (DailyTotal, of no method) its amount_base
# adds to.
PAID_OUT = {JournalKind.BONUS_GRANTED: "bonuses_base", JournalKind.CASHBACK_APPROVED: "cashback_base"}


class JournalEntry(models.Model):
    """Append-only record of every movement of money, spins or chips.

    Signed deltas: `spins` adds to the available spins, `chips` to the chips
    won (SPIN_USED, REWARD_REJECTED) or approved (REWARD_APPROVED), and
    `amount_base` to the deposited or withdrawn total, for the credit kinds to
    what the player owes (+ when opened, - when settled or cleared), and for
    BONUS_GRANTED and CASHBACK_APPROVED to what the club paid as a bonus or as
    recovery, by kind. On PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    kind = models.CharField(max_length=24, choices=JournalKind.choices)
    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="journal")
    amount_base = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    spins = models.IntegerField(default=0)
    chips = models.IntegerField(default=0)
    deposit = models.ForeignKey(Deposit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal = models.ForeignKey(Withdrawal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    spin = models.ForeignKey(Spin, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    credit = models.ForeignKey(Credit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    bonus = models.ForeignKey(Bonus, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cashback_claim = models.ForeignKey(CashbackClaim, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    actor = models.CharField(max_length=128, blank=True, default="")
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JournalKind.values), name="journal_kind_valid"),
        ]
        # Reports read the journal only for the partial first and last day of a period.
        indexes = [models.Index(fields=["created_at"], name="journal_created")]

    def __str__(self) -> str:
        return f"{self.kind} player={self.player_id} spins={self.spins} chips={self.chips} base={self.amount_base}"
