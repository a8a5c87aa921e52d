"""Deposits with the slip image itself: the image is checked and re-encoded, stored under a random
name with the deposit, and read later by the worker (never in the request)."""
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from ledger.models import Deposit, Slip
from ledger.services.deposits import deposit_create
from ledger.signals import notify_slip_stored
from ledger.slipimage import reencode
from ledger.validators import clean_file_id, clean_slip_image


def slip_deposit_create(*, telegram_id: int, amount: Any, method: str, account_name: str, pppoker_id: str,
                        slip: Any, telegram_file_id: str | None = None, credit_id: Any = None,
                        idempotency_key: str | None = None) -> Deposit:
    """`slip`: the uploaded file (or its bytes); `telegram_file_id`: the same image in Telegram,
    kept as the deposit's proof like a slip sent before uploads. Without one the proof names the
    image's hash, so an idempotent retry with another image is a conflict, not a replay."""
    # Decoded before any row is locked: a 40-megapixel image takes a while.
    stored = reencode(clean_slip_image(slip))
    file_id = clean_file_id(telegram_file_id, field="proof")
    proof = file_id or f"sha256-{stored.sha256[:40]}"
    with transaction.atomic():
        deposit = deposit_create(telegram_id=telegram_id, amount=amount, method=method, account_name=account_name,
                                 proof=proof, pppoker_id=pppoker_id, credit_id=credit_id,
                                 idempotency_key=idempotency_key)
        if not Slip.objects.filter(deposit=deposit).exists():  # a replay keeps the slip it stored first
            # Written before the commit: a rollback leaves an unreferenced file, never a row without its file.
            row = Slip(deposit=deposit, content_type=stored.content_type, width=stored.width,
                       height=stored.height, sha256=stored.sha256, phash=stored.phash)
            row.image.save(f"slip.{stored.extension}", ContentFile(stored.data), save=False)
            row.save()
            notify_slip_stored(row.pk)
        return deposit
