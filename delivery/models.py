"""What the bot needs remembered about delivering the ledger's news, kept apart from the ledger.

The ledger writes events and knows nothing of chats or messages; this app keeps how far the bot
has read the event feed and where it showed each request to admins, so both survive a restart.
"""
from django.db import models


class EventCursor(models.Model):
    """How far a consumer (the bot) has acknowledged the event feed."""

    consumer = models.CharField(max_length=32, unique=True)
    position = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.consumer} at {self.position}"


class AdminMessage(models.Model):
    """Where the bot showed a request to an admin, so that once anyone decides,
    every admin's buttons can be replaced, even after the bot restarts."""

    request_kind = models.CharField(max_length=16)  # one of delivery.services.REQUEST_MODELS
    request_id = models.BigIntegerField()
    chat_id = models.BigIntegerField()
    message_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request_kind", "request_id", "chat_id"],
                                    name="delivery_admin_message_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request_kind} #{self.request_id} in chat {self.chat_id}"
