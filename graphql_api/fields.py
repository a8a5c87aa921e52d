"""A lighter field for plain model columns.

strawberry-django resolves every field through its own resolver (queryset
hooks, async checks): about 10 µs a field, and a list of 50 deposits with their
users has hundreds of fields. A column without resolver, arguments, permissions
or extensions needs none of that: marked "basic", Strawberry reads it through
its fast path (and graphql_api.execution shortens that path further). Relations
and custom resolvers keep the full machinery, and the optimizer still sees every
field, so `only()` and `select_related()` are unchanged.

Replaces: strawberry-django's `StrawberryDjangoField.get_result` and its `is_basic_field` answer for such
columns. Equivalence: with it on and off, bench/verify.py finds the four benchmarked operations' answers
identical, and tests/test_api_queries.py pins their query counts; both ran against strawberry-graphql
0.341.2, strawberry-graphql-django 0.93.0 and graphql-core 3.3.2 (the pins in requirements.txt). Kept
because it pays: in the internals run of 2026-12-02 (bench/RESULTS.md) the 50-row list served 1.88× the
req/s with it on than off (half the CPU per request), processSpin(10) 1.12×.
"""
from collections.abc import Callable
from functools import cached_property
from operator import attrgetter
from typing import Any

import strawberry_django
from django.db.models.constants import LOOKUP_SEP
from strawberry_django.fields.field import StrawberryDjangoField


class ColumnField(StrawberryDjangoField):
    @property
    def is_basic_field(self) -> bool:
        return (not self.is_relation and self.base_resolver is None and not self.arguments
                and not self.extensions and not self.permission_classes)

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if info is None:  # Strawberry's fast path for basic fields passes no info
            return self._read(source)
        return super().get_result(source, info, args, kwargs)

    @cached_property
    def _read(self) -> Callable[[Any], Any]:
        # "method__code" reads source.method.code, as in a queryset lookup.
        return attrgetter(self.django_name.replace(LOOKUP_SEP, "."))


def column(*, description: str) -> Any:
    """A described column (a bare annotation gets a ColumnField through the type's field_cls)."""
    return ColumnField(description=description)


def related_column(lookup: str, *, description: str) -> Any:
    """A column of a to-one relation, e.g. "method__code"; the optimizer joins the relation."""
    relation = lookup.rsplit(LOOKUP_SEP, 1)[0]
    return strawberry_django.field(field_cls=ColumnField, field_name=lookup, description=description,
                                   only=[lookup], select_related=[relation])
