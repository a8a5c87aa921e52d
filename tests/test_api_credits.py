"""Seat on credit over GraphQL: each operation, who may run it, its codes, and what the lists cost."""
import pytest

from ledger import services
from ledger.models import Credit, CreditStatus, Player, RequestStatus, SeatRequest
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit
from tests.test_api import CREATE_DEPOSIT, DEPOSIT_INPUT, OUTCOME, WITHDRAW, WITHDRAWAL_INPUT, codes

SEAT_FIELDS = "id amount pppokerId status decidedBy rejectionReason user { telegramId } credit { id status amount }"
CREATE_SEAT = """mutation($input: SeatRequestInput!) { createSeatRequest(input: $input) {
  ... on SeatRequest { %s } %s } }""" % (SEAT_FIELDS, OUTCOME)
APPROVE_SEAT = """mutation($id: ID!, $actor: BigInt) { approveSeatRequest(id: $id, actorTelegramId: $actor) {
  ... on SeatRequest { %s } %s } }""" % (SEAT_FIELDS, OUTCOME)
REJECT_SEAT = """mutation($id: ID!, $reason: String!, $actor: BigInt) {
  rejectSeatRequest(id: $id, reason: $reason, actorTelegramId: $actor) { ... on SeatRequest { %s } %s } }""" % (
    SEAT_FIELDS, OUTCOME)
CLEAR = """mutation($id: ID!, $reason: String!, $actor: BigInt) {
  clearCredit(id: $id, reason: $reason, actorTelegramId: $actor) {
  ... on Credit { id status reason closedBy closedAt settlement { id } seatRequest { id } } %s } }""" % OUTCOME
SEAT_INPUT = {"telegramId": PLAYER_ID, "amount": "1500"}


def seat_for(api) -> dict:
    return api(CREATE_SEAT, {"input": SEAT_INPUT})["createSeatRequest"]


def test_seat_to_settlement_over_the_api(api, player, admin):
    seat = seat_for(api)
    assert (seat["status"], seat["amount"], seat["pppokerId"], seat["credit"]) == ("PENDING", "1500.00", "12345", None)
    assert [s["id"] for s in api("{ pendingSeatRequests { id } }")["pendingSeatRequests"]] == [seat["id"]]

    approved = api(APPROVE_SEAT, {"id": seat["id"], "actor": ADMIN_ID})["approveSeatRequest"]
    assert approved["status"] == "APPROVED" and approved["decidedBy"] == admin.label
    credit = approved["credit"]
    assert (credit["status"], credit["amount"]) == ("OPEN", "1500.00")
    assert api("{ pendingSeatRequests { id } }")["pendingSeatRequests"] == []
    owed = api("{ user(telegramId: %d) { openCredit { id amount seatRequest { id } } } }" % PLAYER_ID)["user"]
    assert owed["openCredit"] == {"id": credit["id"], "amount": "1500.00", "seatRequest": {"id": seat["id"]}}

    deposit = api(CREATE_DEPOSIT.replace("status user", "status credit { id } user"),
                  {"input": {**DEPOSIT_INPUT, "amount": "1500", "creditId": credit["id"]}})["createDeposit"]
    assert deposit["credit"] == {"id": credit["id"]}
    api("""mutation($id: ID!) { approveDeposit(id: $id, actorTelegramId: %d) { ... on Deposit { id } } }"""
        % ADMIN_ID, {"id": deposit["id"]})
    settled = api("""{ credits(telegramId: %d) { id status closedBy settlement { id spinsGranted amountBase }
        seatRequest { id status } } }""" % PLAYER_ID)["credits"]
    assert settled == [{"id": credit["id"], "status": "SETTLED", "closedBy": admin.label,
                        "settlement": {"id": deposit["id"], "spinsGranted": 7, "amountBase": "1500.00"},
                        "seatRequest": {"id": seat["id"], "status": "APPROVED"}}]
    assert api("{ user(telegramId: %d) { openCredit { id } } }" % PLAYER_ID)["user"]["openCredit"] is None


def test_seat_requests_refusals(api, player, admin):
    first = api(CREATE_SEAT, {"input": {**SEAT_INPUT, "idempotencyKey": "s-1"}})["createSeatRequest"]
    assert api(CREATE_SEAT, {"input": {**SEAT_INPUT, "idempotencyKey": "s-1"}})["createSeatRequest"] == first
    conflict = api(CREATE_SEAT, {"input": {**SEAT_INPUT, "amount": "9", "idempotencyKey": "s-1"}})
    assert codes(conflict["createSeatRequest"]) == ["IDEMPOTENCY_CONFLICT"]
    assert codes(seat_for(api)) == ["DUPLICATE_PENDING"]
    api(APPROVE_SEAT, {"id": first["id"], "actor": ADMIN_ID})
    assert codes(seat_for(api)) == ["CREDIT_OPEN"]
    assert codes(api(APPROVE_SEAT, {"id": first["id"], "actor": ADMIN_ID})["approveSeatRequest"]) == [
        "ALREADY_DECIDED"]
    assert codes(api(APPROVE_SEAT, {"id": "424242", "actor": ADMIN_ID})["approveSeatRequest"]) == ["NOT_FOUND"]
    invalid = api(CREATE_SEAT, {"input": {**SEAT_INPUT, "amount": "0"}})["createSeatRequest"]
    assert codes(invalid) == ["INVALID"] and invalid["messages"][0]["field"] == "amount"
    services.user_upsert(telegram_id=PLAYER_ID + 1, username="new")
    no_id = api(CREATE_SEAT, {"input": {**SEAT_INPUT, "telegramId": PLAYER_ID + 1}})["createSeatRequest"]
    assert codes(no_id) == ["INVALID"] and no_id["messages"][0]["field"] == "pppokerId"
    assert codes(api(CREATE_SEAT, {"input": {**SEAT_INPUT, "telegramId": 42}})["createSeatRequest"]) == ["NOT_FOUND"]


def test_an_open_credit_refuses_a_withdrawal_and_wrong_credit_ids(api, player, admin):
    approved_deposit(PLAYER_ID, admin)
    seat = seat_for(api)
    credit_id = api(APPROVE_SEAT, {"id": seat["id"], "actor": ADMIN_ID})["approveSeatRequest"]["credit"]["id"]
    assert codes(api(WITHDRAW, {"input": WITHDRAWAL_INPUT})["createWithdrawal"]) == ["CREDIT_OPEN"]
    unknown = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "creditId": "987654"}})["createDeposit"]
    assert codes(unknown) == ["NOT_FOUND"] and unknown["messages"][0]["field"] == "creditId"
    api(CLEAR, {"id": credit_id, "reason": "paid in cash", "actor": ADMIN_ID})
    closed = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "creditId": credit_id}})["createDeposit"]
    assert codes(closed) == ["INVALID"]
    assert codes(api(WITHDRAW, {"input": WITHDRAWAL_INPUT})["createWithdrawal"]) == []


def test_reject_and_clear(api, player, admin):
    seat = seat_for(api)
    rejected = api(REJECT_SEAT, {"id": seat["id"], "reason": "Table full", "actor": ADMIN_ID})["rejectSeatRequest"]
    assert (rejected["status"], rejected["rejectionReason"], rejected["credit"]) == ("REJECTED", "Table full", None)
    blank = api(REJECT_SEAT, {"id": seat["id"], "reason": " ", "actor": ADMIN_ID})["rejectSeatRequest"]
    assert codes(blank) == ["INVALID"]
    again = seat_for(api)
    credit_id = api(APPROVE_SEAT, {"id": again["id"], "actor": ADMIN_ID})["approveSeatRequest"]["credit"]["id"]
    cleared = api(CLEAR, {"id": credit_id, "reason": "written off", "actor": ADMIN_ID})["clearCredit"]
    assert (cleared["status"], cleared["reason"], cleared["closedBy"]) == ("CLEARED", "written off", admin.label)
    assert cleared["seatRequest"] == {"id": again["id"]} and cleared["settlement"] is None
    assert codes(api(CLEAR, {"id": credit_id, "reason": "x", "actor": ADMIN_ID})["clearCredit"]) == [
        "ALREADY_DECIDED"]
    assert codes(api(CLEAR, {"id": "0", "reason": "x", "actor": ADMIN_ID})["clearCredit"]) == ["NOT_FOUND"]


@pytest.mark.parametrize("actor", [None, PLAYER_ID])
@pytest.mark.parametrize("operation", ["approve", "reject", "clear"])
def test_decisions_are_for_admins_only(api, player, admin, actor, operation):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="100")
    if operation == "clear":
        credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
        payload = api(CLEAR, {"id": credit.pk, "reason": "x", "actor": actor})["clearCredit"]
    elif operation == "approve":
        payload = api(APPROVE_SEAT, {"id": seat.pk, "actor": actor})["approveSeatRequest"]
    else:
        payload = api(REJECT_SEAT, {"id": seat.pk, "reason": "x", "actor": actor})["rejectSeatRequest"]
    assert codes(payload) == ["FORBIDDEN"]
    assert SeatRequest.objects.get().status == (RequestStatus.APPROVED if operation == "clear"
                                                else RequestStatus.PENDING)
    assert not Credit.objects.exclude(status=CreditStatus.OPEN).exists()


def test_reads_filter_and_find_by_id(api, player, admin):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="100")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    assert api('{ seatRequest(id: "%s") { id status credit { id } } }' % seat.pk)["seatRequest"] == {
        "id": str(seat.pk), "status": "APPROVED", "credit": {"id": str(credit.pk)}}
    assert api('{ seatRequest(id: "nope") { id } }')["seatRequest"] is None
    assert api('{ credit(id: "%s") { id status amount seatRequest { id } user { telegramId } } }' % credit.pk)[
        "credit"] == {"id": str(credit.pk), "status": "OPEN", "amount": "100.00", "seatRequest": {"id": str(seat.pk)},
                      "user": {"telegramId": PLAYER_ID}}
    assert api('{ credit(id: "424242") { id } }')["credit"] is None
    assert api('{ credit(id: "nope") { id } }')["credit"] is None
    assert [c["id"] for c in api("{ credits(status: OPEN) { id } }")["credits"]] == [str(credit.pk)]
    assert api("{ credits(status: SETTLED) { id } }")["credits"] == []
    assert api("{ credits(telegramId: %d) { id } }" % (PLAYER_ID + 1))["credits"] == []


def test_stats_show_the_open_credits(api, player, admin):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="1234.50")
    services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
    stats = api("{ stats(actorTelegramId: %d) { openCredits openCreditsBase } }" % ADMIN_ID)["stats"]
    assert stats == {"openCredits": 1, "openCreditsBase": "1234.50"}


# --- what it costs ------------------------------------------------------------------------------

NESTED = "user { telegramId username isAdmin spinAccount { availableSpins } }"
LISTS = {
    "pendingSeatRequests": "{ pendingSeatRequests(first: 50) { id amount status %s } }" % NESTED,
    "credits": "{ credits(first: 50) { id amount status seatRequest { id createdAt } settlement { id } %s } }"
               % NESTED,
    "users": "{ users(first: 50) { telegramId openCredit { id amount } } }",
}


@pytest.fixture
def add_seats(methods, admin):
    """Players with a pending seat request each, and as many with an open credit."""
    def add(count: int):
        start = Player.objects.count()
        for index in range(start, start + count):
            for tid in (6_000_000_000 + 2 * index, 6_000_000_001 + 2 * index):
                services.user_upsert(telegram_id=tid, username=f"p{tid}", pppoker_id="12345")
                seat = services.seat_request_create(telegram_id=tid, amount="500")
            services.seat_request_approve(seat_request_id=seat.pk, actor=admin)
    return add


@pytest.mark.parametrize("name", LISTS)
def test_list_query_cost_does_not_grow_with_rows(api, add_seats, django_assert_num_queries, name):
    add_seats(50)
    # The rows with their to-one relations joined, plus the admin list behind isAdmin, or the
    # open credits prefetched in one query.
    with django_assert_num_queries(2):
        rows = api(LISTS[name])[name]
    assert len(rows) == 50


def test_pinned_query_counts_of_the_mutations(api, player, admin, django_assert_num_queries):
    # Each: the caller (admin check, actor's name), the service's reads, locks and writes inside its
    # savepoints, and one read for each relation the answer asks for that the service did not load; a
    # player's request reads the counter first.
    with django_assert_num_queries(12):
        seat = api(CREATE_SEAT, {"input": SEAT_INPUT})["createSeatRequest"]
    with django_assert_num_queries(11):
        credit = api(APPROVE_SEAT, {"id": seat["id"], "actor": ADMIN_ID})["approveSeatRequest"]["credit"]
    with django_assert_num_queries(9):
        api(CLEAR, {"id": credit["id"], "reason": "paid", "actor": ADMIN_ID})
