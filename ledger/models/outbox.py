"""What a change leaves for others: the event outbox and the first result of a retried request."""
from django.db import models


class Event(models.Model):
    """Outbox: written in the same transaction as the change it announces."""

    kind = models.CharField(max_length=32)
    telegram_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class IdempotencyRecord(models.Model):
    """The first result of a retried request: a retry gets it back and changes nothing."""

    operation = models.CharField(max_length=32)
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["operation", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.operation}:{self.key}"
