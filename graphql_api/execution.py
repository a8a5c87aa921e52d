"""Execution with a short path for plain leaf fields.

graphql-core gives every field of every row the same treatment: a path, a
resolve-info object, the middleware chain, the completion machinery. For a
50-row list that is about a thousand fields, and it was most of the gap to a
hand-written JSON view. Most of those fields are columns that Strawberry already
resolves with its own "basic" resolver (no arguments, permissions or extensions)
and whose type is a scalar or an enum. For those the result is exactly the
basic resolver's value, coerced by the type, so this executor computes just that.

Everything else, and every unusual case (a null where the schema says non-null,
a value the scalar refuses), takes graphql-core's own path, so errors keep their
messages and locations.

Skipping the middleware is only correct when no middleware acts on leaf values.
Strawberry turns each extension that implements `resolve` into middleware; the
only one this schema has is the optimizer, which acts on querysets alone. Any
other one switches the short path off for the request.
"""
from functools import cache
from typing import Any, NamedTuple

from graphql import GraphQLObjectType, GraphQLSchema, Undefined, get_nullable_type, is_leaf_type, is_non_null_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry_django.optimizer import DjangoOptimizerExtension

# Middleware whose `resolve` leaves scalar and enum results alone.
LEAF_NEUTRAL_MIDDLEWARE = (DjangoOptimizerExtension,)


class LeafField(NamedTuple):
    resolve: Any
    coerce: Any
    non_null: bool


@cache
def _leaf_fields(schema: GraphQLSchema) -> dict[GraphQLObjectType, dict[str, LeafField]]:
    leaf_fields: dict[GraphQLObjectType, dict[str, LeafField]] = {}
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        fields = {
            name: LeafField(field.resolve, get_nullable_type(field.type).coerce_output_value,
                            is_non_null_type(field.type))
            for name, field in graphql_type.fields.items()
            # Strawberry marks the resolver it builds for basic fields.
            if getattr(field.resolve, "_is_default", False) and is_leaf_type(get_nullable_type(field.type))
        }
        if fields:
            leaf_fields[graphql_type] = fields
    return leaf_fields


class LeafShortcutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middlewares = self.middleware_manager.middlewares if self.middleware_manager else ()
        neutral = all(isinstance(middleware, LEAF_NEUTRAL_MIDDLEWARE) for middleware in middlewares)
        self._leaf_fields = _leaf_fields(self.schema) if neutral else {}

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        fields = self._leaf_fields.get(parent_type)
        leaf = fields.get(field_details_list[0].node.name.value) if fields else None
        if leaf is not None:
            try:
                value = leaf.resolve(source, None)
                if value is None:
                    if not leaf.non_null:
                        return None
                else:
                    coerced = leaf.coerce(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
            except Exception:  # noqa: BLE001 - graphql-core's path below reports it, located
                pass
        # graphql-core's path, which also reports what the short path declined to.
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
