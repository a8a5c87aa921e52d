"""The people: players (Telegram users) and the admins added at run time."""
from django.db import models


class Language(models.TextChoices):
    """What a player reads the bot in; the values are the bot's gettext locale names."""

    EN = "en", "English"
    DV = "dv", "ދިވެހި"


class Player(models.Model):
    """A Telegram user of the club (not django.contrib.auth's User, which staff log in with)."""

    telegram_id = models.BigIntegerField(unique=True)
    username = models.CharField(max_length=64, blank=True, default="")
    first_name = models.CharField(max_length=128, blank=True, default="")
    last_name = models.CharField(max_length=128, blank=True, default="")
    pppoker_id = models.CharField(max_length=32, blank=True, default="")
    # Payouts go only to this name; it is fixed by the first approved deposit.
    account_name = models.CharField(max_length=128, blank=True, default="")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    # When a broadcast found the bot blocked by this player: broadcasts skip them until they write again.
    bot_blocked_at = models.DateTimeField(null=True, blank=True)
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
    added_by = models.CharField(max_length=128, blank=True, default="")
    version = models.PositiveBigIntegerField(default=1)  # grows with every change, for the Sheets mirror

    def __str__(self) -> str:
        return f"{self.telegram_id} {self.name}".strip()
