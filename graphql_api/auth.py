"""Who is calling, from the HTTP request, per the contract's authentication:

- `Authorization: Bearer <API_TOKEN>`: the bot, which may act for any player and
  names the admin (`actorTelegramId`) for admin operations;
- `Authorization: tma <initData>`: the Mini App page of one player, for that player's own spins
  only (graphql_api/miniapp.py);
- a Django staff session: an admin in GraphiQL;
- anything else: nobody, refused before any resolver runs.
"""
import hmac
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.http import HttpRequest

from graphql_api.miniapp import init_data_player
from ledger.actors import Actor, admin_actor, staff_actor


class CallerKind(Enum):
    ANONYMOUS = "anonymous"
    BOT = "bot"
    STAFF = "staff"
    MINIAPP = "miniapp"


@dataclass(frozen=True)
class Caller:
    kind: CallerKind
    user: object = None
    # The player a Mini App page was signed for.
    telegram_id: int | None = None

    @property
    def throttle_key(self) -> str:
        """Whose budget a request spends: the bot's token, or the staff user."""
        if self.kind is CallerKind.MINIAPP:
            return f"tma:{self.telegram_id}"
        return f"staff:{self.user.pk}" if self.kind is CallerKind.STAFF else self.kind.value

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not CallerKind.ANONYMOUS

    def actor(self, actor_telegram_id: int | None) -> Actor:
        """The admin a decision is recorded for; raises Forbidden for anyone else."""
        if self.kind is CallerKind.STAFF:
            return staff_actor(self.user)
        return admin_actor(actor_telegram_id if self.kind is CallerKind.BOT else None)


def _credentials(request: HttpRequest, wanted: str) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == wanted and value.strip() else None


def bearer_token(request: HttpRequest) -> str | None:
    return _credentials(request, "bearer")


def init_data(request: HttpRequest) -> str | None:
    return _credentials(request, "tma")


def presents_credentials(request: HttpRequest) -> bool:
    """A token or init data was sent: a wrong one is a guess, slowed per client address."""
    return bearer_token(request) is not None or init_data(request) is not None


def authenticate(request: HttpRequest) -> Caller:
    signed = init_data(request)
    if signed is not None:
        telegram_id = init_data_player(signed, bot_token=settings.BOT_TOKEN, max_age_s=settings.MINIAPP_MAX_AGE_S)
        return Caller(CallerKind.ANONYMOUS) if telegram_id is None else Caller(CallerKind.MINIAPP,
                                                                              telegram_id=telegram_id)
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
