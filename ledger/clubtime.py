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
    TODAY = "today"
    WEEK = "week"  # from Monday
    MONTH = "month"


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


def period_bounds(period: Period | str, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the club's current day, week (from Monday) or month, as aware datetimes."""
    today = to_club_time(now or timezone.now()).date()
    period = Period(period)
    if period == Period.TODAY:
        first, after = today, today + timedelta(days=1)
    elif period == Period.WEEK:
        first = today - timedelta(days=today.weekday())
        after = first + timedelta(days=7)
    else:
        first = today.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
    return _midnight(first), _midnight(after)


def _midnight(day: date) -> datetime:
    return on_club_clock(datetime(day.year, day.month, day.day))
