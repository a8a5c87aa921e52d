"""Admin tools over GraphQL: settings, admins, the audit trail and the report, admins only."""
from decimal import Decimal

import pytest

from ledger import services
from ledger.models import ConfigChange, PaymentMethod
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit, deposit_for

OUTCOME = "... on OperationInfo { messages { code field } }"
UPDATE = """mutation($input: PaymentMethodInput!, $actor: BigInt) {
  updatePaymentMethod(input: $input, actorTelegramId: $actor) {
    ... on PaymentMethod { code rateToBase accountNumber isActive } %s } }""" % OUTCOME


def test_an_admin_changes_a_rate_and_the_trail_shows_it(api, player, admin):
    changed = api(UPDATE, {"input": {"code": "USD", "rateToBase": "16.10"}, "actor": ADMIN_ID})
    assert changed["updatePaymentMethod"] == {"code": "USD", "rateToBase": "16.1000", "accountNumber": "",
                                              "isActive": True}
    trail = api("{ configChanges(actorTelegramId: %d) { what before after changedBy } }" % ADMIN_ID)
    assert trail["configChanges"] == [{"what": "payment method USD: rate to MVR", "before": "15.4000",
                                       "after": "16.1000", "changedBy": admin.label}]


@pytest.mark.parametrize("actor", [None, PLAYER_ID])
def test_settings_are_for_admins_only(api, player, actor):
    body = api(UPDATE, {"input": {"code": "USD", "rateToBase": "1"}, "actor": actor})
    assert body["updatePaymentMethod"]["messages"][0]["code"] == "FORBIDDEN"
    for query in ("{ admins { telegramId } }", "{ configChanges { id } }", "{ report(period: TODAY) { netBase } }"):
        response = api.raw(query).json()
        assert response["data"] is None and response["errors"][0]["extensions"]["code"] == "FORBIDDEN", query
    assert PaymentMethod.objects.get(code="USD").rate_to_base == Decimal("15.40") and not ConfigChange.objects.exists()


def test_admins_are_added_listed_and_removed(api, settings, admin):
    settings.ADMIN_USER_IDS = [1001]
    add = "mutation { addAdmin(telegramId: 4004, actorTelegramId: %d) { ... on Admin { telegramId addedBy } %s } }"
    assert api(add % (ADMIN_ID, OUTCOME))["addAdmin"] == {"telegramId": 4004, "addedBy": admin.label}
    listed = api("{ admins(actorTelegramId: %d) { telegramId isSuperAdmin fromEnvironment } }" % ADMIN_ID)["admins"]
    assert listed == [{"telegramId": 1001, "isSuperAdmin": True, "fromEnvironment": True},
                      {"telegramId": ADMIN_ID, "isSuperAdmin": False, "fromEnvironment": False},
                      {"telegramId": 4004, "isSuperAdmin": False, "fromEnvironment": False}]
    remove = "mutation { removeAdmin(telegramId: %d, actorTelegramId: %d) { ... on Admin { telegramId } %s } }"
    assert api(remove % (4004, ADMIN_ID, OUTCOME))["removeAdmin"] == {"telegramId": 4004}
    assert api(remove % (1001, ADMIN_ID, OUTCOME))["removeAdmin"]["messages"][0]["code"] == "FORBIDDEN"


def test_the_report_over_graphql_is_the_selector_s(api, player, admin):
    approved_deposit(PLAYER_ID, admin, amount="100", method="USD")
    report = api("""{ report(period: MONTH, actorTelegramId: %d) { period from to depositsBase withdrawalsBase
        deposits { method currency count amount amountBase } netBase openCredits } }""" % ADMIN_ID)["report"]
    assert report["period"] == "MONTH" and report["from"] < report["to"]
    assert report["deposits"] == [{"method": "USD", "currency": "USD", "count": 1, "amount": "100.00",
                                   "amountBase": "1540.00"}]
    assert (report["depositsBase"], report["netBase"], report["openCredits"]) == ("1540.00", "1540.00", 0)
    both = api.raw('{ report(period: TODAY, from: "2026-01-01T00:00:00+00:00", actorTelegramId: %d) { netBase } }'
                   % ADMIN_ID).json()
    assert both["errors"][0]["extensions"]["code"] == "INVALID"


def test_pending_counts_cost_one_count_per_kind_asked(api, player, admin, django_assert_num_queries):
    deposit_for(PLAYER_ID)
    with django_assert_num_queries(3):
        counts = api("{ pendingCounts { deposits withdrawals spinRewards } }")["pendingCounts"]
    assert counts == {"deposits": 1, "withdrawals": 0, "spinRewards": 0}
    with django_assert_num_queries(1):
        assert api("{ pendingCounts { deposits } }")["pendingCounts"] == {"deposits": 1}


def test_a_deposit_s_value_in_mvr_follows_the_rate_until_approved(api, player, admin):
    deposit = deposit_for(PLAYER_ID, amount="100", method="USD")
    query = '{ deposit(id: "%d") { status amountBase valueBase } }' % deposit.pk
    assert api(query)["deposit"] == {"status": "PENDING", "amountBase": None, "valueBase": "1540.00"}
    api(UPDATE, {"input": {"code": "USD", "rateToBase": "16.10"}, "actor": ADMIN_ID})
    assert api(query)["deposit"]["valueBase"] == "1610.00"
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    api(UPDATE, {"input": {"code": "USD", "rateToBase": "17"}, "actor": ADMIN_ID})
    assert api(query)["deposit"] == {"status": "APPROVED", "amountBase": "1610.00", "valueBase": "1610.00"}
