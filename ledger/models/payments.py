"""How players pay and get paid: the club's payment methods and their rates."""
from django.db import models
from django.db.models import Q


class PaymentMethod(models.Model):
    code = models.CharField(max_length=16, unique=True)
    label = models.CharField(max_length=64)
    currency = models.CharField(max_length=8)
    # One unit of `currency` in MVR, the base currency.
    rate_to_base = models.DecimalField(max_digits=12, decimal_places=4)
    account_number = models.CharField(max_length=128, blank=True, default="")
    account_holder = models.CharField(max_length=128, blank=True, default="")
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    # What the legacy sheets show apart: when the account details last changed (Payment Accounts)
    # and when the rate did (Exchange Rates).
    account_updated_at = models.DateTimeField(null=True, blank=True)
    rate_updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=1)  # grows with every change, for the Sheets mirror

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [models.CheckConstraint(condition=Q(rate_to_base__gt=0), name="payment_method_rate_positive")]

    def __str__(self) -> str:
        return self.code
