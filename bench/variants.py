"""Scratch copies of the product schema with other extension lists, for the experiments.

Each variant is `strawberry.Schema(query=Query, mutation=Mutation, ...)` over the
product's own types and resolvers (graphql_api), served by the product's own view
class (LedgerGraphQLView: same authentication, same context) under
/bench/gqlvar/<name>/ when BENCH_VARIANTS=1. Only the `extensions=` list differs,
so a difference in time is what that list costs. Nothing here changes the product:
these are the candidate product changes, measured before the lead applies any.
"""
from collections import OrderedDict

from django.urls import path
from strawberry import Schema
from strawberry.extensions import (
    AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, SchemaExtension,
    ValidationCache,
)
from strawberry.schema.schema import validate_document
from strawberry.schema.config import StrawberryConfig
from strawberry_django.optimizer import DjangoOptimizerExtension

from graphql_api.extensions import MaskUnexpectedErrors, StaffOnlyIntrospection
from graphql_api.mutations import Mutation
from graphql_api.queries import Query
from graphql_api.scalars import SCALARS
from graphql_api.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from graphql_api.views import LedgerGraphQLView

# The product's list as it was when this benchmark was written, by name, in its order. Since then
# graphql_api/schema.py builds the two limiters' rules once (fix 1 below, applied by the lead), so
# `original` is the product before that fix and `stable_limits` is the product as it is now.
PRODUCT = {
    "depth": lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
    "aliases": lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
    "tokens": lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    "parser_cache": lambda: ParserCache(maxsize=256),
    "validation_cache": lambda: ValidationCache(maxsize=256),
    # Then an on_execute check of its own; now a validation rule in the product's RequestRules.
    "introspection": lambda: AddValidationRules([StaffOnlyIntrospection]),
    "optimizer": DjangoOptimizerExtension,
    "mask_errors": MaskUnexpectedErrors,
}

# Candidate fix 1: the two limiters' validation rules built once, at import, instead of a new
# rule class per request (QueryDepthLimiter/MaxAliasesLimiter create their rule class in
# __init__, and the factories run per request, so ValidationCache's key never repeats).
STABLE_LIMIT_RULES = (*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
                      *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules)


def _stable_limits() -> AddValidationRules:
    return AddValidationRules(list(STABLE_LIMIT_RULES))


class QueryKeyedValidationCache(SchemaExtension):
    """Candidate: ValidationCache keyed by the query text and the rules, not the parsed document.

    strawberry's ValidationCache keys its lru_cache on the DocumentNode; graphql-core's AST
    nodes are frozen dataclasses whose __hash__ walks the whole tree on every lookup. A str
    caches its hash, and the document is a pure function of the text (ParserCache).
    """

    _results: OrderedDict = OrderedDict()
    maxsize = 256

    def on_validate(self):
        context = self.execution_context
        key = (id(context.schema), context.query, context.validation_rules)
        errors = self._results.get(key)
        if errors is None:
            errors = validate_document(context.schema._schema, context.graphql_document, context.validation_rules)
            self._results[key] = errors
            if len(self._results) > self.maxsize:
                self._results.popitem(last=False)
        context.pre_execution_errors = errors
        yield


def _without(*names: str) -> list:
    return [factory for name, factory in PRODUCT.items() if name not in names]


def _stable(*drop: str) -> list:
    """The product's list with the limiters' rules stable (fix 1), minus `drop`."""
    extensions = [_stable_limits]
    extensions += [factory for name, factory in PRODUCT.items() if name not in ("depth", "aliases", *drop)]
    return extensions


def _stable_query_keyed(*drop: str) -> list:
    return [QueryKeyedValidationCache if factory is PRODUCT["validation_cache"] else factory
            for factory in _stable(*drop)]


VARIANTS = {
    # The original list (the limiters built per request).
    "original": lambda: list(PRODUCT.values()),
    "none": lambda: [],
    # Each extension dropped from the original list.
    **{f"no_{name}": (lambda name=name: _without(name)) for name in PRODUCT},
    "no_limiters": lambda: _without("depth", "aliases"),
    # Fix 1 (stable limiter rules; what /graphql/ serves now), then each other extension dropped from that.
    "stable_limits": lambda: _stable(),
    **{f"stable_limits_no_{name}": (lambda name=name: _stable(name))
       for name in ("tokens", "parser_cache", "validation_cache", "introspection", "optimizer", "mask_errors")},
    "stable_limits_query_keyed_cache": lambda: _stable_query_keyed(),
    "stable_limits_query_keyed_cache_no_optimizer": lambda: _stable_query_keyed("optimizer"),
}

_schemas: dict[str, Schema] = {}


def schema(name: str) -> Schema:
    if name not in _schemas:
        _schemas[name] = Schema(query=Query, mutation=Mutation, config=StrawberryConfig(scalar_map=SCALARS),
                                extensions=VARIANTS[name]())
    return _schemas[name]


def variant_urlpatterns() -> list:
    return [path(f"bench/gqlvar/{name}/", LedgerGraphQLView.as_view(schema=schema(name))) for name in VARIANTS]
