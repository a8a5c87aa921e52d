import logging

from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import MaxAliasesLimiter, ParserCache, QueryDepthLimiter, ValidationCache
from strawberry.schema.config import StrawberryConfig

from graphql_api.execution import LeafShortcutExecutionContext
from graphql_api.extensions import MaskUnexpectedErrors, RequestRules
from graphql_api.mutations import Mutation
from graphql_api.optimizer import PlannedOptimizer
from graphql_api.queries import Query
from graphql_api.scalars import SCALARS

logger = logging.getLogger("graphql_api")
MAX_DEPTH = 8
MAX_ALIASES = 20
MAX_TOKENS = 2_000

# The limiters' rule classes are built once. The validation cache keys on the rule classes, and a
# limiter built per request makes new ones each time, so nothing was ever served from the cache
# (validation was 37% of a lookup).
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]

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
        lambda: RequestRules(max_tokens=MAX_TOKENS, limit_rules=LIMIT_RULES),
        # The bot sends a handful of documents over and over: parse and validate each once.
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        PlannedOptimizer,
        MaskUnexpectedErrors,
    ],
)
