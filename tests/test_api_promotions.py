"""Promotions, recovery and joining over GraphQL: each operation, who may run it, its codes, what it costs."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.clubtime import club_today
from ledger.models import CashbackClaim, JoinRequest, Player, Promotion, PromotionKind, RequestStatus
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit, deposit_for
from tests.test_api import OUTCOME, codes
from tests.test_api_input import the_code

PROMOTION_FIELDS = "id kind percentage startsOn endsOn active state createdBy createdAt endedAt endedBy"
CREATE_PROMOTION = """mutation($kind: PromotionKind!, $percentage: Decimal!, $starts: Date!, $ends: Date!,
  $actor: BigInt) { createPromotion(kind: $kind, percentage: $percentage, startsOn: $starts, endsOn: $ends,
  actorTelegramId: $actor) { ... on Promotion { %s } %s } }""" % (PROMOTION_FIELDS, OUTCOME)
END_PROMOTION = """mutation($id: ID!, $actor: BigInt) { endPromotion(id: $id, actorTelegramId: $actor) {
  ... on Promotion { %s } %s } }""" % (PROMOTION_FIELDS, OUTCOME)
ELIGIBILITY = """query($t: BigInt!) { cashbackEligibility(telegramId: $t) { eligible reason rule
  depositsSinceReset resetAt minimum missing percentage amount promotion { id kind } } }"""
CLAIM_FIELDS = ("id status depositsBase depositsSince percentage amount pppokerId decidedBy rejectionReason "
                "user { telegramId } promotion { id }")
CREATE_CLAIM = """mutation($input: CashbackClaimInput!) { createCashbackClaim(input: $input) {
  ... on CashbackClaim { %s } %s } }""" % (CLAIM_FIELDS, OUTCOME)
APPROVE_CLAIM = """mutation($id: ID!, $actor: BigInt) { approveCashbackClaim(id: $id, actorTelegramId: $actor) {
  ... on CashbackClaim { %s } %s } }""" % (CLAIM_FIELDS, OUTCOME)
REJECT_CLAIM = """mutation($id: ID!, $reason: String!, $actor: BigInt) {
  rejectCashbackClaim(id: $id, reason: $reason, actorTelegramId: $actor) { ... on CashbackClaim { %s } %s } }""" % (
    CLAIM_FIELDS, OUTCOME)
JOIN_FIELDS = "id status pppokerId decidedBy rejectionReason user { telegramId }"
CREATE_JOIN = """mutation($input: JoinRequestInput!) { createJoinRequest(input: $input) {
  ... on JoinRequest { %s } %s } }""" % (JOIN_FIELDS, OUTCOME)
APPROVE_JOIN = """mutation($id: ID!, $actor: BigInt) { approveJoinRequest(id: $id, actorTelegramId: $actor) {
  ... on JoinRequest { %s } %s } }""" % (JOIN_FIELDS, OUTCOME)
REJECT_JOIN = """mutation($id: ID!, $reason: String!, $actor: BigInt) {
  rejectJoinRequest(id: $id, reason: $reason, actorTelegramId: $actor) { ... on JoinRequest { %s } %s } }""" % (
    JOIN_FIELDS, OUTCOME)
APPROVE_DEPOSIT = """mutation($id: ID!) { approveDeposit(id: $id, actorTelegramId: %d) {
  ... on Deposit { id amountBase spinsGranted bonus { id amount percentage createdAt promotion { id }
  deposit { id } } } %s } }""" % (ADMIN_ID, OUTCOME)
CLAIM_INPUT = {"telegramId": PLAYER_ID, "pppokerId": "12345"}


def days(offset: int) -> str:
    return (club_today() + timedelta(days=offset)).isoformat()


def create_promotion(api, kind="DEPOSIT_BONUS", percentage="10", starts=0, ends=30, actor=ADMIN_ID) -> dict:
    return api(CREATE_PROMOTION, {"kind": kind, "percentage": percentage, "starts": days(starts),
                                  "ends": days(ends), "actor": actor})["createPromotion"]


def cashback_ready(admin, amount="1000") -> None:
    services.promotion_create(kind=PromotionKind.CASHBACK, percentage="10", starts_on=club_today(),
                              ends_on=club_today() + timedelta(days=30), actor=admin)
    approved_deposit(PLAYER_ID, admin, amount=amount)


# --- promotions ----------------------------------------------------------------------------------

def test_an_admin_creates_lists_and_ends_a_promotion(api, player, admin):
    created = create_promotion(api, percentage="12.5", starts=0, ends=6)
    assert (created["kind"], created["percentage"], created["startsOn"], created["endsOn"]) == (
        "DEPOSIT_BONUS", "12.50", days(0), days(6))
    assert (created["active"], created["createdBy"], created["endedAt"], created["endedBy"]) == (
        True, admin.label, None, "")
    later = create_promotion(api, kind="CASHBACK", starts=3, ends=9)
    assert later["active"] is False
    assert (created["state"], later["state"]) == ("ACTIVE", "UPCOMING")
    listed = api("{ promotions { id } bonuses: promotions(kind: DEPOSIT_BONUS) { id } "
                 "now: promotions(activeOnly: true) { id } }")
    assert [p["id"] for p in listed["promotions"]] == [later["id"], created["id"]]  # newest first day first
    assert listed["bonuses"] == listed["now"] == [{"id": created["id"]}]
    ended = api(END_PROMOTION, {"id": created["id"], "actor": ADMIN_ID})["endPromotion"]
    assert ended["active"] is False and ended["endedBy"] == admin.label and ended["endedAt"]
    assert ended["state"] == "ENDED"
    assert codes(api(END_PROMOTION, {"id": created["id"], "actor": ADMIN_ID})["endPromotion"]) == [
        "ALREADY_DECIDED"]
    assert api('{ promotion(id: "%s") { id active } }' % created["id"])["promotion"] == {
        "id": created["id"], "active": False}


def test_promotion_refusals(api, player, admin):
    first = create_promotion(api)
    overlap = create_promotion(api, starts=5, ends=40)
    assert codes(overlap) == ["INVALID"] and overlap["messages"][0]["field"] == "startsOn"
    assert f"#{first['id']}" in overlap["messages"][0]["message"]
    assert codes(create_promotion(api, kind="CASHBACK", percentage="0")) == ["INVALID"]
    assert codes(create_promotion(api, kind="CASHBACK", starts=2, ends=1)) == ["INVALID"]
    for actor in (None, PLAYER_ID):
        assert codes(create_promotion(api, kind="CASHBACK", actor=actor)) == ["FORBIDDEN"]
        assert codes(api(END_PROMOTION, {"id": first["id"], "actor": actor})["endPromotion"]) == ["FORBIDDEN"]
    assert Promotion.objects.count() == 1 and Promotion.objects.get().ended_at is None
    assert codes(api(END_PROMOTION, {"id": "777777", "actor": ADMIN_ID})["endPromotion"]) == ["NOT_FOUND"]


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "20260301", "2026-03-01T00:00", "", "next week"])
def test_dates_are_calendar_dates_or_refused_with_invalid(api, admin, value):
    response = api.raw(CREATE_PROMOTION, {"kind": "CASHBACK", "percentage": "5", "starts": value, "ends": days(1),
                                          "actor": ADMIN_ID})
    assert the_code(response) == "INVALID"
    assert not Promotion.objects.exists()


def test_a_deposit_shows_its_bonus(api, player, admin):
    promotion = create_promotion(api, percentage="10")
    deposit = deposit_for(PLAYER_ID, amount="1234.57")
    approved = api(APPROVE_DEPOSIT, {"id": deposit.pk})["approveDeposit"]
    bonus = approved["bonus"]
    assert (bonus["amount"], bonus["percentage"], bonus["promotion"], bonus["deposit"]) == (
        "123.45", "10.00", {"id": promotion["id"]}, {"id": str(deposit.pk)})
    second = api(APPROVE_DEPOSIT, {"id": deposit_for(PLAYER_ID).pk})["approveDeposit"]
    assert second["bonus"] is None
    listed = api("{ deposits(telegramId: %d) { id bonus { amount } } }" % PLAYER_ID)["deposits"]
    assert [row["bonus"] for row in listed] == [None, {"amount": "123.45"}]
    assert api("{ bonuses(telegramId: %d) { amount user { telegramId } } }" % PLAYER_ID)["bonuses"] == [
        {"amount": "123.45", "user": {"telegramId": PLAYER_ID}}]
    assert api('{ bonuses(promotionId: "nope") { id } }')["bonuses"] == []


# --- recovery ------------------------------------------------------------------------------------

def test_eligibility_explains_itself(api, player, admin):
    approved_deposit(PLAYER_ID, admin, amount="300")
    answer = api(ELIGIBILITY, {"t": PLAYER_ID})["cashbackEligibility"]
    assert answer == {"eligible": False, "reason": "There is no recovery promotion running now.",
                      "rule": "NO_PROMOTION", "depositsSinceReset": "300.00", "resetAt": None, "minimum": "500",
                      "missing": "200.00", "percentage": None, "amount": None, "promotion": None}
    cashback_ready(admin, amount="700")
    answer = api(ELIGIBILITY, {"t": PLAYER_ID})["cashbackEligibility"]
    assert (answer["eligible"], answer["rule"], answer["reason"]) == (True, None, "")
    assert (answer["depositsSinceReset"], answer["percentage"], answer["amount"], answer["missing"]) == (
        "1000.00", "10.00", "100.00", "0.00")
    assert answer["promotion"]["kind"] == "CASHBACK"


def test_eligibility_of_an_unknown_player_is_not_found(api, methods):
    response = api.raw(ELIGIBILITY, {"t": 42})
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_claim_from_eligibility_to_approval(api, player, admin):
    cashback_ready(admin)
    made = api(CREATE_CLAIM, {"input": {**CLAIM_INPUT, "idempotencyKey": "c-1"}})["createCashbackClaim"]
    assert (made["status"], made["depositsBase"], made["percentage"], made["amount"], made["depositsSince"]) == (
        "PENDING", "1000.00", "10.00", "100.00", None)
    assert api(CREATE_CLAIM, {"input": {**CLAIM_INPUT, "idempotencyKey": "c-1"}})["createCashbackClaim"] == made
    assert [c["id"] for c in api("{ pendingCashbackClaims { id } }")["pendingCashbackClaims"]] == [made["id"]]
    refused = api(CREATE_CLAIM, {"input": CLAIM_INPUT})["createCashbackClaim"]
    assert codes(refused) == ["NOT_ELIGIBLE"] and "waiting" in refused["messages"][0]["message"]
    approved = api(APPROVE_CLAIM, {"id": made["id"], "actor": ADMIN_ID})["approveCashbackClaim"]
    assert (approved["status"], approved["decidedBy"]) == ("APPROVED", admin.label)
    assert codes(api(APPROVE_CLAIM, {"id": made["id"], "actor": ADMIN_ID})["approveCashbackClaim"]) == [
        "ALREADY_DECIDED"]
    assert api("{ pendingCashbackClaims { id } }")["pendingCashbackClaims"] == []
    assert api('{ cashbackClaim(id: "%s") { status } }' % made["id"])["cashbackClaim"] == {"status": "APPROVED"}
    assert [c["id"] for c in api("{ cashbackClaims(status: APPROVED, telegramId: %d) { id } }" % PLAYER_ID)[
        "cashbackClaims"]] == [made["id"]]
    report = api("{ report(period: TODAY, actorTelegramId: %d) { depositsBase cashbackBase bonusesBase netBase } "
                 "stats(actorTelegramId: %d) { cashbackBase bonusesBase } }" % (ADMIN_ID, ADMIN_ID))
    assert report["report"] == {"depositsBase": "1000.00", "cashbackBase": "100.00", "bonusesBase": "0.00",
                                "netBase": "900.00"}
    assert report["stats"] == {"cashbackBase": "100.00", "bonusesBase": "0.00"}


def test_claim_refusals_and_rejection(api, player, admin):
    assert codes(api(CREATE_CLAIM, {"input": CLAIM_INPUT})["createCashbackClaim"]) == ["NOT_ELIGIBLE"]
    cashback_ready(admin)
    invalid = api(CREATE_CLAIM, {"input": {**CLAIM_INPUT, "pppokerId": "x"}})["createCashbackClaim"]
    assert codes(invalid) == ["INVALID"] and invalid["messages"][0]["field"] == "pppokerId"
    made = api(CREATE_CLAIM, {"input": CLAIM_INPUT})["createCashbackClaim"]
    for actor in (None, PLAYER_ID):
        assert codes(api(APPROVE_CLAIM, {"id": made["id"], "actor": actor})["approveCashbackClaim"]) == ["FORBIDDEN"]
        assert codes(api(REJECT_CLAIM, {"id": made["id"], "reason": "x", "actor": actor})[
            "rejectCashbackClaim"]) == ["FORBIDDEN"]
    assert CashbackClaim.objects.get().status == RequestStatus.PENDING
    rejected = api(REJECT_CLAIM, {"id": made["id"], "reason": "Not a loss", "actor": ADMIN_ID})["rejectCashbackClaim"]
    assert (rejected["status"], rejected["rejectionReason"]) == ("REJECTED", "Not a loss")
    assert codes(api(APPROVE_CLAIM, {"id": "0", "actor": ADMIN_ID})["approveCashbackClaim"]) == ["NOT_FOUND"]


def test_a_stale_claim_is_refused_at_approval(api, player, admin):
    cashback_ready(admin)
    made = api(CREATE_CLAIM, {"input": CLAIM_INPUT})["createCashbackClaim"]
    withdrawal = services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML",
                                            account_number="7730001", pppoker_id="12345")
    services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=admin)
    assert codes(api(APPROVE_CLAIM, {"id": made["id"], "actor": ADMIN_ID})["approveCashbackClaim"]) == [
        "NOT_ELIGIBLE"]


# --- joining ----------------------------------------------------------------------------------------

def test_a_join_request_to_approval_and_its_refusals(api, player, admin):
    made = api(CREATE_JOIN, {"input": {"telegramId": PLAYER_ID, "pppokerId": "778899"}})["createJoinRequest"]
    assert (made["status"], made["pppokerId"], made["user"]) == ("PENDING", "778899", {"telegramId": PLAYER_ID})
    assert codes(api(CREATE_JOIN, {"input": {"telegramId": PLAYER_ID, "pppokerId": "778899"}})[
        "createJoinRequest"]) == ["DUPLICATE_PENDING"]
    assert codes(api(CREATE_JOIN, {"input": {"telegramId": 42, "pppokerId": "778899"}})["createJoinRequest"]) == [
        "NOT_FOUND"]
    assert [j["id"] for j in api("{ pendingJoinRequests { id } }")["pendingJoinRequests"]] == [made["id"]]
    assert codes(api(APPROVE_JOIN, {"id": made["id"], "actor": None})["approveJoinRequest"]) == ["FORBIDDEN"]
    approved = api(APPROVE_JOIN, {"id": made["id"], "actor": ADMIN_ID})["approveJoinRequest"]
    assert (approved["status"], approved["decidedBy"]) == ("APPROVED", admin.label)
    assert codes(api(REJECT_JOIN, {"id": made["id"], "reason": "x", "actor": ADMIN_ID})["rejectJoinRequest"]) == [
        "ALREADY_DECIDED"]
    again = api(CREATE_JOIN, {"input": {"telegramId": PLAYER_ID, "pppokerId": "778899", "idempotencyKey": "j"}})
    rejected = api(REJECT_JOIN, {"id": again["createJoinRequest"]["id"], "reason": "No such account",
                                 "actor": ADMIN_ID})["rejectJoinRequest"]
    assert (rejected["status"], rejected["rejectionReason"]) == ("REJECTED", "No such account")
    assert api('{ joinRequest(id: "%s") { status } }' % made["id"])["joinRequest"] == {"status": "APPROVED"}
    assert len(api("{ joinRequests(telegramId: %d) { id } }" % PLAYER_ID)["joinRequests"]) == 2
    assert JoinRequest.objects.count() == 2


def test_the_bot_records_where_it_showed_claims_and_join_requests(api, player, admin):
    cashback_ready(admin)
    claim = services.cashback_claim_create(telegram_id=PLAYER_ID, pppoker_id="12345")
    join = services.join_request_create(telegram_id=PLAYER_ID, pppoker_id="12345")
    for kind, pk in (("cashback", claim.pk), ("join", join.pk)):
        recorded = api('mutation { recordAdminMessages(kind: "%s", requestId: "%s", messages: '
                       '[{chatId: %d, messageId: 7}]) }' % (kind, pk, ADMIN_ID))
        assert recorded == {"recordAdminMessages": 1}
        assert api('{ adminMessages(kind: "%s", requestId: "%s") { chatId messageId } }' % (kind, pk))[
            "adminMessages"] == [{"chatId": ADMIN_ID, "messageId": 7}]


# --- what it costs ------------------------------------------------------------------------------

NESTED = "user { telegramId username isAdmin spinAccount { availableSpins } }"
LISTS = {
    "pendingCashbackClaims": "{ pendingCashbackClaims(first: 50) { id amount status promotion { id active } %s } }"
                             % NESTED,
    "pendingJoinRequests": "{ pendingJoinRequests(first: 50) { id pppokerId status %s } }" % NESTED,
    "bonuses": "{ bonuses(first: 50) { id amount promotion { id } deposit { id amount bonus { id } } %s } }" % NESTED,
    "deposits": "{ deposits(first: 50) { id bonus { amount promotion { id active } } } }",
    "promotions": "{ promotions(first: 50) { id kind active state } }",
}


@pytest.fixture
def busy(methods, admin):
    """Fifty players, each with a bonus, a pending claim and a pending join request."""
    def add(count: int):
        today = club_today()
        for kind in PromotionKind.values:
            services.promotion_create(kind=kind, percentage="10", starts_on=today, ends_on=today, actor=admin)
        start = Player.objects.count()
        for index in range(start, start + count):
            tid = 6_000_000_000 + index
            services.user_upsert(telegram_id=tid, username=f"p{tid}", pppoker_id="12345")
            approved_deposit(tid, admin, amount="600")
            services.cashback_claim_create(telegram_id=tid, pppoker_id="12345")
            services.join_request_create(telegram_id=tid, pppoker_id="12345")
        for offset in range(1, 49):  # promotions enough for a page
            services.promotion_create(kind=PromotionKind.CASHBACK, percentage="5",
                                      starts_on=today + timedelta(days=offset),
                                      ends_on=today + timedelta(days=offset), actor=admin)
    return add


@pytest.mark.parametrize("name", LISTS)
def test_list_query_cost_does_not_grow_with_rows(api, busy, django_assert_num_queries, name):
    busy(50)
    # The rows with their to-one relations joined, plus the admin list behind isAdmin.
    with django_assert_num_queries(2 if "isAdmin" in LISTS[name] else 1):
        rows = api(LISTS[name])[name]
    assert len(rows) == 50


# Statements of each operation: the caller (admin check, actor's name), the service's reads, locks and
# writes inside its savepoints, and one read for each relation the answer asks for that the service did
# not load. {vendor: count}
# approveDeposit reads the tier table in force; each create of a player reads the counter first.
PINNED = {
    "createPromotion": {"sqlite": 9, "postgresql": 9},
    "approveDeposit (no bonus running)": {"sqlite": 16, "postgresql": 16},
    "approveDeposit (with its bonus)": {"sqlite": 18, "postgresql": 18},
    "cashbackEligibility": {"sqlite": 5, "postgresql": 5},
    "createCashbackClaim": {"sqlite": 13, "postgresql": 13},
    "approveCashbackClaim": {"sqlite": 12, "postgresql": 12},
    "rejectCashbackClaim": {"sqlite": 8, "postgresql": 8},
    "endPromotion": {"sqlite": 7, "postgresql": 7},
    "createJoinRequest": {"sqlite": 9, "postgresql": 9},
    "approveJoinRequest": {"sqlite": 7, "postgresql": 7},
    "rejectJoinRequest": {"sqlite": 7, "postgresql": 7},
}


def test_pinned_query_counts(api, player, admin):
    counts = {}

    def counted(name, query, variables=None):
        with CaptureQueriesContext(connection) as captured:
            (payload,) = api(query, variables).values()
        assert "messages" not in payload, payload  # a refusal would cost less and prove nothing
        counts[name] = len(captured)
        return payload

    counted("approveDeposit (no bonus running)", APPROVE_DEPOSIT, {"id": deposit_for(PLAYER_ID, amount="1000").pk})
    promotion = counted("createPromotion", CREATE_PROMOTION, {
        "kind": "CASHBACK", "percentage": "10", "starts": days(0), "ends": days(9), "actor": ADMIN_ID})
    create_promotion(api)
    counted("approveDeposit (with its bonus)", APPROVE_DEPOSIT, {"id": deposit_for(PLAYER_ID, amount="1000").pk})
    counted("cashbackEligibility", ELIGIBILITY, {"t": PLAYER_ID})
    claim = counted("createCashbackClaim", CREATE_CLAIM, {"input": CLAIM_INPUT})
    counted("approveCashbackClaim", APPROVE_CLAIM, {"id": claim["id"], "actor": ADMIN_ID})
    counted("endPromotion", END_PROMOTION, {"id": promotion["id"], "actor": ADMIN_ID})
    create_promotion(api, kind="CASHBACK", starts=0, ends=0)
    approved_deposit(PLAYER_ID, admin, amount="600")  # the last claim reset the deposits counted
    claim = counted("createCashbackClaim", CREATE_CLAIM, {"input": CLAIM_INPUT})
    counted("rejectCashbackClaim", REJECT_CLAIM, {"id": claim["id"], "reason": "no", "actor": ADMIN_ID})
    join = counted("createJoinRequest", CREATE_JOIN, {"input": {"telegramId": PLAYER_ID, "pppokerId": "778899"}})
    counted("approveJoinRequest", APPROVE_JOIN, {"id": join["id"], "actor": ADMIN_ID})
    join = counted("createJoinRequest", CREATE_JOIN, {"input": {"telegramId": PLAYER_ID, "pppokerId": "778899"}})
    counted("rejectJoinRequest", REJECT_JOIN, {"id": join["id"], "reason": "no", "actor": ADMIN_ID})
    assert counts == {name: pinned[connection.vendor] for name, pinned in PINNED.items()}
