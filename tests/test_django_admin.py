"""Decisions in the Django admin go through the ledger services."""
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from ledger.models import Deposit, JournalEntry, RequestStatus
from tests.conftest import PLAYER_ID, deposit_for


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def test_staff_approves_a_deposit_from_the_changelist(staff_client, player):
    deposit = deposit_for(PLAYER_ID, amount="2000")
    response = staff_client.post("/admin/ledger/deposit/", {"action": "approve_selected",
                                                             ACTION_CHECKBOX_NAME: [deposit.pk]})
    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == RequestStatus.APPROVED and deposit.decided_by == "staff boss"
    assert deposit.spins_granted == 25 and JournalEntry.objects.filter(deposit=deposit).count() == 1


def test_reject_asks_for_a_reason_first(staff_client, player):
    deposit = deposit_for(PLAYER_ID)
    selection = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [deposit.pk]}
    page = staff_client.post("/admin/ledger/deposit/", selection)
    assert page.status_code == 200 and b"reason" in page.content
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING
    staff_client.post("/admin/ledger/deposit/", {**selection, "apply": "1", "reason": "Blurry slip"})
    deposit.refresh_from_db()
    assert (deposit.status, deposit.rejection_reason) == (RequestStatus.REJECTED, "Blurry slip")


def test_deciding_twice_in_the_admin_reports_already_decided(staff_client, player):
    deposit = deposit_for(PLAYER_ID)
    selection = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [deposit.pk]}
    staff_client.post("/admin/ledger/deposit/", selection)
    response = staff_client.post("/admin/ledger/deposit/", selection, follow=True)
    assert b"already approved" in response.content
    assert JournalEntry.objects.filter(deposit=deposit).count() == 1


def test_seat_requests_and_credits_are_listed_read_only(staff_client, player, admin):
    from ledger import services

    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="900")
    services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
    for page in ("/admin/ledger/seatrequest/", "/admin/ledger/credit/"):
        response = staff_client.get(page)
        assert response.status_code == 200 and b"900.00" in response.content
    assert staff_client.get("/admin/ledger/credit/add/").status_code == 403
