"""The ledger's data and the constraints the database itself enforces.

Business rules live in `services.py`; what must hold even against a buggy or
concurrent caller (one pending request per player, spins never negative,
positive amounts) is a database constraint here. Mirrored rows carry a
`version` that every change increments, so the Sheets mirror can tell which
rows changed since it last wrote them without a boolean flag that a concurrent
change could clear.
"""
from django.db import models
from django.db.models import F, Q


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


class Player(models.Model):
    """A Telegram user of the club (not django.contrib.auth's User, which staff log in with)."""

    telegram_id = models.BigIntegerField(unique=True)
    username = models.CharField(max_length=64, blank=True, default="")
    first_name = models.CharField(max_length=128, blank=True, default="")
    last_name = models.CharField(max_length=128, blank=True, default="")
    pppoker_id = models.CharField(max_length=32, blank=True, default="")
    # Payouts go only to this name; it is fixed by the first approved deposit.
    account_name = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        handle = f"@{self.username}" if self.username else self.first_name
        return f"{self.telegram_id} {handle}".strip()


class Admin(models.Model):
    """A Telegram admin added at run time, beside those named in ADMIN_USER_ID."""

    telegram_id = models.BigIntegerField(unique=True)
    name = models.CharField(max_length=128, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.telegram_id} {self.name}".strip()


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

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [models.CheckConstraint(condition=Q(rate_to_base__gt=0), name="payment_method_rate_positive")]

    def __str__(self) -> str:
        return self.code


class MoneyRequest(models.Model):
    """What deposits and withdrawals share: a player's request an admin decides once."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="%(class)ss")
    method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=8)
    account_name = models.CharField(max_length=128)
    pppoker_id = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=128, blank=True, default="")
    rejection_reason = models.CharField(max_length=500, blank=True, default="")
    # The legacy sheet's request id (DEP2025…, WDW…): not unique, kept for reference only.
    legacy_ref = models.CharField(max_length=32, blank=True, default="", db_index=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["player"], condition=Q(status="PENDING"), name="one_pending_%(class)s_per_player"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(class)s_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="%(class)s_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="%(class)s_status_created"),
            models.Index(fields=["player", "-created_at"], name="%(class)s_player_created"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name.title()} #{self.pk} {self.amount} {self.currency} ({self.status})"


class Deposit(MoneyRequest):
    # Recorded at approval: the rate then in force and the amount in MVR.
    rate_to_base = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    amount_base = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    proof = models.CharField(max_length=256)  # Telegram file id of the slip, or a USDT TXID
    spins_granted = models.PositiveIntegerField(default=0)

    class Meta(MoneyRequest.Meta):
        constraints = [
            *MoneyRequest.Meta.constraints,
            models.CheckConstraint(
                condition=Q(amount_base__isnull=True) | Q(amount_base__gt=0), name="deposit_amount_base_positive"
            ),
        ]


class Withdrawal(MoneyRequest):
    # Fixed at creation: the minimum is checked in MVR then.
    rate_to_base = models.DecimalField(max_digits=12, decimal_places=4)
    amount_base = models.DecimalField(max_digits=16, decimal_places=2)
    account_number = models.CharField(max_length=128)

    class Meta(MoneyRequest.Meta):
        constraints = [
            *MoneyRequest.Meta.constraints,
            models.CheckConstraint(condition=Q(amount_base__gt=0), name="withdrawal_amount_base_positive"),
        ]


class SpinAccount(models.Model):
    """A player's running totals: a cache of the journal that check_ledger verifies."""

    player = models.OneToOneField(Player, on_delete=models.PROTECT, related_name="spin_account")
    available_spins = models.IntegerField(default=0)
    total_spins_used = models.IntegerField(default=0)
    total_chips_won = models.IntegerField(default=0)
    total_chips_approved = models.IntegerField(default=0)
    total_deposit_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    total_withdrawn_base = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_spin_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(available_spins__gte=0), name="spins_available_non_negative"),
            models.CheckConstraint(condition=Q(total_spins_used__gte=0), name="spins_used_non_negative"),
            models.CheckConstraint(condition=Q(total_chips_won__gte=0), name="chips_won_non_negative"),
            models.CheckConstraint(
                condition=Q(total_chips_approved__gte=0) & Q(total_chips_approved__lte=F("total_chips_won")),
                name="chips_approved_within_won",
            ),
        ]

    def __str__(self) -> str:
        return f"Spins of {self.player_id}: {self.available_spins} available"


class Spin(models.Model):
    """One spin of the wheel. A win waits for an admin; "Try Again!" is AUTO."""

    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="spins")
    prize = models.CharField(max_length=32)
    chips = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=RewardStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=128, blank=True, default="")
    rejection_reason = models.CharField(max_length=500, blank=True, default="")
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RewardStatus.values), name="spin_status_valid"),
            # A win is never AUTO and a "Try Again!" never waits for a decision.
            models.CheckConstraint(
                condition=(Q(chips=0) & Q(status="AUTO")) | (Q(chips__gt=0) & ~Q(status="AUTO")),
                name="spin_status_matches_prize",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="spin_status_created"),
            models.Index(fields=["player", "-created_at"], name="spin_player_created"),
        ]

    def __str__(self) -> str:
        return f"Spin #{self.pk} {self.prize} ({self.status})"


class JournalKind(models.TextChoices):
    DEPOSIT_APPROVED = "deposit.approved"
    WITHDRAWAL_APPROVED = "withdrawal.approved"
    SPINS_GRANTED = "spins.granted"
    SPINS_OPENING = "spins.opening"
    SPIN_USED = "spin.used"
    REWARD_APPROVED = "reward.approved"
    REWARD_REJECTED = "reward.rejected"


class JournalEntry(models.Model):
    """Append-only record of every movement of money, spins or chips.

    Signed deltas: `spins` adds to the available spins, `chips` to the chips
    won (SPIN_USED, REWARD_REJECTED) or approved (REWARD_APPROVED), and
    `amount_base` to the deposited or withdrawn total, by kind. On PostgreSQL a
    trigger refuses UPDATE and DELETE on this table.
    """

    kind = models.CharField(max_length=24, choices=JournalKind.choices)
    player = models.ForeignKey(Player, on_delete=models.PROTECT, related_name="journal")
    amount_base = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    spins = models.IntegerField(default=0)
    chips = models.IntegerField(default=0)
    deposit = models.ForeignKey(Deposit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal = models.ForeignKey(Withdrawal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    spin = models.ForeignKey(Spin, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.CharField(max_length=128, blank=True, default="")
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JournalKind.values), name="journal_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} player={self.player_id} spins={self.spins} chips={self.chips} base={self.amount_base}"


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


class EventCursor(models.Model):
    """How far a consumer (the bot) has acknowledged the event feed."""

    consumer = models.CharField(max_length=32, unique=True)
    position = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.consumer} at {self.position}"


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


class AdminMessage(models.Model):
    """Where the bot showed a request to an admin, so that once anyone decides,
    every admin's buttons can be replaced, even after the bot restarts."""

    request_kind = models.CharField(max_length=16)  # deposit, withdrawal, spin
    request_id = models.BigIntegerField()
    chat_id = models.BigIntegerField()
    message_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request_kind", "request_id", "chat_id"], name="admin_message_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request_kind} #{self.request_id} in chat {self.chat_id}"
