"""Ledger refusals become `OperationInfo` messages carrying the contract's code.

strawberry-django converts only Django's own exceptions; this field extension
does the same for `LedgerError`, so resolvers stay one call to a service.
"""
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryOptional
from strawberry.types.union import StrawberryUnion
from strawberry_django.fields.types import OperationInfo, OperationMessage

from ledger.errors import ErrorCode as LedgerErrorCode
from ledger.errors import LedgerError

ErrorCode = strawberry.enum(LedgerErrorCode, name="ErrorCode",
                            description="Every code the API answers, in OperationMessage.code or extensions.code.")

KINDS = {
    LedgerErrorCode.FORBIDDEN: OperationMessage.Kind.PERMISSION,
    LedgerErrorCode.INVALID: OperationMessage.Kind.VALIDATION,
    LedgerErrorCode.BELOW_MINIMUM: OperationMessage.Kind.VALIDATION,
}


def operation_info(error: LedgerError) -> OperationInfo:
    return OperationInfo(messages=[OperationMessage(
        kind=KINDS.get(error.code, OperationMessage.Kind.ERROR),
        message=error.message,
        field=error.field,
        code=error.code.value,
    )])


def returns_operation_info(info) -> bool:
    """Whether the field being resolved may answer an OperationInfo (strawberry-django's mutations)."""
    kind = info.return_type
    if isinstance(kind, StrawberryOptional):
        kind = kind.of_type
    return isinstance(kind, StrawberryUnion) and any(
        isinstance(member, type) and issubclass(member, OperationInfo) for member in kind.types)


class LedgerErrors(FieldExtension):
    """A refusal as OperationInfo on mutations; on fields that cannot return one (queries, Int!
    results), a GraphQL error whose extensions carry the same code."""

    def resolve(self, next_, source: Any, info, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except LedgerError as error:
            return refusal(error, info)


def refusal(error: LedgerError, info) -> Any:
    if returns_operation_info(info):
        return operation_info(error)
    raise GraphQLError(error.message, extensions={"code": error.code.value, "field": error.field}) from None
