"""strawberry-django's optimizer, with each operation planned once and no per-field hook.

The optimizer reads the selection under a field and turns it into `select_related()` and `only()`
on the field's queryset. It did that on every request, although the bot sends the same few
documents over and over, and for a 50-row list that planning was about a tenth of the request.
The plan depends only on the operation, the field's place in it, the model and the variables that
@include and @skip read, so it is kept under those and applied to each new queryset the way the
optimizer applies it. Those directives take Booleans, so the key holds the request's Boolean
variables only: never a request's data, whatever its size. A plan
that needs more than those two calls (prefetches, annotations, a queryset that already had
`only()`/`defer()`) is not kept: the optimizer then plans that field every time, as before.

The extension's `resolve` hook is left out. strawberry-django fields hand their querysets to the
optimizer themselves; the hook is for plain Strawberry resolvers that return querysets, which this
schema does not have (tests/test_api_optimizer.py checks), and any extension with a `resolve`
hook makes graphql-core run every field of every row through middleware.

Replaces: `DjangoOptimizerExtension.optimize` (planning per request) and drops its `resolve` hook.
Equivalence: tests/test_api_optimizer.py checks that a kept plan makes the same SQL as a fresh one,
against strawberry-graphql 0.341.2, strawberry-graphql-django 0.93.0 and graphql-core 3.3.2 (the pins in
requirements.txt). Kept because it pays: in the internals run of 2026-12-02 (bench/RESULTS.md) the 50-row
list served 1.21× the req/s with it on than off, processSpin(10) 1.11×.
"""
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.manager import BaseManager
from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types.info import Info
from strawberry_django.optimizer import DjangoOptimizerExtension, is_optimized
from strawberry_django.queryset import get_queryset_config

MAX_PLANS = 512


class Plan(NamedTuple):
    operation: OperationDefinitionNode  # held, so that the id in the key is not reused meanwhile
    select_related: tuple[str, ...] | None  # None: the optimizer left the queryset as it was
    only: tuple[str, ...] | None


class PlannedOptimizer(DjangoOptimizerExtension):
    resolve = SchemaExtension.resolve
    # Shared by the requests of a process; two requests racing on a key only plan it twice.
    plans: dict[tuple, Plan] = {}

    def __init__(self, *, max_document_length: int, **options: Any):
        """Plans are kept for documents up to `max_document_length` characters: those the parse
        cache keeps, so that a plan holds no document the cache does not hold anyway (a longer one
        is parsed anew per request, so its plan could never be found again)."""
        super().__init__(**options)
        self.max_document_length = max_document_length

    def optimize(self, qs: QuerySet | BaseManager, info: Any, *, store: Any = None) -> QuerySet:
        if isinstance(qs, BaseManager):
            qs = qs.all()
        if (store is not None or not self.enabled.get() or not isinstance(qs, QuerySet)
                or is_optimized(qs) or qs._result_cache is not None):
            return super().optimize(qs, info, store=store)
        raw_info = info._raw_info if isinstance(info, Info) else info
        key = _plan_key(qs, raw_info)
        plan = self.plans.get(key)
        if plan is not None and plan.operation is raw_info.operation:
            if plan.only is None:
                return qs
            # select_related() without names would join every relation: only with names.
            planned = (qs.select_related(*plan.select_related) if plan.select_related else qs).only(*plan.only)
            get_queryset_config(planned).optimized = True
            return planned
        optimized = super().optimize(qs, info)
        plan = _plan_of(qs, optimized, raw_info.operation)
        if plan is not None and len(self.execution_context.query or "") <= self.max_document_length:
            if len(self.plans) >= MAX_PLANS:
                self.plans.clear()
            self.plans[key] = plan
        return optimized


def _plan_key(qs: QuerySet, info: Any) -> tuple:
    path = tuple(key for key in info.path.as_list() if isinstance(key, str))
    # graphql-core's own resolve info holds a VariableValues; Strawberry's, the coerced dict.
    variables = getattr(info.variable_values, "coerced", info.variable_values)
    switches = tuple(sorted((name, value) for name, value in variables.items() if isinstance(value, bool)))
    # The resolver's own joins change what the optimizer adds; they are part of the key too.
    return id(info.operation), path, qs.model, switches, _joins(qs)


def _plan_of(before: QuerySet, after: QuerySet, operation: OperationDefinitionNode) -> Plan | None:
    """The optimizer's work as a select_related() and an only() call, if that is all it was."""
    if after is before:
        return Plan(operation, None, None)
    only, defer = after.query.deferred_loading
    if (before.query.deferred_loading != (frozenset(), True) or defer or not only
            or after._prefetch_related_lookups != before._prefetch_related_lookups
            or after.query.annotations.keys() != before.query.annotations.keys()
            or after.query.select_related is True):
        return None
    return Plan(operation, _joins(after) or (), tuple(sorted(only)))


def _joins(qs: QuerySet) -> tuple[str, ...] | bool:
    select_related = qs.query.select_related
    return tuple(_paths(select_related)) if isinstance(select_related, dict) else select_related


def _paths(select_related: dict, prefix: str = ""):
    for name, nested in select_related.items():
        yield prefix + name
        yield from _paths(nested, prefix + name + LOOKUP_SEP)
