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
