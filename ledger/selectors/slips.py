"""Slips as the desk and the bot read them; the signed link that lets the bot fetch one."""
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing

from ledger.models import Slip

_SALT = "ledger.slip-url"


@dataclass(frozen=True)
class SlipWarning:
    code: str
    message: str


@dataclass(frozen=True)
class SlipReading:
    done: bool
    amount: Decimal | None
    reference: str | None
    bank: str | None
    sender: str | None
    receiver_name: str | None
    receiver_account: str | None
    warnings: list[SlipWarning]


def slip_reading(slip: Slip) -> SlipReading:
    """Empty texts are None: an unread field and an unreadable one look the same to an admin."""
    return SlipReading(done=slip.read_at is not None, amount=slip.amount, reference=slip.reference or None,
                       bank=slip.bank or None, sender=slip.sender or None,
                       receiver_name=slip.receiver_name or None, receiver_account=slip.receiver_account or None,
                       warnings=[SlipWarning(code=w["code"], message=w["message"]) for w in slip.warnings])


def slip_token(slip_id: int) -> str:
    """A capability for one slip: signed with SECRET_KEY, valid SLIP_URL_MAX_AGE_S from now."""
    return signing.dumps(slip_id, salt=_SALT, compress=False)


def slip_for_token(token: str) -> Slip | None:
    """The slip a token names if its signature holds and it has not expired; None otherwise."""
    try:
        slip_id = signing.loads(token, salt=_SALT, max_age=settings.SLIP_URL_MAX_AGE_S)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return Slip.objects.filter(pk=slip_id).first() if isinstance(slip_id, int) else None


def slip_of_deposit(deposit_id: int) -> Slip | None:
    return Slip.objects.filter(deposit_id=deposit_id).first()
