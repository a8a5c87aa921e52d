"""Promotions, bonuses, recovery claims and join requests at the desk (the Django admin), through the services."""
from datetime import timedelta

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from ledger import services
from ledger.clubtime import club_today
from ledger.models import CashbackClaim, JoinRequest, Promotion, PromotionKind, RequestStatus
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for
from tests.test_django_admin import change_page, messages_of, staff_client  # noqa: F401  the fixture


def promote(admin, kind=PromotionKind.DEPOSIT_BONUS) -> Promotion:
    return services.promotion_create(kind=kind, percentage="10", starts_on=club_today(),
                                     ends_on=club_today() + timedelta(days=7), actor=admin)


def test_a_pending_deposit_shows_the_bonus_approving_grants(staff_client, player, admin):
    promotion = promote(admin)
    deposit = deposit_for(PLAYER_ID, amount="2000")
    page = staff_client.get(change_page(deposit)).content.decode()
    assert f"approving grants 25 spins and a bonus of 200.00 MVR (promotion #{promotion.pk}, 10.00%)." in page
    response = staff_client.post(f"/admin/ledger/deposit/{deposit.pk}/approve/", {"amount": "2000"})
    assert messages_of(response) == [
        f"Deposit #{deposit.pk} approved: 2,000.00 MVR, 25 spins, and a bonus of 200.00 MVR to load with it"]
    listing = staff_client.get("/admin/ledger/bonus/").content.decode()
    assert "200.00 MVR" in listing


def test_a_recovery_claim_is_approved_at_the_desk(staff_client, player, admin):
    promote(admin, kind=PromotionKind.CASHBACK)
    approved_deposit(PLAYER_ID, admin, amount="1500")
    claim = services.cashback_claim_create(telegram_id=PLAYER_ID, pppoker_id="12345")
    page = staff_client.get(change_page(claim)).content.decode()
    assert "10.00% of 1,500.00 MVR: approving records 150.00 MVR of recovery" in page
    response = staff_client.post("/admin/ledger/cashbackclaim/", {"action": "approve_selected",
                                                                   ACTION_CHECKBOX_NAME: [claim.pk]})
    assert messages_of(response) == [
        f"Recovery claim #{claim.pk} approved: load 150.00 MVR of recovery to PPPoker 12345"]
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (RequestStatus.APPROVED, "staff boss")
    again = staff_client.post(f"/admin/ledger/cashbackclaim/{claim.pk}/approve/")
    assert "already approved" in messages_of(again)[-1]


def test_a_join_request_is_rejected_at_the_desk_with_a_reason(staff_client, player):
    join = services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="778899")
    assert "Approving sends the player the club" in staff_client.get(change_page(join)).content.decode()
    response = staff_client.post(f"/admin/ledger/joinrequest/{join.pk}/reject/", {"reason": "Unknown account"})
    assert messages_of(response) == [f"Join request #{join.pk} rejected: Unknown account"]
    assert JoinRequest.objects.get().status == RequestStatus.REJECTED


def test_promotions_are_read_and_ended_through_the_service(staff_client, player, admin):
    promotion = promote(admin)
    listing = staff_client.get("/admin/ledger/promotion/").content.decode()
    assert "10.00%" in listing and staff_client.get("/admin/ledger/promotion/add/").status_code == 403
    response = staff_client.post("/admin/ledger/promotion/", {"action": "end_selected",
                                                               ACTION_CHECKBOX_NAME: [promotion.pk]})
    assert messages_of(response) == [f"Promotion #{promotion.pk} ended."]
    promotion.refresh_from_db()
    assert promotion.ended_by == "staff boss"
    response = staff_client.post("/admin/ledger/promotion/", {"action": "end_selected",
                                                               ACTION_CHECKBOX_NAME: [promotion.pk]})
    assert "not ended: " in messages_of(response)[-1]
    assert not CashbackClaim.objects.exists()
