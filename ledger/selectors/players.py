from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from ledger.models import Admin, ConfigChange, PaymentMethod, Player
from ledger.validators import clean_search


def _added_admin_ids() -> QuerySet:
    return Admin.objects.filter(is_active=True).values_list("telegram_id", flat=True)


def is_admin(telegram_id: int) -> bool:
    """An admin is named in ADMIN_USER_ID or is an active row of the admins table."""
    return telegram_id in settings.ADMIN_USER_IDS or _added_admin_ids().filter(telegram_id=telegram_id).exists()


def admin_telegram_ids() -> list[int]:
    """Every active admin, environment list first (the first is the super admin)."""
    ids = list(settings.ADMIN_USER_IDS)
    return ids + [tid for tid in _added_admin_ids() if tid not in ids]


def super_admin_id() -> int | None:
    return settings.ADMIN_USER_IDS[0] if settings.ADMIN_USER_IDS else None


def player_get(*, telegram_id: int) -> Player | None:
    return Player.objects.select_related("spin_account").filter(telegram_id=telegram_id).first()


def player_list(*, search: str | None = None) -> QuerySet[Player]:
    players = Player.objects.select_related("spin_account").order_by("id")
    search = clean_search(search)
    if search:
        condition = (Q(username__icontains=search) | Q(first_name__icontains=search)
                     | Q(last_name__icontains=search) | Q(pppoker_id=search) | Q(account_name__icontains=search))
        if search.isascii() and search.isdigit() and len(search) <= 19:
            condition |= Q(telegram_id=int(search))
        players = players.filter(condition)
    return players


def payment_methods_active() -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.filter(is_active=True).order_by("sort_order", "code")


def payment_method_by_code(code: str) -> PaymentMethod | None:
    return PaymentMethod.objects.filter(code__iexact=(code or "").strip()).first()


@dataclass(frozen=True)
class AdminEntry:
    telegram_id: int
    username: str
    is_super_admin: bool
    from_environment: bool
    added_by: str
    added_at: datetime | None


def admin_list() -> list[AdminEntry]:
    """Every active admin, the environment's first (the first of those is the super admin)."""
    added = {admin.telegram_id: admin for admin in Admin.objects.filter(is_active=True)}
    ids = admin_telegram_ids()
    usernames = dict(Player.objects.filter(telegram_id__in=ids).values_list("telegram_id", "username"))
    return [admin_entry(tid, added.get(tid), username=usernames.get(tid, "")) for tid in ids]


def admin_entry(telegram_id: int, added: Admin | None, *, username: str) -> AdminEntry:
    return AdminEntry(telegram_id=telegram_id, username=username, is_super_admin=telegram_id == super_admin_id(),
                      from_environment=telegram_id in settings.ADMIN_USER_IDS,
                      added_by=added.added_by if added else "", added_at=added.created_at if added else None)


def config_changes() -> QuerySet[ConfigChange]:
    return ConfigChange.objects.order_by("-changed_at", "-id")


def payment_methods_all() -> list[PaymentMethod]:
    """Inactive methods too: admins edit them, and history may name one the club no longer offers."""
    return list(PaymentMethod.objects.order_by("sort_order", "code"))
