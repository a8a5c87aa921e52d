"""The desk's dashboard: pending counts, the report's figures, and every one of the last 30 club-local
days, for staff only, in a fixed number of queries whatever the data."""
import contextlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ledger import selectors, services
from ledger.clubtime import club_midnight, club_today
from ledger.models import JournalEntry, JournalKind, RewardStatus
from ledger.selectors import report_figures
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for

CLUB = ZoneInfo("Indian/Maldives")
NOW = datetime(2026, 5, 20, 15, 30, tzinfo=CLUB)
TODAY = NOW.date()


def seed_day(admin, day: date | None, *, deposits: int = 1, spins: int = 10) -> None:
    """A day of the club at 10:00 club time (None: now): deposits, a withdrawal, spins with their wins
    approved."""
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=CLUB) if day else None
    with time_machine.travel(moment, tick=False) if moment else contextlib.nullcontext():
        day = day or club_today()
        for index in range(deposits):
            approved_deposit(PLAYER_ID, admin, amount=str(1000 + 100 * index + day.day))
        withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount=str(200 + day.day), method="BML",
                                                account_number="7730000123", pppoker_id="12345")
        services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)
        services.spins_grant(telegram_id=PLAYER_ID, spins=spins, reason="test", actor=admin)
        for spin in services.spins_process(telegram_id=PLAYER_ID, count=spins).spins:
            if spin.status == RewardStatus.PENDING:
                services.spin_reward_approve(spin_id=spin.pk, actor=admin)


def seed(admin, days: list[date], **day) -> None:
    for each in days:
        seed_day(admin, each, **day)


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


def test_every_day_is_present_and_each_equals_its_own_report(player, admin):
    busy = [TODAY - timedelta(days=29), TODAY - timedelta(days=12), TODAY - timedelta(days=1), TODAY]
    seed(admin, busy, deposits=2)
    seed_day(admin, TODAY - timedelta(days=30))  # the day before the window
    days = selectors.dashboard(now=NOW).days
    assert [day.day for day in days] == [TODAY - timedelta(days=29 - offset) for offset in range(30)]
    for day in days:
        figures = selectors.report(start=club_midnight(day.day), end=club_midnight(day.day + timedelta(days=1)))
        used = JournalEntry.objects.filter(kind=JournalKind.SPIN_USED, created_at__gte=club_midnight(day.day),
                                           created_at__lt=club_midnight(day.day + timedelta(days=1))).count()
        assert (day.deposits_base, day.withdrawals_base, day.net_base, day.chips_approved, day.spins_used) == (
            figures.deposits_base, figures.withdrawals_base, figures.net_base, figures.spin_chips_approved, used)
        assert (day.spins_used == 10) == (day.day in busy), day
    quiet = days[1]
    zero = Decimal("0.00")
    assert (quiet.deposits_base, quiet.net_base, quiet.spins_used, quiet.chips_approved) == (zero, zero, 0, 0)


def test_the_figures_are_the_report_s_and_the_counts_each_queue_s(player, admin, settings):
    settings.CHIP_VALUE_MVR = Decimal("2")
    seed(admin, [TODAY - timedelta(days=25), TODAY - timedelta(days=3), TODAY])  # the 25th is last month
    with time_machine.travel(NOW, tick=False):
        deposit_for(PLAYER_ID, amount="750")
        services.user_upsert(telegram_id=PLAYER_ID + 1, username="sara", first_name="Sara", pppoker_id="12346")
        deposit_for(PLAYER_ID + 1, amount="80", method="USD", pppoker_id="12346")
        services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML", account_number="7730000123",
                                   pppoker_id="12345")
    board = selectors.dashboard(now=NOW)
    assert report_figures(board.month) == report_figures(selectors.report(period="MONTH", now=NOW))
    assert report_figures(board.today) == report_figures(selectors.report(period="TODAY", now=NOW))
    assert board.month.deposits_base > board.today.deposits_base > 0
    assert board.pending == {"deposit": 2, "withdrawal": 1, "spin": 0, "seatrequest": 0, "cashbackclaim": 0,
                             "joinrequest": 0}
    assert sum(day.net_base for day in board.days if day.day >= TODAY.replace(day=1)) == board.month.net_base


@pytest.mark.parametrize("busy_days", [1, 12])
def test_the_page_costs_at_most_ten_queries_whatever_the_data(staff_client, player, admin, busy_days,
                                                              django_assert_max_num_queries):
    seed(admin, [TODAY - timedelta(days=offset * 2) for offset in range(busy_days)], deposits=busy_days)
    with time_machine.travel(NOW, tick=False):
        deposit_for(PLAYER_ID, amount="750")
        with django_assert_max_num_queries(10):
            page = staff_client.get("/admin/dashboard/")
    assert page.status_code == 200
    assert len(page.context["charts"]["days"]) == 30
    text = page.content.decode()
    assert 'id="money-chart"' in text and 'id="dashboard-data"' in text and "chart.umd.js" in text
    assert '<script>' not in text.replace('<script type="application/json"', "")  # no inline script for CSP
    month = selectors.report(period="MONTH", now=NOW)
    assert f"{month.net_base:,.2f} MVR" in text and "/admin/ledger/deposit/?status__exact=PENDING" in text


def test_a_staff_member_without_superuser_rights_stays_within_ten(client, django_user_model, player, admin,
                                                                     django_assert_max_num_queries):
    seed(admin, [TODAY - timedelta(days=offset) for offset in range(0, 20, 4)], deposits=3)
    client.force_login(django_user_model.objects.create_user("clerk", "clerk@example.com", "pw", is_staff=True))
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(10):
        page = client.get("/admin/dashboard/")
    assert page.status_code == 200 and len(page.context["charts"]["net"]) == 30


def test_staff_only(client, django_user_model, db):
    anonymous = client.get("/admin/dashboard/")
    assert anonymous.status_code == 302 and anonymous["Location"] == "/admin/login/?next=/admin/dashboard/"
    client.force_login(django_user_model.objects.create_user("guest", "guest@example.com", "pw"))
    refused = client.get("/admin/dashboard/")
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")


def test_the_index_links_the_dashboard(staff_client):
    assert 'href="/admin/dashboard/"' in staff_client.get("/admin/").content.decode()
