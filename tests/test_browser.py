"""The admin's first hour in a real browser: log in, decide from a request's page, use GraphiQL."""
import pytest

from ledger import services
from ledger.actors import system_actor
from ledger.models import Deposit, RequestStatus
from tests.conftest import PLAYER_ID, approved_deposit, deposit_for, seed_payment_methods

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what the test writes


@pytest.fixture
def desk():
    """A morning's work: pending and decided requests of a few players, in several methods."""
    seed_payment_methods()
    actor = system_actor("tests")
    for index, (username, method, amount) in enumerate([("ali", "USD", "97.50"), ("sara", "BML", "12500"),
                                                        ("moosa_ibrahim_long", "MIB", "750")]):
        telegram_id = PLAYER_ID + index
        services.user_upsert(telegram_id=telegram_id, username=username, first_name=username.title(),
                             pppoker_id=f"1200{index}")
        approved_deposit(telegram_id, actor, amount="2000", pppoker_id=f"1200{index}")
        services.spins_process(telegram_id=telegram_id, count=5)
        services.withdrawal_create(telegram_id=telegram_id, amount="300", method="BML",
                                   account_number=f"77300001234{index}", pppoker_id=f"1200{index}")
        deposit_for(telegram_id, amount=amount, method=method, pppoker_id=f"1200{index}")
    return Deposit.objects.filter(status=RequestStatus.PENDING).order_by("id")


def test_approve_a_pending_deposit_from_its_page(staff_browser, desk):
    deposit = desk.get(method__code="USD")
    staff_browser.open(f"/admin/ledger/deposit/{deposit.pk}/change/")
    staff_browser.screenshot("deposit-pending")
    assert "Worth 1,501.50 MVR at 15.40 MVR per USD; approving grants 7 spins." in staff_browser.text()
    staff_browser.screenshot("deposit-pending")
    staff_browser.find("#approve-button").click()
    staff_browser.wait_for(lambda driver: "approved" in staff_browser.find("ul.messagelist").text)
    assert staff_browser.find("ul.messagelist").text == f"Deposit #{deposit.pk} approved: 1,501.50 MVR, 7 spins"
    deposit.refresh_from_db()
    assert deposit.status == RequestStatus.APPROVED and deposit.decided_by == "staff desk"
    staff_browser.screenshot("deposit-approved")


def test_reject_asks_the_reason_and_cancel_goes_back(staff_browser, desk):
    deposit = desk.first()
    staff_browser.open(f"/admin/ledger/deposit/{deposit.pk}/change/")
    staff_browser.find("#reject-link").click()
    assert staff_browser.find(".breadcrumbs").text == f"Home › Club ledger › Deposits › {deposit} › Reject"
    staff_browser.screenshot("deposit-reject")
    staff_browser.find("a.cancel-link").click()
    assert staff_browser.driver.current_url.endswith(f"/admin/ledger/deposit/{deposit.pk}/change/")
    deposit.refresh_from_db()
    assert deposit.status == RequestStatus.PENDING


def test_the_lists_fit_1440_px(staff_browser, desk):
    for name in ("deposit", "withdrawal", "spin", "paymentmethod"):
        staff_browser.open(f"/admin/ledger/{name}/")
        staff_browser.screenshot(f"list-{name}")
        assert not staff_browser.scrolls_sideways(), name
    staff_browser.open("/admin/")
    staff_browser.screenshot("index")


def test_graphiql_runs_a_query(staff_browser, desk):
    staff_browser.open("/graphql/")
    editor = staff_browser.wait_for(lambda driver: staff_browser.find(".graphiql-query-editor .CodeMirror"))
    staff_browser.driver.execute_script(
        "arguments[0].CodeMirror.setValue(arguments[1])", editor, "{ pendingDeposits(first: 5) { id amount } }")
    staff_browser.find(".graphiql-execute-button").click()
    staff_browser.wait_for(lambda driver: "pendingDeposits" in staff_browser.find(".result-window").text)
    result = staff_browser.find(".result-window").text
    assert all(f'"id": "{deposit.pk}"' in result for deposit in desk), result
    staff_browser.screenshot("graphiql")


def test_a_new_prize_table_is_previewed_before_it_is_saved(staff_browser, desk):
    from ledger import selectors
    staff_browser.open("/admin/ledger/prizetable/add/")
    field = staff_browser.find("textarea[name=rows]")
    field.clear()
    field.send_keys("Try Again!, 0, 60\n10 Chips, 10, 30\n100 Chips, 100, 10")
    staff_browser.find("input[name=preview]").click()
    staff_browser.wait_for(lambda d: d.find_elements("css selector", "#comparison"))
    assert "10 Chips 10.000% 30.000%" in staff_browser.text()
    assert not staff_browser.scrolls_sideways()
    staff_browser.screenshot("prize-table-preview")
    staff_browser.find("input[name=save]").click()
    staff_browser.wait_for(lambda d: "is in force from now" in d.page_source)
    assert selectors.prize_table_in_force().version == 2
