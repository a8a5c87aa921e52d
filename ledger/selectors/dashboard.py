"""The desk's dashboard: what waits for a decision, today's and this month's report, and the last
days day by day, in a fixed handful of queries whatever the number of days or rows."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, IntegerField, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from ledger.clubtime import Period, club_today, club_zone
from ledger.models import DailyTotal, JournalEntry, JournalKind
from ledger.selectors.credits import seat_requests_pending
from ledger.selectors.promotions import cashback_claims_pending, join_requests_pending
from ledger.selectors.reports import ZERO, Report, net_base, reports
from ledger.selectors.requests import deposits_pending, withdrawals_pending
from ledger.selectors.spins import spin_rewards_pending
from ledger.validators import CENT

CHART_DAYS = 30
# What waits for a decision, in the desk's order: (kind, the selector of its queue).
PENDING_KINDS = (("deposit", deposits_pending), ("withdrawal", withdrawals_pending), ("spin", spin_rewards_pending),
                 ("seatrequest", seat_requests_pending), ("cashbackclaim", cashback_claims_pending),
                 ("joinrequest", join_requests_pending))


@dataclass(frozen=True)
class Day:
    day: date
    deposits_base: Decimal
    withdrawals_base: Decimal
    net_base: Decimal  # as the report's net: less spin chips (in MVR), bonuses and recovery
    spins_used: int
    chips_approved: int


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    pending: dict[str, int]  # per kind of PENDING_KINDS, zeros included
    today: Report
    month: Report
    days: list[Day]  # oldest first, every day of the last CHART_DAYS club-local days, today last


def dashboard(*, now: datetime | None = None, days: int = CHART_DAYS) -> Dashboard:
    now = now or timezone.now()
    figures = reports(periods=[Period.TODAY, Period.MONTH], now=now)
    return Dashboard(now=now, pending=pending_counts(), today=figures[Period.TODAY], month=figures[Period.MONTH],
                     days=daily_figures(last=club_today(now), days=days))


def pending_counts() -> dict[str, int]:
    """How many of each kind wait for a decision, in one query (a union of counts)."""
    counts = [queue().order_by().annotate(kind=Value(index, output_field=IntegerField())).values("kind")
              .annotate(n=Count("id")).values("kind", "n") for index, (_, queue) in enumerate(PENDING_KINDS)]
    rows = counts[0].union(*counts[1:], all=True)
    found = {PENDING_KINDS[row["kind"]][0]: row["n"] for row in rows}
    return {kind: found.get(kind, 0) for kind, _ in PENDING_KINDS}


def daily_figures(*, last: date, days: int = CHART_DAYS) -> list[Day]:
    """The `days` club-local days ending with `last`, a day with nothing in it as zeros: the money and
    the chips from the day totals, the spins used from the journal, one grouped query each."""
    first = last - timedelta(days=days - 1)
    names = ("deposits_base", "withdrawals_base", "chips_approved", "bonuses_base", "cashback_base")
    totals = {row["day"]: row for row in DailyTotal.objects.filter(day__range=(first, last)).values("day")
              .annotate(**{name: Sum(name) for name in names}).order_by()}
    # The journal's days are the club-local dates of the entries' own timestamps, as the day totals'.
    spins = {row["day"]: row["n"] for row in JournalEntry.objects.filter(kind=JournalKind.SPIN_USED)
             .annotate(day=TruncDate("created_at", tzinfo=club_zone())).filter(day__range=(first, last))
             .values("day").annotate(n=Count("id")).order_by()}
    answer = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = totals.get(day, {})
        money = {name: Decimal(row.get(name) or ZERO).quantize(CENT) for name in names if name != "chips_approved"}
        chips = int(row.get("chips_approved") or 0)
        answer.append(Day(day=day, deposits_base=money["deposits_base"], withdrawals_base=money["withdrawals_base"],
                          net_base=net_base(**money, chips_approved=chips), spins_used=spins.get(day, 0),
                          chips_approved=chips))
    return answer
