"""The audit trail of the club's settings: every change of a payment method or of the admins."""
from django.db import models


class ConfigChange(models.Model):
    what = models.CharField(max_length=128)  # e.g. "payment method USD: rate to MVR", "admin 123"
    before = models.CharField(max_length=500, blank=True, default="")
    after = models.CharField(max_length=500, blank=True, default="")
    changed_by = models.CharField(max_length=128)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.what}: {self.before!r} -> {self.after!r} by {self.changed_by}"
