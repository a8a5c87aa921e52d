"""The club's settings: payment methods and admins, changed only here, each change on record.

Every change writes a ConfigChange (what, before, after, who, when) and an outbox event in the
transaction that makes it, whether it comes from the bot, GraphQL or the Django admin.
"""
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ledger.actors import Actor
from ledger.errors import Forbidden, Invalid, NotFound
from ledger.models import Admin, ConfigChange, Event, PaymentMethod, Player
from ledger.signals import notify_changed
from ledger.validators import clean_optional_text, clean_rate, clean_telegram_id

def config_changed(what: str, before: Any, after: Any, actor: Actor) -> ConfigChange:
    change = ConfigChange.objects.create(what=what, before=_shown(before), after=_shown(after), changed_by=actor.label)
    Event.objects.create(kind="config.changed", payload={"what": what, "before": change.before,
                                                         "after": change.after, "changed_by": actor.label})
    notify_changed("config.changed")
    return change


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "active" if value else "inactive"
    return "" if value is None else str(value)


def payment_method_update(*, code: str, actor: Actor, account_number: str | None = None,
                          account_holder: str | None = None, rate_to_base: Any = None,
                          is_active: bool | None = None) -> PaymentMethod:
    """Change what players are shown and how a method converts to MVR; None keeps a field.

    Decided requests keep the rate they were decided at; a pending deposit takes the rate in
    force when it is approved, as always.
    """
    wanted = {}
    if account_number is not None:
        wanted["account_number"] = clean_optional_text(account_number, field="accountNumber", max_length=128,
                                                       label="The account number")
    if account_holder is not None:
        wanted["account_holder"] = clean_optional_text(account_holder, field="accountHolder", max_length=128,
                                                       label="The account holder")
    if rate_to_base is not None:
        wanted["rate_to_base"] = clean_rate(rate_to_base)
    if is_active is not None:
        wanted["is_active"] = bool(is_active)
    with transaction.atomic():
        method = PaymentMethod.objects.select_for_update().filter(code__iexact=(code or "").strip()).first()
        if method is None:
            raise NotFound(f"No payment method {code!r}.", field="code")
        labels = {"account_number": "account number", "account_holder": "account holder",
                  "rate_to_base": "rate to MVR", "is_active": "active"}
        changed = [name for name, value in wanted.items() if getattr(method, name) != value]
        for name in changed:
            config_changed(f"payment method {method.code}: {labels[name]}", getattr(method, name), wanted[name], actor)
            setattr(method, name, wanted[name])
        if changed:
            now = timezone.now()
            stamps = ["updated_at"]
            if {"account_number", "account_holder"} & set(changed):
                stamps.append("account_updated_at")
            if "rate_to_base" in changed:
                stamps.append("rate_updated_at")
            for stamp in stamps:
                setattr(method, stamp, now)
            method.version += 1  # the row is locked: no other change can interleave
            method.save(update_fields=[*changed, *stamps, "version"])
        return method


def admin_add(*, telegram_id: Any, actor: Actor) -> Admin:
    telegram_id = clean_telegram_id(telegram_id)
    with transaction.atomic():
        if telegram_id in settings.ADMIN_USER_IDS:
            raise Invalid(f"{telegram_id} is an admin already (named in ADMIN_USER_ID).", field="telegramId")
        admin, created = Admin.objects.select_for_update().get_or_create(
            telegram_id=telegram_id, defaults={"added_by": actor.label, "name": _name_of(telegram_id)})
        if not created and admin.is_active:
            raise Invalid(f"{telegram_id} is an admin already.", field="telegramId")
        if not created:
            admin.is_active, admin.added_by, admin.created_at = True, actor.label, timezone.now()
            admin.version += 1
            admin.save(update_fields=["is_active", "added_by", "created_at", "version"])
        config_changed(f"admin {telegram_id}", "", "admin", actor)
        return admin


def admin_remove(*, telegram_id: Any, actor: Actor) -> Admin:
    telegram_id = clean_telegram_id(telegram_id)
    if settings.ADMIN_USER_IDS and telegram_id == settings.ADMIN_USER_IDS[0]:
        raise Forbidden("The super admin (the first of ADMIN_USER_ID) cannot be removed.", field="telegramId")
    if telegram_id in settings.ADMIN_USER_IDS:
        raise Invalid(f"{telegram_id} is named in ADMIN_USER_ID; remove them there.", field="telegramId")
    with transaction.atomic():
        admin = Admin.objects.select_for_update().filter(telegram_id=telegram_id, is_active=True).first()
        if admin is None:
            raise NotFound(f"{telegram_id} is not an admin.", field="telegramId")
        admin.is_active = False
        admin.version += 1
        admin.save(update_fields=["is_active", "version"])
        config_changed(f"admin {telegram_id}", "admin", "", actor)
        return admin


def _name_of(telegram_id: int) -> str:
    player = Player.objects.filter(telegram_id=telegram_id).first()
    return (f"@{player.username}" if player.username else player.first_name) if player else ""
