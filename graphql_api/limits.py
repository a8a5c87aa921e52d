"""What a document may cost, measured in one pass that visits each fragment once.

Strawberry's QueryDepthLimiter and MaxAliasesLimiter walk a fragment again for every spread of it,
so fragments that spread each other twice per level ("diamonds") cost 2^levels. Here the depth,
the aliases and the field selections of a fragment are computed once and reused for each spread.

The selections (fields and fragment spreads) count the document as executed (a fragment spread n
times counts n times): graphql-core's OverlappingFieldsCanBeMerged compares same-named fields and
the fragments of a selection pairwise, so its cost grows with the square of that number, and the
executor's with the number itself. Bounding it before
graphql-core's rules run keeps both linear in the size of a document that passes.
"""
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.language import Visitor


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_selections: int  # in one operation or fragment, its spreads expanded
    max_document_selections: int  # the same summed over the definitions, each counting one more


@dataclass(frozen=True)
class Cost:
    depth: int = 0
    aliases: int = 0
    selections: int = 0

    def nested(self, child: "Cost", *, aliased: bool, counts_depth: bool) -> "Cost":
        return Cost(max(self.depth, child.depth + 1 if counts_depth else 0),
                    self.aliases + child.aliases + aliased, self.selections + child.selections + 1)

    def beside(self, other: "Cost") -> "Cost":
        return Cost(max(self.depth, other.depth), self.aliases + other.aliases, self.selections + other.selections)


NOTHING = Cost()


class CostMeter:
    """Costs of a document's selections; each fragment is measured once, then looked up."""

    def __init__(self, document: DocumentNode):
        self.fragments = {definition.name.value: definition for definition in document.definitions
                          if isinstance(definition, FragmentDefinitionNode)}
        self.measured: dict[str, Cost] = {}
        self.measuring: set[str] = set()

    def selection_set(self, selection_set: SelectionSetNode | None) -> Cost:
        cost = NOTHING
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                # Depth as Strawberry counts it: a field with a selection adds a level, a leaf
                # none, and introspection (GraphiQL's schema query) does not count.
                cost = cost.nested(self.selection_set(selection.selection_set), aliased=selection.alias is not None,
                                   counts_depth=selection.selection_set is not None
                                   and not selection.name.value.startswith("__"))
            elif isinstance(selection, InlineFragmentNode):
                cost = cost.beside(self.selection_set(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                # A spread counts itself: graphql-core compares the fragments of a selection pairwise.
                cost = cost.beside(self.fragment(selection.name.value)).beside(Cost(selections=1))
        return cost

    def fragment(self, name: str) -> Cost:
        cost = self.measured.get(name)
        if cost is not None:
            return cost
        definition = self.fragments.get(name)
        # Unknown fragments and cycles cost nothing here: graphql-core's own rules refuse them.
        if definition is None or name in self.measuring:
            return NOTHING
        self.measuring.add(name)
        cost = self.measured[name] = self.selection_set(definition.selection_set)
        self.measuring.discard(name)
        return cost


def document_cost_rule(limits: Limits) -> type[ValidationRule]:
    class DocumentCost(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args):
            meter = CostMeter(node)
            # Fragments are measured too, used or not: graphql-core checks each one's own selections.
            # Every definition counts one selection more: each is validated (and several operations
            # in one document are only for GraphiQL's convenience).
            total = 0
            for definition in node.definitions:
                cost = meter.selection_set(getattr(definition, "selection_set", None))
                total += cost.selections + 1
                self.check(definition, cost)
            if total > limits.max_document_selections:
                self.report_error(GraphQLError(
                    f"The document exceeds the maximum number of selections of {limits.max_document_selections} "
                    f"(all its operations and fragments, counting each use of a fragment).", node,
                    extensions={"code": "INVALID"}))
            return Visitor.BREAK  # everything was measured from the document itself

        def check(self, definition, cost: Cost) -> None:
            if isinstance(definition, OperationDefinitionNode):
                name = f"'{definition.name.value if definition.name else 'anonymous'}'"
            elif isinstance(definition, FragmentDefinitionNode):
                name = f"Fragment '{definition.name.value}'"
            else:
                return
            for measured, limit, what in ((cost.depth, limits.max_depth, "maximum operation depth"),
                                          (cost.aliases, limits.max_aliases, "maximum number of aliases"),
                                          (cost.selections, limits.max_selections, "maximum number of selections")):
                if measured > limit:
                    self.report_error(GraphQLError(f"{name} exceeds {what} of {limit} (counting each use of a "
                                                   f"fragment).", definition, extensions={"code": "INVALID"}))

    return DocumentCost
