from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from strawberry.django.context import StrawberryDjangoContext

from graphql_api.auth import Caller, CallerKind
from ledger import selectors
from ledger.actors import Actor


@dataclass
class LedgerContext(StrawberryDjangoContext):
    caller: Caller = None
    # Set by graphql_api.permissions.IsAdmin for the admins-only field it guards.
    actor: Actor | None = None

    @cached_property
    def admin_ids(self) -> frozenset[int]:
        """Read once per request, so `isAdmin` on a list of users costs one query."""
        return frozenset(selectors.admin_telegram_ids())

    @property
    def may_introspect(self) -> bool:
        return settings.DEBUG or self.caller.kind is CallerKind.STAFF
