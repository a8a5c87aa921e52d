"""Typed refusals of the ledger. Each carries one `ErrorCode`, so the API maps them one to one and
the bot can turn each into a sentence of its own (in the player's language)."""
from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code the API can answer: the one list, exported to the schema as enum ErrorCode."""

    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    DUPLICATE_PENDING = "DUPLICATE_PENDING"
    ALREADY_DECIDED = "ALREADY_DECIDED"
    INSUFFICIENT_SPINS = "INSUFFICIENT_SPINS"
    BELOW_MINIMUM = "BELOW_MINIMUM"
    ACCOUNT_NAME_MISMATCH = "ACCOUNT_NAME_MISMATCH"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    # Not a refusal of the ledger: the database went away mid-request; retrying is safe.
    UNAVAILABLE = "UNAVAILABLE"
    COUNTER_CLOSED = "COUNTER_CLOSED"
    CREDIT_OPEN = "CREDIT_OPEN"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    # Not a refusal of the ledger: the API's throttle; retry after the time it gives.
    RATE_LIMITED = "RATE_LIMITED"


class LedgerError(Exception):
    code = ErrorCode.INVALID

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Forbidden(LedgerError):
    code = ErrorCode.FORBIDDEN


class NotFound(LedgerError):
    code = ErrorCode.NOT_FOUND


class Invalid(LedgerError):
    code = ErrorCode.INVALID


class DuplicatePending(LedgerError):
    code = ErrorCode.DUPLICATE_PENDING


class AlreadyDecided(LedgerError):
    code = ErrorCode.ALREADY_DECIDED


class InsufficientSpins(LedgerError):
    code = ErrorCode.INSUFFICIENT_SPINS


class BelowMinimum(LedgerError):
    code = ErrorCode.BELOW_MINIMUM


class AccountNameMismatch(LedgerError):
    code = ErrorCode.ACCOUNT_NAME_MISMATCH


class IdempotencyConflict(LedgerError):
    code = ErrorCode.IDEMPOTENCY_CONFLICT


class CreditOpen(LedgerError):
    code = ErrorCode.CREDIT_OPEN


class CounterClosed(LedgerError):
    code = ErrorCode.COUNTER_CLOSED


class NotEligible(LedgerError):
    code = ErrorCode.NOT_ELIGIBLE
