"""The mirror's promotion tabs: Promotions, Promotion Eligibility, Cashback Promotions, Cashback History and
Join Requests, in their legacy layouts."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from ledger import services
from ledger.clubtime import club_time_text, club_today
from ledger.models import Bonus, CashbackClaim, JoinRequest, Promotion, PromotionKind
from sync import selectors
from sync.layout import CASHBACK_HISTORY, CASHBACK_PROMOTIONS, JOIN_REQUESTS, PROMOTION_ELIGIBILITY, PROMOTIONS
from tests.conftest import PLAYER_ID, approved_deposit
from tests.test_sync_mirror import assert_mirrors_db, calls_per_sheet, data_rows, fake, sheets_server, sync  # noqa: F401

CLUB = ZoneInfo("Indian/Maldives")


def club_with_promotions(admin):
    today = club_today()
    bonus = services.promotion_create(kind=PromotionKind.DEPOSIT_BONUS, percentage="12.5", starts_on=today,
                                      ends_on=today + timedelta(days=2), actor=admin)
    cashback = services.promotion_create(kind=PromotionKind.CASHBACK, percentage="5", starts_on=today,
                                         ends_on=today + timedelta(days=9), actor=admin)
    deposit = approved_deposit(PLAYER_ID, admin, amount="2500")
    claim = services.cashback_claim_create(telegram_id=PLAYER_ID, pppoker_id="12345")
    join = services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899")
    return bonus, cashback, deposit, claim, join


def test_each_tab_in_its_legacy_layout(fake, player, admin):
    bonus, cashback, deposit, claim, join = club_with_promotions(admin)
    sync()
    today = club_today()
    assert data_rows(fake, PROMOTIONS) == [[
        f"P{bonus.pk}", "12.5", today.isoformat(), (today + timedelta(days=2)).isoformat(), "Active", admin.label,
        club_time_text(bonus.created_at)]]
    assert data_rows(fake, CASHBACK_PROMOTIONS)[0][:5] == [
        f"P{cashback.pk}", "5", today.isoformat(), (today + timedelta(days=9)).isoformat(), "Active"]
    granted = Bonus.objects.get()
    assert data_rows(fake, PROMOTION_ELIGIBILITY) == [[
        str(PLAYER_ID), "12345", f"P{bonus.pk}", f"D{deposit.pk}", "2500", "312.5", club_time_text(granted.created_at)]]
    assert data_rows(fake, CASHBACK_HISTORY) == [[
        f"C{claim.pk}", str(PLAYER_ID), "ali", "12345", "2500", "5", "125", f"P{cashback.pk}", "Pending",
        club_time_text(claim.created_at)]]
    assert data_rows(fake, JOIN_REQUESTS) == [[
        f"J{join.pk}", str(PLAYER_ID), "ali", "Ali", "", "778899", "Pending", club_time_text(join.created_at)]]
    assert_mirrors_db(fake)


def test_decisions_are_written_in_place(fake, player, admin):
    _, _, _, claim, join = club_with_promotions(admin)
    sync()
    services.cashback_claim_approve(claim_id=claim.pk, actor=admin)
    services.join_request_reject(join_request_id=join.pk, actor=admin, reason="unknown account")
    fake.reset_calls()
    sync()
    claim = CashbackClaim.objects.get()
    row = data_rows(fake, CASHBACK_HISTORY)[0]
    assert (row[8], row[10:]) == ("Approved", [admin.label, club_time_text(claim.decided_at)])
    join = JoinRequest.objects.get()
    assert data_rows(fake, JOIN_REQUESTS)[0][6:] == [
        "Rejected", club_time_text(join.created_at), club_time_text(join.decided_at), admin.label]
    for title in (CASHBACK_HISTORY, JOIN_REQUESTS):
        assert calls_per_sheet(fake, title) == {"values.batchGet": 1, "values.batchUpdate": 1}, title
    assert_mirrors_db(fake)


def test_a_promotions_status_follows_the_calendar_and_its_early_end(fake, player, admin):
    bonus, cashback, *_ = club_with_promotions(admin)
    sync()
    with time_machine.travel(datetime.now(CLUB) + timedelta(days=3)):  # past the bonus promotion's last day
        assert [row.object_id for row in selectors.rows_due(PROMOTIONS)] == [bonus.pk]
        sync()
        assert data_rows(fake, PROMOTIONS)[0][4] == "Inactive"
        assert data_rows(fake, CASHBACK_PROMOTIONS)[0][4] == "Active"
        services.promotion_end(promotion_id=cashback.pk, actor=admin)
        sync()
        assert data_rows(fake, CASHBACK_PROMOTIONS)[0][4] == "Inactive"
        assert_mirrors_db(fake)
    assert Promotion.objects.get(pk=cashback.pk).ended_at is not None
