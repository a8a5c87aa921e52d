"""The club's tunable rules as versioned data: each change is a new row, the newest is in force."""
from django.db import models
from django.db.models import Q


class RuleTable(models.Model):
    version = models.PositiveIntegerField(unique=True)
    created_by = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-version"]


class SpinTierTable(RuleTable):
    """[[threshold in MVR as text, spins], ...], thresholds and spins strictly increasing."""

    tiers = models.JSONField()

    class Meta(RuleTable.Meta):
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="spin_tier_version_from_1")]

    def __str__(self) -> str:
        return f"Spin tiers v{self.version}"


class PrizeTable(RuleTable):
    """[{"label", "chips", "weight"}, ...] in the order the draw reads them; every weight positive."""

    prizes = models.JSONField()

    class Meta(RuleTable.Meta):
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="prize_table_version_from_1")]

    def __str__(self) -> str:
        return f"Prize table v{self.version}"
