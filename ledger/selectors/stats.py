"""The club's figures over a period, from the journal: the same source check_ledger trusts."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from ledger.models import CREDIT_KINDS, PAID_OUT, JournalEntry, JournalKind
from ledger.validators import clean_moment


@dataclass(frozen=True)
class Stats:
    """Totals of the period [start, end); None leaves that side open."""
    start: datetime | None
    end: datetime | None
    deposits_approved: int
    deposits_approved_base: Decimal
    withdrawals_approved: int
    withdrawals_approved_base: Decimal
    spins_used: int
    chips_won: int
    chips_approved: int
    deposits_by_currency: dict[str, Decimal]
    withdrawals_by_currency: dict[str, Decimal]
    open_credits: int  # at the end of the period (now when open)
    open_credits_base: Decimal
    bonuses_base: Decimal  # deposit bonuses granted, MVR
    cashback_base: Decimal  # recovery paid (claims approved), MVR


def stats(*, start: datetime | None = None, end: datetime | None = None) -> Stats:
    """Totals of one period [start, end), from the journal: the same source check_ledger trusts."""
    start = clean_moment(start, field="from")
    end = clean_moment(end, field="to")
    entries = JournalEntry.objects.all()
    if start:
        entries = entries.filter(created_at__gte=start)
    if end:
        entries = entries.filter(created_at__lt=end)
    zero = Decimal("0")
    totals = entries.aggregate(
        deposits=Count("id", filter=Q(kind=JournalKind.DEPOSIT_APPROVED)),
        deposits_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.DEPOSIT_APPROVED)), zero),
        withdrawals=Count("id", filter=Q(kind=JournalKind.WITHDRAWAL_APPROVED)),
        withdrawals_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.WITHDRAWAL_APPROVED)), zero),
        spins_used=Count("id", filter=Q(kind=JournalKind.SPIN_USED)),
        chips_won=Coalesce(Sum("chips", filter=Q(kind__in=[JournalKind.SPIN_USED, JournalKind.REWARD_REJECTED])), 0),
        chips_approved=Coalesce(Sum("chips", filter=Q(kind=JournalKind.REWARD_APPROVED)), 0),
        **{name: Coalesce(Sum("amount_base", filter=Q(kind=kind)), zero) for kind, name in PAID_OUT.items()},
    )
    cents = Decimal("0.01")
    by_currency = {}
    for kind, field in ((JournalKind.DEPOSIT_APPROVED, "deposit"), (JournalKind.WITHDRAWAL_APPROVED, "withdrawal")):
        rows = (entries.filter(kind=kind).values(f"{field}__currency")
                .annotate(total=Sum(f"{field}__amount")).order_by(f"{field}__currency"))
        by_currency[field] = {row[f"{field}__currency"]: row["total"].quantize(cents) for row in rows}
    owed = _credits_open_at(end)
    return Stats(
        start=start,
        end=end,
        deposits_approved=totals["deposits"],
        deposits_approved_base=totals["deposits_base"].quantize(cents),
        withdrawals_approved=totals["withdrawals"],
        withdrawals_approved_base=totals["withdrawals_base"].quantize(cents),
        spins_used=totals["spins_used"],
        chips_won=totals["chips_won"],
        chips_approved=totals["chips_approved"],
        deposits_by_currency=by_currency["deposit"],
        withdrawals_by_currency=by_currency["withdrawal"],
        open_credits=owed["opened"] - owed["closed"],
        open_credits_base=owed["base"].quantize(cents),
        bonuses_base=totals["bonuses_base"].quantize(cents),
        cashback_base=totals["cashback_base"].quantize(cents),
    )


def _credits_open_at(end: datetime | None) -> dict:
    """Credits are a balance, not a flow: what was opened and not yet closed before `end`, from the journal."""
    entries = JournalEntry.objects.filter(kind__in=CREDIT_KINDS)
    if end:
        entries = entries.filter(created_at__lt=end)
    return entries.aggregate(
        opened=Count("id", filter=Q(kind=JournalKind.CREDIT_OPENED)),
        closed=Count("id", filter=~Q(kind=JournalKind.CREDIT_OPENED)),
        base=Coalesce(Sum("amount_base"), Decimal("0")),
    )
