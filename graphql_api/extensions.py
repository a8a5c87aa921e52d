"""Schema extensions: what a document may be, and what an unexpected error shows."""
import logging
from functools import lru_cache

from django.db import InterfaceError, OperationalError
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    ValidationRule,
    parse,
    validate,
)
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.schema import validate_document

from graphql_api import throttle
from graphql_api.auth import CallerKind
from graphql_api.limits import Limits, document_cost_rule
from graphql_api.miniapp import out_of_scope
from ledger.errors import LedgerError

logger = logging.getLogger("graphql_api")
INTROSPECTION_FIELDS = {"__schema", "__type"}


class Documents:
    """Parsing and validation with the limits, and caches that hold little request data.

    The bot sends a handful of documents over and over, so each is parsed and validated once. Only
    short documents are kept, keyed by their text (a str caches its hash; a document node would be
    hashed whole on every lookup), so the caches hold at most `cache_size` times
    `max_cached_length` characters. The cost rule runs first and alone: graphql-core's own rules
    are quadratic in repeated fields, so a document they would spend long on never reaches them.
    """

    def __init__(self, *, max_length: int, max_tokens: int, limits: Limits, cache_size: int,
                 max_cached_length: int):
        self.parse_options = {"max_tokens": max_tokens, "max_source_length": max_length}
        self.cost_rules = (document_cost_rule(limits),)
        self.max_cached_length = max_cached_length
        self.parsed = lru_cache(maxsize=cache_size)(self._parse)
        self.validated = lru_cache(maxsize=cache_size)(self._validate)
        self.sites = lru_cache(maxsize=cache_size)(self._id_sites)

    def parse(self, query: str) -> DocumentNode:
        try:
            return (self.parsed if len(query) <= self.max_cached_length else self._parse)(query)
        except GraphQLError as error:
            raise invalid(error) from None

    def validate(self, schema: GraphQLSchema, query: str, document: DocumentNode,
                 rules: tuple[type[ASTValidationRule], ...]) -> list[GraphQLError]:
        if len(query) <= self.max_cached_length:
            return self.validated(schema, query, rules)
        return self._validate(schema, query, rules, document)

    def id_sites(self, query: str, document: DocumentNode) -> throttle.IdSites:
        """Where the (valid) document names players and actors, for the throttle's budgets."""
        if len(query) <= self.max_cached_length:
            return self.sites(query)
        return throttle.id_sites(document)

    def _id_sites(self, query: str) -> throttle.IdSites:
        return throttle.id_sites(self.parsed(query))

    def _parse(self, query: str) -> DocumentNode:
        return parse(query, **self.parse_options)

    def _validate(self, schema: GraphQLSchema, query: str, rules: tuple[type[ASTValidationRule], ...],
                  document: DocumentNode | None = None) -> list[GraphQLError]:
        document = document or self.parsed(query)
        errors = validate(schema, document, self.cost_rules) or validate_document(schema, document, rules)
        return [invalid(error) for error in errors]


class RequestRules(SchemaExtension):
    """Per request: the document through `Documents`, and introspection for staff only.

    One hook per step for what Strawberry's MaxTokensLimiter, ParserCache, ValidationCache and
    AddValidationRules do in four: Strawberry builds a context manager for every hook of every
    extension on every request.
    """

    def __init__(self, documents: Documents):
        self.documents = documents

    def on_operation(self):
        yield
        # Errors outside any field (the document, the variables) are the request's: INVALID.
        for error in getattr(self.execution_context.result, "errors", None) or ():
            if error.path is None:
                invalid(error)

    def on_parse(self):
        query = self.execution_context.query
        if isinstance(query, str) and query:  # else Strawberry answers "no query" itself
            self.execution_context.graphql_document = self.documents.parse(query)
        yield

    def on_validate(self):
        execution_context = self.execution_context
        if execution_context.graphql_document is not None:
            rules = tuple(execution_context.validation_rules)
            if not execution_context.context.may_introspect:
                rules += (StaffOnlyIntrospection,)
            execution_context.pre_execution_errors = self.documents.validate(
                execution_context.schema._schema, execution_context.query, execution_context.graphql_document,
                rules)
        yield


def invalid(error: GraphQLError) -> GraphQLError:
    """A refused document is the client's mistake: say so with the contract's code."""
    if not (error.extensions or {}).get("code"):
        error.extensions = {**(error.extensions or {}), "code": "INVALID"}
    return error


class MiniAppScope(SchemaExtension):
    """A Mini App page runs only the contract's operations, for its own player: anything else is
    refused whole, FORBIDDEN, before any resolver runs (graphql_api/miniapp.py says what)."""

    def on_execute(self):
        execution_context = self.execution_context
        caller = execution_context.context.caller
        if caller.kind is CallerKind.MINIAPP:
            reason = out_of_scope(execution_context.graphql_document, execution_context.variables,
                                  caller.telegram_id)
            if reason is not None:
                execution_context.result = ExecutionResult(
                    data=None, errors=[GraphQLError(reason, extensions={"code": "FORBIDDEN"})])
        yield


class Throttle(SchemaExtension):
    """The caller's and the named players' budgets, spent once the document is valid and before
    any resolver runs; over budget answers 429 with Retry-After and RATE_LIMITED, and runs nothing."""

    def __init__(self, documents: Documents):
        self.documents = documents

    def on_execute(self):
        execution_context = self.execution_context
        context = execution_context.context
        sites = self.documents.id_sites(execution_context.query, execution_context.graphql_document)
        budgets = throttle.request_budgets(context.caller.throttle_key, sites, execution_context.variables)
        refusal = throttle.spend(context.request, budgets)
        if refusal is not None:
            context.response.status_code = 429
            context.response["Retry-After"] = str(refusal.retry_after)
            execution_context.result = ExecutionResult(data=None, errors=[refusal.error()])
        yield


class StaffOnlyIntrospection(ValidationRule):
    """With DEBUG off only staff (GraphiQL) may introspect; the bot's queries are known."""

    def enter_field(self, node: FieldNode, *_args) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(GraphQLError("Introspection is only for staff.", node,
                                           extensions={"code": "FORBIDDEN"}))


class MaskUnexpectedErrors(MaskErrors):
    """A crash in a resolver answers with the request id only: no trace, no SQL.

    Ledger refusals and GraphQL's own validation messages pass unchanged.
    """

    def __init__(self):
        super().__init__(should_mask_error=_is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        request_id = getattr(context.request, "request_id", "-")
        logger.error("unexpected error in %s (request %s)", error.path, request_id, exc_info=error.original_error)
        if not isinstance(error.original_error, (OperationalError, InterfaceError)):
            self.error_message = f"Internal error; request id {request_id}."
            return super().anonymise_error(error)
        # The database went away mid-request: its transaction was rolled back, so the client
        # should simply retry (with the same idempotency key). A 503 says so to any HTTP
        # client; a 200 with an error would look final.
        context.response.status_code = 503
        context.response["Retry-After"] = "1"
        self.error_message = f"The database is unavailable; retry. Request id {request_id}."
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "UNAVAILABLE"}
        return masked


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, (LedgerError, GraphQLError))
