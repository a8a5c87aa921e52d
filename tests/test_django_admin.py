"""The Django admin as the club's desk: decisions go through the ledger services."""
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages

from ledger import services
from ledger.models import (
    Admin, ConfigChange, Deposit, JournalEntry, PaymentMethod, RequestStatus, RewardStatus, Spin, SpinAccount,
    Withdrawal,
)
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for
from tests.test_services import win_some


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
    assert messages_of(response) == [f"Deposit #{deposit.pk} approved: 2,000.00 MVR, 25 spins"]


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
    assert messages_of(response)[-1] == (
        f"Deposit #{deposit.pk} not approved: This deposit was already approved by staff boss.")
    assert JournalEntry.objects.filter(deposit=deposit).count() == 1


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_page(obj) -> str:
    return f"/admin/ledger/{obj._meta.model_name}/{obj.pk}/change/"


def test_a_pending_usd_deposit_shows_its_mvr_value_and_spins_before_approval(staff_client, player):
    deposit = deposit_for(PLAYER_ID, amount="130", method="USD")  # 130 x 15.40 = 2,002.00 MVR
    listing = staff_client.get("/admin/ledger/deposit/").content.decode()
    assert "130.00 USD" in listing and "2,002.00 MVR" in listing and "25 if approved" in listing
    page = staff_client.get(change_page(deposit)).content.decode()
    assert "Worth 2,002.00 MVR at 15.40 MVR per USD; approving grants 25 spins." in page
    assert 'id="approve-button"' in page and f"/admin/ledger/deposit/{deposit.pk}/reject/" in page
    assert "Telegram file id of the slip" in page and "+05" in page  # club time, with its zone


def test_approving_from_the_page_may_correct_the_amount(staff_client, player):
    deposit = deposit_for(PLAYER_ID, amount="2000")
    response = staff_client.post(f"/admin/ledger/deposit/{deposit.pk}/approve/", {"amount": "1500"})
    assert response.status_code == 302 and response.url == change_page(deposit)
    deposit.refresh_from_db()
    assert (deposit.status, deposit.amount, deposit.amount_base) == ("APPROVED", Decimal(1500), Decimal(1500))
    assert messages_of(response) == [f"Deposit #{deposit.pk} approved: 1,500.00 MVR, 7 spins"]
    assert SpinAccount.objects.get(player=player).available_spins == 7
    assert 'id="approve-button"' not in staff_client.get(change_page(deposit)).content.decode()


def test_reject_from_the_page_asks_a_reason_with_cancel_and_a_breadcrumb(staff_client, player):
    deposit = deposit_for(PLAYER_ID)
    page = staff_client.get(f"/admin/ledger/deposit/{deposit.pk}/reject/").content.decode()
    assert f'href="{change_page(deposit)}" class="closelink cancel-link">Cancel' in page
    assert '<a href="/admin/ledger/deposit/">Deposits</a>' in page and "&rsaquo; Reject" in page
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING
    response = staff_client.post(f"/admin/ledger/deposit/{deposit.pk}/reject/", {"reason": "Blurry slip"})
    deposit.refresh_from_db()
    assert (deposit.status, deposit.rejection_reason) == (RequestStatus.REJECTED, "Blurry slip")
    assert messages_of(response) == [f"Deposit #{deposit.pk} rejected: Blurry slip"]


def test_withdrawals_and_spin_wins_are_decided_from_their_pages(staff_client, player, admin):
    approved_deposit(PLAYER_ID, admin, amount="2000")
    withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="1250", method="BML",
                                            account_number="7730000999", pppoker_id="12345")
    response = staff_client.post(f"/admin/ledger/withdrawal/{withdrawal.pk}/approve/")
    assert messages_of(response) == [
        f"Withdrawal #{withdrawal.pk} approved: pay 1,250.00 MVR to 7730000999 (Ali Ahmed)"]
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == RequestStatus.APPROVED
    first, second = win_some(admin)[:2]
    response = staff_client.post(f"/admin/ledger/spin/{first.pk}/approve/")
    assert messages_of(response)[-1] == f"Spin win #{first.pk} approved: {first.chips:,} chips to hand out"
    response = staff_client.post(f"/admin/ledger/spin/{second.pk}/reject/", {"reason": "Not in the club"})
    assert messages_of(response)[-1] == f"Spin win #{second.pk} rejected: Not in the club"
    assert Spin.objects.get(pk=first.pk).status == RewardStatus.APPROVED


def test_the_desk_wears_the_clubs_name_and_keeps_internals_apart(staff_client, settings):
    settings.CLUB_NAME = "Reef Poker Club"
    index = staff_client.get("/admin/").content.decode()
    assert "<title>The desk | Reef Poker Club</title>" in index and "Django administration" not in index
    desk, internals = index.index("Deposits"), index.index("Ledger internals (read-only)")
    assert desk < internals < index.index("Idempotency records") and index.index("Journal entries") > internals
    for model in ("ledger/journalentry", "ledger/event", "ledger/idempotencyrecord", "ledger/dailytotal",
                  "delivery/eventcursor", "delivery/adminmessage", "ledger/configchange"):
        assert staff_client.get(f"/admin/{model}/add/").status_code == 403


def test_payment_methods_are_edited_through_their_form_not_the_list(staff_client, methods):
    listing = staff_client.get("/admin/ledger/paymentmethod/").content.decode()
    assert 'name="form-0-account_number"' not in listing and "not set: players see" in listing
    bml = PaymentMethod.objects.get(code="BML")
    response = staff_client.post(f"/admin/ledger/paymentmethod/{bml.pk}/change/", {
        "label": bml.label, "rate_to_base": "1", "account_number": "7730000000001", "account_holder": "Club",
        "is_active": "on", "sort_order": bml.sort_order})
    assert response.status_code == 302
    bml.refresh_from_db()
    assert (bml.account_number, bml.account_holder, bml.code) == ("7730000000001", "Club", "BML")
    # through the settings service: each changed field is on the audit trail, by this staff user
    assert sorted(ConfigChange.objects.values_list("what", "after", "changed_by")) == [
        ("payment method BML: account holder", "Club", "staff boss"),
        ("payment method BML: account number", "7730000000001", "staff boss")]


def test_a_bad_rate_in_the_desk_is_a_form_error_and_changes_nothing(staff_client, methods):
    usd = PaymentMethod.objects.get(code="USD")
    response = staff_client.post(f"/admin/ledger/paymentmethod/{usd.pk}/change/", {
        "rate_to_base": "0", "account_number": "", "account_holder": "", "is_active": "on"})
    assert response.status_code == 200 and "greater than zero" in response.content.decode()
    assert not ConfigChange.objects.exists()


def test_admins_are_added_and_removed_at_the_desk_through_the_services(staff_client, db):
    response = staff_client.post("/admin/ledger/admin/add/", {"telegram_id": "4242"})
    assert response.status_code == 302
    again = staff_client.post("/admin/ledger/admin/add/", {"telegram_id": "4242"})
    assert "is an admin already" in again.content.decode()
    row = Admin.objects.get(telegram_id=4242)
    staff_client.post("/admin/ledger/admin/", {"action": "remove_selected", "_selected_action": [row.pk]})
    assert list(ConfigChange.objects.order_by("id").values_list("what", "before", "after")) == [
        ("admin 4242", "", "admin"), ("admin 4242", "admin", "")]
    assert not Admin.objects.get(telegram_id=4242).is_active


def test_the_spin_list_shows_wins_unless_asked_for_every_spin(staff_client, player, admin):
    win = win_some(admin, at_least=1)[0]
    try_again = Spin.objects.filter(status=RewardStatus.AUTO).first()
    assert try_again is not None  # win_some spins 50 at a time: some are "Try Again!"
    wins = staff_client.get("/admin/ledger/spin/").context["cl"].result_list
    assert win in wins and try_again not in wins
    every = staff_client.get("/admin/ledger/spin/?result=all").context["cl"].result_list
    assert try_again in every


def test_a_bad_corrected_amount_or_no_login_decides_nothing(staff_client, player):
    deposit = deposit_for(PLAYER_ID)
    response = staff_client.post(f"/admin/ledger/deposit/{deposit.pk}/approve/", {"amount": "-5"})
    assert messages_of(response) == [
        f"Deposit #{deposit.pk} not approved: Ensure this value is greater than or equal to 0.01."]
    staff_client.logout()
    response = staff_client.post(f"/admin/ledger/deposit/{deposit.pk}/approve/", {"amount": "500"})
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING


def test_seat_requests_and_credits_are_listed_read_only(staff_client, player, admin):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="900")
    services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
    for page in ("/admin/ledger/seatrequest/", "/admin/ledger/credit/"):
        response = staff_client.get(page)
        assert response.status_code == 200 and b"900.00" in response.content
    assert staff_client.get("/admin/ledger/credit/add/").status_code == 403


def test_the_desk_shows_a_spin_accounts_seed_hash_never_its_secret_seed(staff_client, player):
    from ledger import services
    from ledger.models import RevealedSeed
    from ledger.rules import seed_hash
    account = SpinAccount.objects.get(player=player)
    for url in (f"/admin/ledger/spinaccount/{account.pk}/change/", "/admin/ledger/spinaccount/"):
        page = staff_client.get(url).content.decode()
        assert account.server_seed not in page
    assert seed_hash(account.server_seed) in staff_client.get(f"/admin/ledger/spinaccount/{account.pk}/change/"
                                                              ).content.decode()
    services.fairness_server_seed_rotate(telegram_id=player.telegram_id)
    revealed = RevealedSeed.objects.get()
    assert account.server_seed in staff_client.get(f"/admin/ledger/revealedseed/{revealed.pk}/change/").content.decode()


def test_a_new_prize_table_is_previewed_beside_the_one_in_force_then_saved(staff_client, player):
    from ledger import selectors
    from ledger.models import ConfigChange, PrizeTable
    page = staff_client.get("/admin/ledger/prizetable/add/").content.decode()
    assert "Try Again!, 0, 82489" in page and "500 Chips, 500, 1" in page
    rows = "Try Again!, 0, 50\n5 Chips, 5, 30\n50 Chips, 50, 20\n"
    preview = staff_client.post("/admin/ledger/prizetable/add/", {"rows": rows, "preview": "1"}).content.decode()
    assert "<td>5 Chips</td><td>-</td><td>30.000%</td>" in preview
    assert "<td>Try Again!</td><td>82.489%</td><td>50.000%</td>" in preview
    assert "<td>500 Chips</td><td>0.001%</td><td>-</td>" in preview
    assert not PrizeTable.objects.filter(version=2).exists()  # a preview saves nothing
    saved = staff_client.post("/admin/ledger/prizetable/add/", {"rows": rows, "save": "1"}, follow=True)
    assert "Prize table version 2 is in force from now." in saved.content.decode()
    assert selectors.prize_table_in_force().version == 2
    assert ConfigChange.objects.get(what="prize table").changed_by.startswith("staff ")


def test_a_tier_table_the_rules_refuse_is_shown_with_the_reason_and_not_saved(staff_client, player):
    from ledger.models import SpinTierTable
    for rows in ("500, 2\n400, 3", "100, two", "100"):
        page = staff_client.post("/admin/ledger/spintiertable/add/", {"rows": rows, "save": "1"}).content.decode()
        assert "errorlist" in page, rows
    assert not SpinTierTable.objects.filter(version__gt=1).exists()
    preview = staff_client.post("/admin/ledger/spintiertable/add/", {"rows": "100, 2\n500, 10", "preview": "1"})
    assert "<td>200</td><td>1</td><td>2</td>" in preview.content.decode()  # 200 MVR: 1 spin now, 2 after
