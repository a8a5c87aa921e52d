"""Who decides. A decision service takes an `Actor`, and the only ways to get one
check the person first, so no path can record a decision by an unchecked name."""
from dataclasses import dataclass

from ledger import selectors
from ledger.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    label: str  # what `decided_by` and the journal show
    telegram_id: int | None = None


def admin_actor(telegram_id: int | None) -> Actor:
    """The Telegram admin `telegram_id`, or Forbidden if they are not an active admin."""
    if telegram_id is None:
        raise Forbidden("This operation needs actorTelegramId of an active admin.", field="actorTelegramId")
    if not selectors.is_admin(telegram_id):
        raise Forbidden(f"{telegram_id} is not an active admin.", field="actorTelegramId")
    player = selectors.player_get(telegram_id=telegram_id)
    label = f"@{player.username} ({telegram_id})" if player and player.username else str(telegram_id)
    return Actor(label=label, telegram_id=telegram_id)


def staff_actor(user) -> Actor:
    """A Django staff user (GraphiQL or the Django admin)."""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        raise Forbidden("Staff login required.")
    return Actor(label=f"staff {user.get_username()}")


def system_actor(name: str = "") -> Actor:
    """The backend itself, e.g. the one-time import; plain "system" for the worker's own decisions."""
    return Actor(label=f"system {name}".strip())
