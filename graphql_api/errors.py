"""Ledger refusals become `OperationInfo` messages carrying the contract's code.

strawberry-django converts only Django's own exceptions; this field extension
does the same for `LedgerError`, so resolvers stay one call to a service.
"""
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry_django.fields.types import OperationInfo, OperationMessage

from ledger.errors import LedgerError

KINDS = {
    "FORBIDDEN": OperationMessage.Kind.PERMISSION,
    "INVALID": OperationMessage.Kind.VALIDATION,
    "BELOW_MINIMUM": OperationMessage.Kind.VALIDATION,
    "NOT_FOUND": OperationMessage.Kind.ERROR,
}


def operation_info(error: LedgerError) -> OperationInfo:
    return OperationInfo(messages=[OperationMessage(
        kind=KINDS.get(error.code, OperationMessage.Kind.ERROR),
        message=error.message,
        field=error.field,
        code=error.code,
    )])


class LedgerErrors(FieldExtension):
    def resolve(self, next_, source: Any, info, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except LedgerError as error:
            return operation_info(error)
