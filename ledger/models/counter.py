"""The club's cashier desk, OPEN or CLOSED: one row, absent until an admin first changes it."""
from django.db import models
from django.db.models import Q

from ledger.models.broadcasts import Broadcast

COUNTER_ID = 1


class CounterState(models.TextChoices):
    OPEN = "OPEN", "Open"
    CLOSED = "CLOSED", "Closed"


class Counter(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=COUNTER_ID)
    state = models.CharField(max_length=6, choices=CounterState.choices, default=CounterState.OPEN)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.CharField(max_length=128, blank=True, default="")
    # The broadcast that told the players of the last change, if the admin wrote one.
    announcement = models.ForeignKey(Broadcast, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=COUNTER_ID), name="counter_single_row"),
            models.CheckConstraint(condition=Q(state__in=CounterState.values), name="counter_state_valid"),
        ]

    def __str__(self) -> str:
        return f"Counter {self.state}"
