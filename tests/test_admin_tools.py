"""Admin tools: every setting changed through a service with its record and event; the report."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ledger import selectors, services
from ledger.actors import staff_actor
from ledger.audit import ledger_discrepancies
from ledger.errors import Forbidden, Invalid, NotFound
from ledger.models import Admin, ConfigChange, DailyReport, Event, PaymentMethod
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit, deposit_for

CLUB = ZoneInfo("Indian/Maldives")  # UTC+5


def club_time(*args) -> datetime:
    return datetime(*args, tzinfo=CLUB)


# --- payment methods ---------------------------------------------------------------------------

def test_a_rate_change_is_recorded_and_announced_and_moves_only_later_approvals(player, admin):
    decided = approved_deposit(PLAYER_ID, admin, amount="100", method="USD")
    pending = deposit_for(PLAYER_ID, amount="100", method="USD")
    method = services.payment_method_update(code="usd", rate_to_base="16.25", actor=admin)
    assert method.rate_to_base == Decimal("16.2500")
    change = ConfigChange.objects.get()
    assert (change.what, change.before, change.after, change.changed_by) == (
        "payment method USD: rate to MVR", "15.4000", "16.2500", admin.label)
    assert Event.objects.filter(kind="config.changed").count() == 1
    decided.refresh_from_db()
    assert (decided.rate_to_base, decided.amount_base) == (Decimal("15.40"), Decimal("1540.00"))
    later = services.deposit_approve(deposit_id=pending.pk, actor=admin)
    assert later.amount_base == Decimal("1625.00")


def test_each_changed_field_has_its_own_record_and_unchanged_fields_none(methods, admin):
    services.payment_method_update(code="BML", account_number="7730000012345", account_holder="Club Pvt Ltd",
                                   is_active=True, actor=admin)
    assert sorted(ConfigChange.objects.values_list("what", "before", "after")) == [
        ("payment method BML: account holder", "", "Club Pvt Ltd"),
        ("payment method BML: account number", "", "7730000012345"),
    ]
    services.payment_method_update(code="BML", account_number="7730000012345", actor=admin)
    assert ConfigChange.objects.count() == 2


@pytest.mark.parametrize("changes, field", [
    ({"rate_to_base": "0"}, "rateToBase"), ({"rate_to_base": "1e3"}, "rateToBase"),
    ({"rate_to_base": "15.123456"}, "rateToBase"), ({"account_number": "77\x0012"}, "accountNumber"),
    ({"account_holder": "x" * 129}, "accountHolder"),
])
def test_bad_settings_are_refused_and_change_nothing(methods, admin, changes, field):
    with pytest.raises(Invalid) as refused:
        services.payment_method_update(code="USD", actor=admin, **changes)
    assert refused.value.field == field
    assert not ConfigChange.objects.exists()
    assert PaymentMethod.objects.get(code="USD").rate_to_base == Decimal("15.40")


def test_an_unknown_method_is_not_found(methods, admin):
    with pytest.raises(NotFound):
        services.payment_method_update(code="PAYPAL", is_active=True, actor=admin)


# --- admins ------------------------------------------------------------------------------------

def test_adding_and_removing_an_admin_is_recorded(settings, db, admin):
    settings.ADMIN_USER_IDS = [1001]
    services.admin_add(telegram_id=2002, actor=admin)
    assert selectors.is_admin(2002)
    services.admin_remove(telegram_id=2002, actor=admin)
    assert not selectors.is_admin(2002)
    assert list(ConfigChange.objects.order_by("id").values_list("what", "before", "after")) == [
        ("admin 2002", "", "admin"), ("admin 2002", "admin", "")]
    services.admin_add(telegram_id=2002, actor=admin)  # and back again
    assert selectors.is_admin(2002) and Admin.objects.filter(telegram_id=2002).count() == 1


def test_the_super_admin_and_environment_admins_stay(settings, db, admin):
    settings.ADMIN_USER_IDS = [1001, 1002]
    with pytest.raises(Forbidden):
        services.admin_remove(telegram_id=1001, actor=admin)
    with pytest.raises(Invalid):
        services.admin_remove(telegram_id=1002, actor=admin)
    with pytest.raises(Invalid):
        services.admin_add(telegram_id=1002, actor=admin)
    assert selectors.is_admin(1001) and selectors.is_admin(1002)
    assert not ConfigChange.objects.exists()


def test_the_admin_list_says_who_is_who(settings, db, admin, django_user_model):
    settings.ADMIN_USER_IDS = [1001]
    services.admin_add(telegram_id=3003, actor=staff_actor(django_user_model.objects.create_user(
        "desk", is_staff=True)))
    entries = {entry.telegram_id: entry for entry in selectors.admin_list()}
    assert entries[1001].is_super_admin and entries[1001].from_environment
    assert not entries[3003].from_environment and entries[3003].added_by == "staff desk"
    assert entries[ADMIN_ID].added_at is not None


# --- the report --------------------------------------------------------------------------------

def approve_at(moment: datetime, admin, **deposit):
    with time_machine.travel(moment, tick=False):
        return approved_deposit(PLAYER_ID, admin, **deposit)


def test_today_starts_at_midnight_club_time(player, admin):
    approve_at(club_time(2026, 3, 9, 23, 59), admin, amount="1000")
    approve_at(club_time(2026, 3, 10, 0, 1), admin, amount="300")
    today = selectors.report(period="TODAY", now=club_time(2026, 3, 10, 12, 0))
    assert [(row.method, row.count, row.amount_base) for row in today.deposits] == [("BML", 1, Decimal("300.00"))]
    yesterday = selectors.report(start=club_time(2026, 3, 9), end=club_time(2026, 3, 10))
    assert yesterday.deposits_base == Decimal("1000.00")


def test_week_is_from_monday_and_month_from_the_first(player, admin):
    approve_at(club_time(2026, 3, 1, 10, 0), admin, amount="200")    # Sunday, in the month
    approve_at(club_time(2026, 3, 2, 0, 0), admin, amount="400")     # Monday 00:00, in the week
    approve_at(club_time(2026, 2, 28, 23, 59), admin, amount="800")  # before the month
    now = club_time(2026, 3, 4, 9, 0)
    assert selectors.report(period="WEEK", now=now).deposits_base == Decimal("400.00")
    assert selectors.report(period="MONTH", now=now).deposits_base == Decimal("600.00")
    assert selectors.report(period="YEAR", now=now).deposits_base == Decimal("1400.00")
    assert selectors.report(period="LIFETIME", now=now).deposits_base == Decimal("1400.00")


def test_net_by_hand_per_method_and_equal_to_the_journal(player, admin, settings):
    settings.CHIP_VALUE_MVR = Decimal("2")
    approve_at(club_time(2026, 5, 1, 9), admin, amount="1000")
    approve_at(club_time(2026, 5, 2, 9), admin, amount="50", method="USD")  # 770 MVR
    with time_machine.travel(club_time(2026, 5, 3, 9), tick=False):
        withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="MIB",
                                                account_number="9010", pppoker_id="12345")
        services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)
        services.spins_grant(telegram_id=PLAYER_ID, spins=200, reason="test", actor=admin)
        services.spins_process(telegram_id=PLAYER_ID, count=200)
        services.spin_rewards_approve_all(telegram_id=PLAYER_ID, actor=admin)
    lifetime = selectors.report(period="LIFETIME", now=club_time(2026, 5, 4, 9))
    chips = lifetime.spin_chips_approved
    assert chips > 0
    assert [(r.method, r.currency, r.count, r.amount, r.amount_base) for r in lifetime.deposits] == [
        ("BML", "MVR", 1, Decimal("1000.00"), Decimal("1000.00")), ("USD", "USD", 1, Decimal("50.00"),
                                                                    Decimal("770.00"))]
    assert lifetime.withdrawals_base == Decimal("300.00")
    assert lifetime.net_base == Decimal("1770.00") - Decimal("300.00") - 2 * chips
    # from/to that cut days in the middle sum the same as the whole days plus the journal's edges
    cut = selectors.report(start=club_time(2026, 5, 1, 12), end=club_time(2026, 5, 3, 8))
    assert cut.deposits_base == Decimal("770.00") and cut.withdrawals_base == Decimal("0.00")
    assert ledger_discrepancies() == []


def test_from_must_be_before_to_and_a_period_excludes_from_to(db):
    with pytest.raises(Invalid):
        selectors.report(start=club_time(2026, 1, 2), end=club_time(2026, 1, 1))
    with pytest.raises(Invalid):
        selectors.report(period="TODAY", start=club_time(2026, 1, 1))


def test_the_daily_report_is_written_once_and_told_once(player, admin):
    approve_at(club_time(2026, 6, 14, 20), admin, amount="500")
    midnight = club_time(2026, 6, 15, 0, 0, 30)
    first = services.daily_report_make(now=midnight)
    again = services.daily_report_make(now=midnight)
    assert first is not None and again is None
    assert DailyReport.objects.get().figures["yesterday"]["deposits_base"] == "500.00"
    assert Event.objects.filter(kind="report.daily").count() == 1


def test_the_daily_report_event_names_its_row_and_carries_the_chips_in_mvr(player, admin, settings):
    settings.CHIP_VALUE_MVR = Decimal("2")
    approve_at(club_time(2026, 6, 14, 20), admin, amount="500")
    row = services.daily_report_make(now=club_time(2026, 6, 15, 0, 1))
    payload = Event.objects.get(kind="report.daily").payload
    assert payload["report_id"] == row.pk and payload["day"] == "2026-06-14"
    assert payload["yesterday"] == row.figures["yesterday"] and payload["month_to_date"] == row.figures[
        "month_to_date"]
    assert payload["yesterday"]["spin_chips_base"] == "0.00" and payload["yesterday"]["net_base"] == "500.00"
    assert "report_id" not in row.figures


def test_settings_changes_move_the_mirror_s_versions_and_their_own_times(methods, admin, settings):
    settings.ADMIN_USER_IDS = [1001]
    with time_machine.travel(club_time(2026, 3, 1, 9), tick=False):
        services.payment_method_update(code="USD", rate_to_base="16", actor=admin)
    with time_machine.travel(club_time(2026, 3, 2, 9), tick=False):
        services.payment_method_update(code="USD", account_number="1234", actor=admin)
    services.payment_method_update(code="USD", account_number="1234", actor=admin)  # no change, no new version
    usd = PaymentMethod.objects.get(code="USD")
    assert usd.version == 3
    assert (usd.rate_updated_at, usd.account_updated_at) == (club_time(2026, 3, 1, 9), club_time(2026, 3, 2, 9))
    services.admin_add(telegram_id=2002, actor=admin)
    services.admin_remove(telegram_id=2002, actor=admin)
    services.admin_add(telegram_id=2002, actor=admin)
    assert Admin.objects.get(telegram_id=2002).version == 3


def test_check_ledger_catches_a_day_total_that_drifted(player, admin):
    from ledger.models import DailyTotal
    approved_deposit(PLAYER_ID, admin)
    DailyTotal.objects.filter(method="BML").update(deposits_base=Decimal("1.00"))
    assert any("daily totals" in line for line in ledger_discrepancies())
