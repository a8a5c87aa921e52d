"""Who may run an operation, declared on the operation itself.

`IsAdmin` is a strawberry-django permission extension: listed on a field, it checks the caller
before the resolver runs, shows as the `@isAdmin` directive in the schema (so the documentation is
the check), and puts the `Actor` that the decision is recorded for on `info.context.actor`.
A refusal is the contract's FORBIDDEN: an OperationInfo where the field can return one, a GraphQL
error with that code where it cannot.
"""
from typing import Any, ClassVar

from strawberry_django.permissions import DjangoPermissionExtension

from graphql_api.auth import CallerKind
from graphql_api.errors import LedgerErrors, refusal
from ledger.actors import Actor
from ledger.errors import Forbidden

ADMIN_ONLY = ("Admins only: a staff session, or the bot token with `actorTelegramId` of an active admin "
              "(FORBIDDEN otherwise).")


def declared(*, admin: bool = False, description: str | None = None) -> dict:
    """The field arguments of an operation: ledger refusals answered with their codes, and for an
    admins-only one the check, whose note also leads the description (one flag for both)."""
    if not admin:
        return {"extensions": [LedgerErrors()], "description": description}
    return {"extensions": [LedgerErrors(), IsAdmin()], "description": f"Admins only. {description or ''}".strip()}


class IsAdmin(DjangoPermissionExtension):
    DEFAULT_ERROR_MESSAGE: ClassVar[str] = "Admins only."
    SCHEMA_DIRECTIVE_DESCRIPTION: ClassVar[str | None] = ADMIN_ONLY

    def resolve(self, next_, source: Any, info, **kwargs: Any) -> Any:
        try:
            info.context.actor = info.context.caller.actor(kwargs.get("actor_telegram_id"))
        except Forbidden as error:
            return refusal(error, info)
        return next_(source, info, **kwargs)

    def resolve_for_user(self, resolver, user, *, info, source):  # pragma: no cover - resolve() decides
        return resolver()


def player_or_admin(info, actor_telegram_id: int | None) -> Actor | None:
    """Who speaks in an operation both sides of a conversation run (live support): the bot without
    `actorTelegramId` speaks for the player (None); with it, that admin; a staff session, its staff
    user. Raises Forbidden for an actor who is not an active admin."""
    caller = info.context.caller
    if caller.kind is CallerKind.BOT and actor_telegram_id is None:
        return None
    return caller.actor(actor_telegram_id)
