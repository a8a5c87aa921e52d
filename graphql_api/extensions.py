"""Schema extensions: what a document may be, and what an unexpected error shows."""
import logging
from collections.abc import Sequence

from django.db import InterfaceError, OperationalError
from graphql import ASTValidationRule, FieldNode, GraphQLError, ValidationRule
from strawberry.extensions import MaskErrors, SchemaExtension

from ledger.errors import LedgerError

logger = logging.getLogger("graphql_api")
INTROSPECTION_FIELDS = {"__schema", "__type"}


class RequestRules(SchemaExtension):
    """What a document may be, per request: the size limits, and introspection for staff only.

    Validation rules rather than checks of their own, so the shared validation cache serves them:
    its key holds the rules, so a document validated for staff is never reused for the bot.
    One hook for what Strawberry's MaxTokensLimiter and AddValidationRules do in two: Strawberry
    builds a context manager for every hook of every extension on every request.
    """

    def __init__(self, *, max_tokens: int, limit_rules: Sequence[type[ASTValidationRule]]):
        self.max_tokens = max_tokens
        self.rules = tuple(limit_rules)
        self.rules_without_introspection = (*self.rules, StaffOnlyIntrospection)

    def on_operation(self):
        execution_context = self.execution_context
        execution_context.parse_options["max_tokens"] = self.max_tokens
        may_introspect = execution_context.context.may_introspect
        execution_context.validation_rules += self.rules if may_introspect else self.rules_without_introspection
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
