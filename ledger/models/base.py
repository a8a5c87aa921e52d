"""What every area of the ledger shares: the id range and the life of a request."""
from django.db import models

MAX_BIGINT = 2**63 - 1  # the largest Telegram id or row id a bigint column holds


class RequestStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"


class RewardStatus(models.TextChoices):
    AUTO = "AUTO", "Auto"  # nothing was won, nothing to decide
    PENDING = "PENDING", "Pending"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"


class Decided(models.Model):
    """The record of a decision an admin makes exactly once: when, who, why not (services.common.decide).

    `version` grows with every change, so the Sheets mirror can tell which rows changed since it
    last wrote them.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=128, blank=True, default="")
    rejection_reason = models.CharField(max_length=500, blank=True, default="")
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        abstract = True
