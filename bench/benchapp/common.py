"""What the plain view and the DRF peer share: the HTTP status of a ledger refusal."""
from ledger.errors import LedgerError

STATUS_OF_CODE = {"FORBIDDEN": 403, "NOT_FOUND": 404, "INVALID": 400, "BELOW_MINIMUM": 400}


def error_status(error: LedgerError) -> int:
    return STATUS_OF_CODE.get(error.code, 409)


def error_body(error: LedgerError) -> dict:
    return {"code": error.code, "message": error.message, "field": error.field}
