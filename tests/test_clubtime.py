"""Club time: what people read, what the legacy sheet holds, and the club's reporting periods."""
from datetime import UTC, date, datetime, timedelta

import pytest

from ledger.clubtime import Period, club_midnight, club_time_text, club_today, parse_club_time, period_start


@pytest.fixture(autouse=True)
def maldives(settings):
    settings.TIME_ZONE = "Indian/Maldives"  # UTC+5, no daylight saving


def test_a_moment_is_shown_on_the_club_clock_to_the_second():
    assert club_time_text(datetime(2025, 11, 30, 19, 30, 5, 999, tzinfo=UTC)) == "2025-12-01 00:30:05"
    assert club_time_text(None) == ""


@pytest.mark.parametrize("text, expected", [
    ("2025-11-01 10:00:00", datetime(2025, 11, 1, 5, 0, tzinfo=UTC)),
    ("2025/11/01 10:00:00", datetime(2025, 11, 1, 5, 0, tzinfo=UTC)),
    ("2025-11-01T10:00:00+00:00", datetime(2025, 11, 1, 10, 0, tzinfo=UTC)),
    ("yesterday", None),
    ("", None),
])
def test_a_legacy_cell_is_read_as_club_time_unless_it_names_its_offset(text, expected):
    assert parse_club_time(text) == expected


def test_what_is_shown_reads_back_as_the_same_moment():
    moment = datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)
    assert parse_club_time(club_time_text(moment)) == moment


# Thursday 2026-01-01 02:00 in the club is still Wednesday 2025-12-31 in UTC.
NEW_YEAR_NIGHT = datetime(2025, 12, 31, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize("period, start", [
    (Period.TODAY, datetime(2025, 12, 31, 19, 0, tzinfo=UTC)),
    (Period.WEEK, datetime(2025, 12, 28, 19, 0, tzinfo=UTC)),  # Monday 2025-12-29 in the club
    (Period.MONTH, datetime(2025, 12, 31, 19, 0, tzinfo=UTC)),
    (Period.SIX_MONTHS, datetime(2025, 7, 31, 19, 0, tzinfo=UTC)),  # August, September, ..., January
    (Period.YEAR, datetime(2025, 12, 31, 19, 0, tzinfo=UTC)),
])
def test_periods_follow_the_club_calendar_not_utc(period, start):
    assert club_midnight(period_start(period, club_today(NEW_YEAR_NIGHT))) == start


def test_the_week_starts_on_monday_whatever_day_it_is():
    monday_club_midnight = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # Monday 2026-03-02 00:00 club time
    for days in range(7):
        today = club_today(monday_club_midnight + timedelta(days=days, hours=12))
        assert club_midnight(period_start("WEEK", today)) == monday_club_midnight


def test_six_months_cross_the_year_and_lifetime_has_no_start():
    assert period_start(Period.SIX_MONTHS, date(2026, 3, 10)) == date(2025, 10, 1)
    assert period_start(Period.LIFETIME, date(2026, 3, 10)) is None


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError):
        period_start("FORTNIGHT", date(2026, 1, 1))
