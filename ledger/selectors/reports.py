"""The club's report over a period, in club-local time, from the day totals kept with the journal.

A period is a club-local day range ending now; `from`/`to` may be any instants, whose partial
first and last days are summed from the journal itself, so every answer is exact and a report over
years reads a few hundred day rows.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from ledger.clubtime import Period, club_midnight, club_today, period_start
from ledger.errors import Invalid
from ledger.models import PAID_OUT, DailyTotal, JournalEntry, JournalKind
from ledger.selectors.credits import open_credits_now
from ledger.validators import CENT, clean_moment

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MethodTotal:
    method: str
    currency: str
    count: int
    amount: Decimal
    amount_base: Decimal


@dataclass
class Report:
    period: Period | None
    start: datetime | None
    end: datetime
    deposits: list[MethodTotal] = field(default_factory=list)
    withdrawals: list[MethodTotal] = field(default_factory=list)
    spin_chips_approved: int = 0
    bonuses_base: Decimal = ZERO
    cashback_base: Decimal = ZERO
    open_credits: int = 0  # now, whatever the period: credits are a balance, not a flow
    open_credits_base: Decimal = ZERO

    @property
    def deposits_base(self) -> Decimal:
        return sum((row.amount_base for row in self.deposits), ZERO)

    @property
    def withdrawals_base(self) -> Decimal:
        return sum((row.amount_base for row in self.withdrawals), ZERO)

    @property
    def spin_chips_base(self) -> Decimal:
        """The spin chips approved, in MVR (CHIP_VALUE_MVR each)."""
        return (Decimal(self.spin_chips_approved) * settings.CHIP_VALUE_MVR).quantize(CENT)

    @property
    def net_base(self) -> Decimal:
        """Deposits - withdrawals - spin chips approved x CHIP_VALUE_MVR - bonuses - recovery."""
        return (self.deposits_base - self.withdrawals_base - self.spin_chips_base - self.bonuses_base
                - self.cashback_base)


def report(*, period: str | None = None, start: datetime | None = None, end: datetime | None = None,
           now: datetime | None = None) -> Report:
    """The figures of a period (TODAY ... LIFETIME) or of [start, end); one of the two ways."""
    now = now or timezone.now()
    if period is not None:
        if start is not None or end is not None:
            raise Invalid("Give a period, or from/to, not both.", field="period")
        first_day = period_start(period, club_today(now))
        start, end = (club_midnight(first_day) if first_day else None), now
    else:
        start, end = clean_moment(start, field="from"), clean_moment(end, field="to") or now
        if start is not None and start >= end:
            raise Invalid("`from` must be before `to`.", field="from")
    figures = _Figures()
    whole_days = _whole_days(start, end)
    if whole_days is None:  # no whole day inside: the journal alone, it is at most two days of entries
        figures.add_journal(start, end)
    else:
        first, last = whole_days
        figures.add_days(first, last)
        if start is not None:  # the partial day before the first whole one
            figures.add_journal(start, club_midnight(first))
        figures.add_journal(club_midnight(last + timedelta(days=1)), end)
    return figures.report(Period(period) if period else None, start, end)


def _whole_days(start: datetime | None, end: datetime) -> tuple[date | None, date] | None:
    """The club-local days lying wholly inside [start, end): (first or None for no start, last)."""
    first = None
    if start is not None:
        first = club_today(start)
        if club_midnight(first) < start:
            first += timedelta(days=1)
    last = club_today(end) - timedelta(days=1)  # the day before the one `end` falls in
    if first is not None and first > last:
        return None
    return first, last


class _Figures:
    def __init__(self):
        self.by_method = defaultdict(lambda: defaultdict(Decimal))
        self.currency: dict[str, str] = {}
        self.chips_approved = 0
        self.paid_out = dict.fromkeys(PAID_OUT.values(), ZERO)  # bonuses and recovery, MVR

    def add_days(self, first: date | None, last: date) -> None:
        rows = DailyTotal.objects.filter(day__lte=last)
        if first is not None:
            rows = rows.filter(day__gte=first)
        of_no_method = ("chips_approved", *PAID_OUT.values())
        sums = {name: Sum(name) for name in ("deposits", "deposits_amount", "deposits_base", "withdrawals",
                                             "withdrawals_amount", "withdrawals_base", *of_no_method)}
        for row in rows.values("method", "currency").annotate(**sums).order_by():
            if not row["method"]:
                self.chips_approved += row["chips_approved"] or 0
                for name in PAID_OUT.values():
                    self.paid_out[name] += row[name] or 0
                continue
            self.currency[row["method"]] = row["currency"]
            for name in sums:
                if name not in of_no_method:
                    self.by_method[row["method"]][name] += row[name] or 0

    def add_journal(self, start: datetime | None, end: datetime | None) -> None:
        if start is not None and end is not None and start >= end:
            return
        entries = JournalEntry.objects.all()
        if start is not None:
            entries = entries.filter(created_at__gte=start)
        if end is not None:
            entries = entries.filter(created_at__lt=end)
        for kind, relation, prefix in ((JournalKind.DEPOSIT_APPROVED, "deposit", "deposits"),
                                       (JournalKind.WITHDRAWAL_APPROVED, "withdrawal", "withdrawals")):
            rows = (entries.filter(kind=kind).values(f"{relation}__method__code", f"{relation}__currency")
                    .annotate(n=Count("id"), amount=Sum(f"{relation}__amount"), base=Sum("amount_base")).order_by())
            for row in rows:
                method = row[f"{relation}__method__code"]
                self.currency[method] = row[f"{relation}__currency"]
                self.by_method[method][prefix] += row["n"]
                self.by_method[method][f"{prefix}_amount"] += row["amount"]
                self.by_method[method][f"{prefix}_base"] += row["base"]
        totals = entries.aggregate(chips=Sum("chips", filter=Q(kind=JournalKind.REWARD_APPROVED)),
                                   **{name: Sum("amount_base", filter=Q(kind=kind)) for kind, name in PAID_OUT.items()})
        self.chips_approved += totals["chips"] or 0
        for name in PAID_OUT.values():
            self.paid_out[name] += totals[name] or 0

    def report(self, period: Period | None, start: datetime | None, end: datetime) -> Report:
        def totals(prefix: str) -> list[MethodTotal]:
            return [MethodTotal(method=method, currency=self.currency.get(method, ""), count=int(values[prefix]),
                                amount=Decimal(values[f"{prefix}_amount"]).quantize(CENT),
                                amount_base=Decimal(values[f"{prefix}_base"]).quantize(CENT))
                    for method, values in sorted(self.by_method.items()) if values[prefix]]
        open_credits, open_credits_base = open_credits_now()
        return Report(period=period, start=start, end=end, deposits=totals("deposits"),
                      withdrawals=totals("withdrawals"), spin_chips_approved=int(self.chips_approved),
                      bonuses_base=Decimal(self.paid_out["bonuses_base"]).quantize(CENT),
                      cashback_base=Decimal(self.paid_out["cashback_base"]).quantize(CENT),
                      open_credits=open_credits, open_credits_base=open_credits_base)


def report_figures(report: Report) -> dict:
    """A report as plain JSON values (MVR amounts as text), for the daily report's row and event."""
    def rows(totals: list[MethodTotal]) -> list[dict]:
        return [{"method": row.method, "currency": row.currency, "count": row.count, "amount": str(row.amount),
                 "amount_base": str(row.amount_base)} for row in totals]
    return {
        "from": report.start.isoformat() if report.start else None, "to": report.end.isoformat(),
        "deposits": rows(report.deposits), "withdrawals": rows(report.withdrawals),
        "deposits_base": str(report.deposits_base), "withdrawals_base": str(report.withdrawals_base),
        "spin_chips_approved": report.spin_chips_approved, "spin_chips_base": str(report.spin_chips_base),
        "bonuses_base": str(report.bonuses_base),
        "cashback_base": str(report.cashback_base), "open_credits": report.open_credits,
        "open_credits_base": str(report.open_credits_base), "net_base": str(report.net_base),
    }
