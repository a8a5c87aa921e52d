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
Strawberry turns each extension that implements `resolve` into middleware. This
schema has none (graphql_api.optimizer leaves the optimizer's hook out), and the
optimizer's own hook would be harmless, as it acts on querysets alone; any other
one switches the short path off for the request.

Replaces: graphql-core's `ExecutionContext.execute_fields` for those leaves (Strawberry's
`StrawberryGraphQLCoreExecutionContext` inherits it unchanged). Equivalence: tests/test_api_execution.py
answers every read of the schema through this and through the library's context, byte for byte, against
strawberry-graphql 0.341.2, strawberry-graphql-django 0.93.0 and graphql-core 3.3.2 (the pins in
requirements.txt; a bump means running it again). Kept because it pays: in the internals run of
2026-12-02 (bench/RESULTS.md) the 50-row list served 1.39× the req/s with it on than off (1.45× less CPU
per request); on single-object rows the difference is within the noise.
"""
from functools import cache
from typing import Any, NamedTuple

from graphql import GraphQLObjectType, GraphQLSchema, Undefined, get_nullable_type, is_leaf_type, is_non_null_type
from graphql.execution.collect_fields import GroupedFieldSet
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
            # Strawberry's own "basic" fields: an attribute of the source, no resolver and no extensions
            # (a permission on a column must keep running, so such a field takes the full path).
            if _is_basic(field) and is_leaf_type(get_nullable_type(field.type))
        }
        if fields:
            leaf_fields[graphql_type] = fields
    return leaf_fields


def _is_basic(field) -> bool:
    definition = (field.extensions or {}).get("strawberry-definition")
    return getattr(field.resolve, "_is_default", False) and definition is not None and definition.is_basic_field


class LeafShortcutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middlewares = self.middleware_manager.middlewares if self.middleware_manager else ()
        neutral = all(isinstance(middleware, LEAF_NEUTRAL_MIDDLEWARE) for middleware in middlewares)
        self._leaf_fields = _leaf_fields(self.schema) if neutral else {}
        self._plans: dict[int, tuple[GroupedFieldSet, list[tuple[str, LeafField | None]], GroupedFieldSet]] = {}

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet):
        """Per selection (graphql-core memoizes them, so all rows of a list share one): which
        response keys take the short path, in response order, and the rest for graphql-core."""
        plan = self._plans.get(id(grouped_field_set))
        if plan is None:
            leaf_fields = self._leaf_fields.get(parent_type, {})
            keys = [(key, leaf_fields.get(details[0].node.name.value)) for key, details in grouped_field_set.items()]
            rest = {key: grouped_field_set[key] for key, leaf in keys if leaf is None}
            # The set itself is kept so that its id cannot be reused during this execution.
            plan = self._plans[id(grouped_field_set)] = (grouped_field_set, keys, rest)
        return plan

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context):
        if parent_type not in self._leaf_fields:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        _, keys, rest = self._plan(parent_type, grouped_field_set)
        results: dict[str, Any] = {}
        declined = []
        for key, leaf in keys:
            results[key] = None  # holds the key's place in the response order
            if leaf is None:
                continue
            try:
                value = leaf.resolve(source_value, None)
                if value is None:
                    if not leaf.non_null:
                        continue
                else:
                    coerced = leaf.coerce(value)
                    if coerced is not None and coerced is not Undefined:
                        results[key] = coerced
                        continue
            except Exception:  # noqa: BLE001, S110 - graphql-core's path reports it, located
                pass
            declined.append(key)
        if declined:  # rare: graphql-core executes these too, in response order, and reports them
            rest = {key: grouped_field_set[key] for key, leaf in keys if leaf is None or key in declined}
        if not rest:
            return results
        completed = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if self.is_awaitable(completed):
            async def merged() -> dict[str, Any]:
                return _merge(results, rest, await completed)
            return merged()
        return _merge(results, rest, completed)


def _merge(results: dict[str, Any], rest: GroupedFieldSet, completed: dict[str, Any]) -> dict[str, Any]:
    results.update(completed)  # updating existing keys keeps the response order
    for key in rest.keys() - completed.keys():  # graphql-core leaves out a field it cannot find
        del results[key]
    return results
