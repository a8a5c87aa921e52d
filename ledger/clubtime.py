"""Club time: the wall clock of `TIME_ZONE`, the only time people see.

The ledger stores UTC. The spreadsheet and the bot's messages show club time as
`YYYY-MM-DD HH:MM:SS`, and the club counts its figures by its own days, weeks
(from Monday) and months, so those bounds are computed here, on the club's
wall clock, and nowhere else.
"""
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from django.utils import timezone

CLUB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class Period(StrEnum):
    """The club's reporting periods; each runs from its first club-local midnight to now."""

    TODAY = "TODAY"
    WEEK = "WEEK"  # from Monday
    MONTH = "MONTH"
    SIX_MONTHS = "SIX_MONTHS"  # this month and the five before it
    YEAR = "YEAR"
    LIFETIME = "LIFETIME"


def club_zone() -> tzinfo:
    return timezone.get_default_timezone()


def to_club_time(moment: datetime) -> datetime:
    return moment.astimezone(club_zone())


def on_club_clock(wall_clock: datetime) -> datetime:
    """A naive wall-clock reading taken as club time."""
    return wall_clock.replace(tzinfo=club_zone())


def club_time_text(moment: datetime | None) -> str:
    """How people read a moment: club time, to the second; "" for none."""
    return to_club_time(moment).strftime(CLUB_TIME_FORMAT) if moment is not None else ""


def parse_club_time(text: str) -> datetime | None:
    """A time as people typed it into the legacy sheet: club time `YYYY-MM-DD HH:MM:SS`
    (slashes for dashes too) or ISO 8601 with an offset. None if blank or unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None
    return on_club_clock(moment) if timezone.is_naive(moment) else moment


def period_start(period: Period | str, today: date) -> date | None:
    """The first club-local day of `period` as of `today`; None for LIFETIME."""
    period = Period(period)
    if period == Period.TODAY:
        return today
    if period == Period.WEEK:
        return today - timedelta(days=today.weekday())
    if period == Period.MONTH:
        return today.replace(day=1)
    if period == Period.SIX_MONTHS:
        months = today.year * 12 + today.month - 1 - 5
        return date(months // 12, months % 12 + 1, 1)
    if period == Period.YEAR:
        return today.replace(month=1, day=1)
    return None


def club_today(now: datetime | None = None) -> date:
    return to_club_time(now or timezone.now()).date()


def club_midnight(day: date) -> datetime:
    """The moment a club-local day begins."""
    return on_club_clock(datetime(day.year, day.month, day.day))
