"""Who is calling, from the HTTP request, per the contract's authentication:

- `Authorization: Bearer <API_TOKEN>`: the bot, which may act for any player and
  names the admin (`actorTelegramId`) for admin operations;
- a Django staff session: an admin in GraphiQL;
- anything else: nobody, refused before any resolver runs.
"""
import hmac
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.http import HttpRequest

from ledger.actors import Actor, admin_actor, staff_actor


class CallerKind(Enum):
    ANONYMOUS = "anonymous"
    BOT = "bot"
    STAFF = "staff"


@dataclass(frozen=True)
class Caller:
    kind: CallerKind
    user: object = None

    @property
    def throttle_key(self) -> str:
        """Whose budget a request spends: the bot's token, or the staff user."""
        return f"staff:{self.user.pk}" if self.kind is CallerKind.STAFF else self.kind.value

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not CallerKind.ANONYMOUS

    def actor(self, actor_telegram_id: int | None) -> Actor:
        """The admin a decision is recorded for; raises Forbidden for anyone else."""
        if self.kind is CallerKind.STAFF:
            return staff_actor(self.user)
        return admin_actor(actor_telegram_id if self.kind is CallerKind.BOT else None)


def bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate(request: HttpRequest) -> Caller:
    token = bearer_token(request)
    if token is not None:
        expected = settings.API_TOKEN
        # Constant-time: the comparison must not tell how much of a guess was right.
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return Caller(CallerKind.BOT)
        return Caller(CallerKind.ANONYMOUS)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return Caller(CallerKind.STAFF, user)
    return Caller(CallerKind.ANONYMOUS)
