"""A lighter field for plain model columns.

strawberry-django resolves every field through its own resolver (queryset
hooks, async checks): about 10 µs a field, and a list of 50 deposits with their
users has hundreds of fields. A column without resolver, arguments, permissions
or extensions needs none of that: marked "basic", Strawberry reads it through
its fast path. Relations and custom resolvers keep the full machinery, and the
optimizer still sees every field, so `only()` and `select_related()` are unchanged.
"""
from typing import Any

from strawberry_django.fields.field import StrawberryDjangoField


class ColumnField(StrawberryDjangoField):
    @property
    def is_basic_field(self) -> bool:
        return (not self.is_relation and self.base_resolver is None and not self.arguments
                and not self.extensions and not self.permission_classes)

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if info is None:  # Strawberry's fast path for basic fields passes no info
            return getattr(source, self.django_name)
        return super().get_result(source, info, args, kwargs)


def column(*, description: str) -> Any:
    """A described column (a bare annotation gets a ColumnField through the type's field_cls)."""
    return ColumnField(description=description)
