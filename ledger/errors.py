"""Typed refusals of the ledger. Each carries one code of the API contract, so the
API maps them one to one and the bot can turn each into a sentence."""


class LedgerError(Exception):
    code = "INVALID"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Forbidden(LedgerError):
    code = "FORBIDDEN"


class NotFound(LedgerError):
    code = "NOT_FOUND"


class Invalid(LedgerError):
    code = "INVALID"


class DuplicatePending(LedgerError):
    code = "DUPLICATE_PENDING"


class AlreadyDecided(LedgerError):
    code = "ALREADY_DECIDED"


class InsufficientSpins(LedgerError):
    code = "INSUFFICIENT_SPINS"


class BelowMinimum(LedgerError):
    code = "BELOW_MINIMUM"


class AccountNameMismatch(LedgerError):
    code = "ACCOUNT_NAME_MISMATCH"


class IdempotencyConflict(LedgerError):
    code = "IDEMPOTENCY_CONFLICT"
