"""A retried create returns its first result: keyed by the client's idempotency key."""
import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

from ledger.errors import IdempotencyConflict
from ledger.models import IdempotencyRecord
from ledger.validators import clean_optional_text

T = TypeVar("T")
MAX_KEY_LENGTH = 128


def idempotent(*, operation: str, key: str | None, request: dict, run: Callable[[], T],
               dump: Callable[[T], dict], load: Callable[[dict], T]) -> T:
    """Run `run` once per key. Must be called inside a transaction.

    The key's row is inserted before the work: a concurrent retry blocks on the
    unique index until the first commits, then reads its result.
    """
    key = clean_optional_text(key, field="idempotencyKey", max_length=MAX_KEY_LENGTH, label="The idempotency key")
    if not key:
        return run()
    fingerprint = hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(operation=operation, key=key, fingerprint=fingerprint)
    except IntegrityError:
        record = IdempotencyRecord.objects.get(operation=operation, key=key)
        if record.fingerprint != fingerprint:
            raise IdempotencyConflict("This idempotency key was already used with different input.",
                                      field="idempotencyKey") from None
        return load(record.result)
    result = run()
    record.result = dump(result)
    record.save(update_fields=["result"])
    return result
