"""Deposits with the slip image itself: the image is checked and re-encoded, stored under a random
name with the deposit, and read later by the worker (never in the request)."""
import io
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from ledger.models import Deposit, Slip
from ledger.services.common import announce, locked
from ledger.services.deposits import deposit_create
from ledger.signals import notify_slip_stored
from ledger.slipimage import SAME_IMAGE_BITS, hash_distance, reencode
from ledger.slipimage import same_image as same_image_as
from ledger.slipreading import Parsed, read_slip, tesseract_available
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


logger = logging.getLogger(__name__)


def slip_read(*, slip_id: int) -> Slip | None:
    """The worker's job: OCR the stored image (seconds, with no row locked), then record the reading."""
    from PIL import Image

    slip = Slip.objects.filter(pk=slip_id).first()
    if slip is None:
        return None
    with slip.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    if tesseract_available():
        text, parsed = read_slip(image)
    else:  # the duplicate-image check needs no OCR; the rest just stays unread
        logger.warning("tesseract is not installed (Debian's tesseract-ocr): slip %s recorded unread", slip_id)
        text, parsed = "", Parsed()
    return slip_reading_record(slip_id=slip_id, parsed=parsed, text=text)


def slip_reading_record(*, slip_id: int, parsed: Parsed, text: str = "") -> Slip:
    """What the worker read on a slip (the OCR ran before, outside any transaction) and the warnings
    it earns; the admins' cards are redrawn from the event. Read again, a slip's reading is replaced."""
    with transaction.atomic():
        _one_reading_at_a_time()
        slip = locked(Slip, slip_id, "slip", related=("deposit__player", "deposit__method"))
        slip.read_at = timezone.now()
        slip.amount = parsed.amount
        slip.currency = parsed.currency[:8]
        slip.reference = parsed.reference[:64]
        slip.bank = parsed.bank[:8]
        slip.sender = parsed.sender[:128]
        slip.receiver_name = parsed.receiver_name[:128]
        slip.receiver_account = parsed.receiver_account[:32]
        slip.read_text = text[:20_000]
        slip.warnings = slip_warnings(slip)
        slip.save()
        deposit = slip.deposit
        announce("deposit.slip_read", deposit.player, deposit_id=deposit.pk,
                 warnings=[warning["code"] for warning in slip.warnings])
        return slip


# Any constant of our own: the key of the advisory lock that readings take in turn.
_READING_LOCK = 18_0001


def _one_reading_at_a_time() -> None:
    """Two readings of the same slip sent twice, recorded at once, would each miss the other's
    reference; recorded in turn, the later one sees the earlier. A reading's transaction is short
    (the OCR ran before it). SQLite's transactions are serialized already (IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_READING_LOCK])


def _letters(text: str) -> str:
    return "".join(char for char in text.upper() if char.isalpha())


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def slip_warnings(slip: Slip) -> list[dict]:
    """Hints for the admin, never a refusal (domain.md, "Slips"); what was not read warns of nothing."""
    deposit, method = slip.deposit, slip.deposit.method
    warnings = []
    if slip.amount is not None and slip.amount != deposit.amount:
        warnings.append({"code": "AMOUNT_MISMATCH", "message": f"The slip says {slip.amount}, the player claimed "
                                                               f"{deposit.amount}."})
    account_differs = bool(slip.receiver_account and _digits(method.account_number)
                           and _digits(slip.receiver_account) != _digits(method.account_number))
    name_differs = bool(_letters(slip.receiver_name) and _letters(method.account_holder)
                        and _letters(slip.receiver_name) != _letters(method.account_holder))
    if account_differs or name_differs:
        shown = " ".join(part for part in (slip.receiver_name, slip.receiver_account) if part)
        warnings.append({"code": "RECEIVER_MISMATCH", "message": f"Paid to {shown}, not to the club's "
                                                                 f"{method.code} account."})
    others = Slip.objects.exclude(pk=slip.pk)
    if slip.reference:
        same = list(others.filter(reference=slip.reference).values_list("deposit_id", flat=True)[:5])
        if same:
            warnings.append({"code": "DUPLICATE_REFERENCE", "message": f"Reference {slip.reference} is on deposit "
                                                                       f"{_ids(same)} too."})
    # Hashes compared in Python (a club's slips are thousands); the texts only of those that look alike.
    rows = others.values_list("deposit_id", "pk", "sha256", "phash")
    same_image = [deposit_id for deposit_id, _, sha, _ in rows if sha == slip.sha256]
    alike = {pk: (deposit_id, phash) for deposit_id, pk, sha, phash in rows
             if sha != slip.sha256 and hash_distance(phash, slip.phash) <= SAME_IMAGE_BITS}
    for pk, text in Slip.objects.filter(pk__in=alike).values_list("pk", "read_text"):
        if same_image_as((slip.phash, slip.read_text), (alike[pk][1], text)):
            same_image.append(alike[pk][0])
    if same_image:
        warnings.append({"code": "DUPLICATE_IMAGE", "message": f"The same image is on deposit {_ids(same_image)}."})
    return warnings


def _ids(deposit_ids: list[int]) -> str:
    return ", ".join(f"#{deposit_id}" for deposit_id in sorted(deposit_ids)[:5])
