"""Players: first contact, profile updates, the language they read, and the payout name fixed once."""
from django.db import IntegrityError, transaction
from django.db.models import F

from ledger.models import Language, Player, SpinAccount
from ledger.services.common import emit, player_for
from ledger.signals import notify_changed
from ledger.validators import clean_language, clean_optional_text, clean_pppoker_id, clean_telegram_id

# Telegram's own limits: usernames are at most 32 characters, names at most 64.
NAME_LIMITS = {"username": 64, "first_name": 128, "last_name": 128}


def user_upsert(*, telegram_id: int, username: str | None = None, first_name: str | None = None,
                last_name: str | None = None, pppoker_id: str | None = None,
                language: Language | str | None = None) -> Player:
    """Register a player on first contact, or update the fields given (None keeps a field)."""
    telegram_id = clean_telegram_id(telegram_id)
    given = {"username": username.lstrip("@") if isinstance(username, str) else username,
             "first_name": first_name, "last_name": last_name}
    changes = {
        name: clean_optional_text(value, field=_camel(name), max_length=NAME_LIMITS[name],
                                  label=f"The {name.replace('_', ' ')}")
        for name, value in given.items() if value is not None
    }
    if pppoker_id is not None and pppoker_id.strip():
        changes["pppoker_id"] = clean_pppoker_id(pppoker_id)
    if language is not None:
        changes["language"] = clean_language(language)
    with transaction.atomic():
        try:
            with transaction.atomic():
                player, created = Player.objects.get_or_create(telegram_id=telegram_id, defaults=changes)
        except IntegrityError:  # a concurrent first contact won the race
            player, created = Player.objects.get(telegram_id=telegram_id), False
        if created:
            SpinAccount.objects.create(player=player)
            emit("user.registered", player, username=player.username)
            return player
        changed = {name: value for name, value in changes.items() if getattr(player, name) != value}
        if player.bot_blocked_at is not None:  # they wrote to the bot, so it reaches them again
            changed["bot_blocked_at"] = None
        if changed:
            Player.objects.filter(pk=player.pk).update(**changed, version=F("version") + 1)
            player.refresh_from_db()
            notify_changed("user.updated")
        return player


def user_language_set(*, telegram_id: int, language: Language | str) -> Player:
    """The language the player reads the bot in, from now on (domain.md, "Languages")."""
    language = clean_language(language)
    with transaction.atomic():
        player = player_for(telegram_id)
        if player.language != language:
            Player.objects.filter(pk=player.pk).update(language=language, version=F("version") + 1)
            player.refresh_from_db()
            notify_changed("user.updated")
        return player


def player_wrote(player: Player) -> None:
    """A player who blocked the bot (a broadcast found out) and writes to it again is reachable
    again: later broadcasts include them."""
    if player.bot_blocked_at is not None:
        Player.objects.filter(pk=player.pk).update(bot_blocked_at=None)
        player.bot_blocked_at = None


def payout_name_set_once(*, player_id: int, name: str) -> bool:
    """Payouts go only to the name of the first approved deposit: set it once, never change it.

    A conditional update, so two approvals racing for one player cannot both set it.
    """
    return bool(name) and Player.objects.filter(pk=player_id, account_name="").update(
        account_name=name, version=F("version") + 1) > 0


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
