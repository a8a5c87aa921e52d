"""Per-day totals of the club's figures, kept in the same transaction as the journal entries they
sum, so a report over years reads a few hundred rows instead of millions (check_ledger proves
them equal to the journal)."""
from django.db import models
from django.db.models import Q


class DailyTotal(models.Model):
    day = models.DateField()  # the club-local (TIME_ZONE) date of the journal entries
    # The payment method of the deposits and withdrawals counted here; blank for the figures that
    # belong to no method (spin chips approved, bonuses, recovery).
    method = models.CharField(max_length=16, blank=True, default="")
    currency = models.CharField(max_length=8, blank=True, default="")
    deposits = models.PositiveIntegerField(default=0)
    deposits_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    deposits_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    withdrawals = models.PositiveIntegerField(default=0)
    withdrawals_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    withdrawals_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    chips_approved = models.BigIntegerField(default=0)
    bonuses_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    cashback_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["day", "method"]
        constraints = [
            models.UniqueConstraint(fields=["day", "method"], name="daily_total_per_day_and_method"),
            models.CheckConstraint(condition=Q(chips_approved__gte=0), name="daily_chips_approved_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.method or '-'}"


class DailyReport(models.Model):
    """The report the worker wrote for one club-local day, once: what admins were told at midnight."""

    day = models.DateField(unique=True)
    figures = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Daily report {self.day}"
