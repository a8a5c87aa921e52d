"""Schema extensions: who may introspect, and what an unexpected error shows."""
import logging

from django.db import InterfaceError, OperationalError
from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode
from strawberry.extensions import MaskErrors, SchemaExtension

from ledger.errors import LedgerError

logger = logging.getLogger("graphql_api")
INTROSPECTION_FIELDS = {"__schema", "__type"}


class IntrospectionForStaff(SchemaExtension):
    """With DEBUG off only staff (GraphiQL) may introspect; the bot's queries are known.

    Checked per request on the parsed document, after the shared validation
    cache, so a cached validation result can never let a non-staff caller through.
    """

    def on_execute(self):
        context = self.execution_context.context
        if not context.may_introspect and _asks_for_introspection(self.execution_context.graphql_document):
            self.execution_context.result = ExecutionResult(data=None, errors=[GraphQLError(
                "Introspection is only for staff.", extensions={"code": "FORBIDDEN"})])
        yield


def _asks_for_introspection(document) -> bool:
    if document is None:
        return False
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for selection in definition.selection_set.selections:
                if getattr(getattr(selection, "name", None), "value", None) in INTROSPECTION_FIELDS:
                    return True
    return False


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
