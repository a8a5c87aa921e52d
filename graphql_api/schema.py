import logging

from graphql import GraphQLError
from strawberry import Schema
from strawberry.schema.config import StrawberryConfig

from graphql_api.execution import LeafShortcutExecutionContext
from graphql_api.extensions import Documents, MaskUnexpectedErrors, MiniAppScope, RequestRules, Throttle
from graphql_api.limits import Limits
from graphql_api.mutations import Mutation
from graphql_api.optimizer import PlannedOptimizer
from graphql_api.queries import Query
from graphql_api.scalars import SCALARS

logger = logging.getLogger("graphql_api")
MAX_DEPTH = 8
MAX_ALIASES = 20
# The bot's largest document has 180 tokens, GraphiQL's schema query about 400. Duplicate arguments,
# directives and variables cost graphql-core's rules quadratic time in them.
MAX_TOKENS = 1_000
# Fields and fragment spreads as executed, each use of a fragment counted: the bot's largest
# operation has 81, its largest document (operation and fragments) 175. graphql-core's overlap
# check is quadratic in them; these keep any document within 100 ms (bench/abuse.py).
MAX_SELECTIONS = 120
MAX_DOCUMENT_SELECTIONS = 300
# Characters: the bot's documents are under 1,500; long string literals belong in variables.
MAX_DOCUMENT_LENGTH = 20_000

# Documents up to this length are parsed and validated once per process, and their plans kept.
CACHED_DOCUMENT_LENGTH = 4_000
# Built once: its caches are shared by the requests of a process.
DOCUMENTS = Documents(max_length=MAX_DOCUMENT_LENGTH, max_tokens=MAX_TOKENS,
                      limits=Limits(max_depth=MAX_DEPTH, max_aliases=MAX_ALIASES, max_selections=MAX_SELECTIONS,
                                    max_document_selections=MAX_DOCUMENT_SELECTIONS),
                      cache_size=256, max_cached_length=CACHED_DOCUMENT_LENGTH)

class LedgerSchema(Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        """Refusals and invalid documents are the client's business: one line each, no traceback.
        Crashes were logged with their traceback where they were masked (MaskUnexpectedErrors)."""
        for error in errors:
            if error.original_error is None or (error.extensions or {}).get("code"):
                logger.info("graphql refused: %s (%s)", error.message, (error.extensions or {}).get("code", "-"))
            else:
                super().process_errors([error], execution_context)


schema = LedgerSchema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(scalar_map=SCALARS),
    execution_context_class=LeafShortcutExecutionContext,
    # Factories: a fresh extension per request; the caches' LRU stores are shared by Strawberry.
    extensions=[
        # Limits first: a refused document costs no execution.
        lambda: RequestRules(DOCUMENTS),
        MiniAppScope,
        lambda: Throttle(DOCUMENTS),
        lambda: PlannedOptimizer(max_document_length=CACHED_DOCUMENT_LENGTH),
        MaskUnexpectedErrors,
    ],
)
