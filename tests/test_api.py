"""The GraphQL contract over HTTP: authentication, every error code, scalars, limits."""
import json
from decimal import Decimal

import pytest
from django.test import Client

from ledger import services
from ledger.models import Deposit, RequestStatus
from tests.conftest import ADMIN_ID, API_TOKEN, PLAYER_ID, Api, approved_deposit, deposit_for

OUTCOME = "... on OperationInfo { messages { kind message field code } }"
CREATE_DEPOSIT = """mutation($input: DepositInput!) { createDeposit(input: $input) {
  ... on Deposit { id amount method currency status user { telegramId } } %s } }""" % OUTCOME
APPROVE_DEPOSIT = """mutation($id: ID!, $amount: Decimal, $actor: BigInt) {
  approveDeposit(id: $id, amount: $amount, actorTelegramId: $actor) {
  ... on Deposit { id status amountBase spinsGranted decidedBy decidedAt } %s } }""" % OUTCOME
DEPOSIT_INPUT = {"telegramId": PLAYER_ID, "amount": "500", "method": "BML", "accountName": "Ali Ahmed",
                 "proof": "AgACAgUAAxkBAAIB", "pppokerId": "12345"}


def codes(payload: dict) -> list[str]:
    return [message["code"] for message in payload.get("messages", [])]


# --- authentication ----------------------------------------------------------------------

@pytest.mark.parametrize("query", ["{ prizeTable { label } }", CREATE_DEPOSIT])
def test_anonymous_requests_are_forbidden_with_no_data(client, db, query):
    response = Api(client, token=None).raw(query, {"input": DEPOSIT_INPUT})
    assert response.status_code == 403
    assert response.json() == {"data": None, "errors": [{
        "message": "Authentication required: a bot token, Mini App init data or a staff session.",
        "extensions": {"code": "FORBIDDEN"}}]}


def test_a_wrong_token_is_anonymous(client, settings, db):
    settings.API_TOKEN = API_TOKEN
    assert Api(client, token=API_TOKEN + "x").raw("{ prizeTable { label } }").status_code == 403


def test_no_api_token_configured_means_bot_access_is_off(client, settings, db):
    settings.API_TOKEN = ""
    assert Api(client, token="").raw("{ prizeTable { label } }").status_code == 403
    assert Api(client, token="anything").raw("{ prizeTable { label } }").status_code == 403


def test_a_non_staff_session_is_forbidden(client, db, django_user_model):
    client.force_login(django_user_model.objects.create_user("player", password="pw"))
    assert Api(client, token=None).raw("{ prizeTable { label } }").status_code == 403


@pytest.mark.parametrize("actor", [None, PLAYER_ID])
def test_bot_admin_operations_need_an_active_admin_actor(api, player, actor):
    deposit = deposit_for(PLAYER_ID)
    payload = api(APPROVE_DEPOSIT, {"id": deposit.pk, "actor": actor})["approveDeposit"]
    assert codes(payload) == ["FORBIDDEN"] and payload["messages"][0]["kind"] == "PERMISSION"
    assert "id" not in payload
    assert Deposit.objects.get(pk=deposit.pk).status == RequestStatus.PENDING


def test_bot_admin_decision_records_the_admin(api, player, admin):
    deposit = deposit_for(PLAYER_ID, amount="2000")
    payload = api(APPROVE_DEPOSIT, {"id": deposit.pk, "actor": ADMIN_ID})["approveDeposit"]
    assert payload["status"] == "APPROVED" and payload["spinsGranted"] == 25
    assert payload["decidedBy"] == admin.label and payload["amountBase"] == "2000.00"


@pytest.fixture
def staff_client(db, django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("boss", password="pw", is_staff=True))
    return client


def test_staff_sessions_need_the_csrf_token(staff_client, player):
    deposit = deposit_for(PLAYER_ID)
    staff = Api(staff_client, token=None)
    assert staff.raw(APPROVE_DEPOSIT, {"id": deposit.pk}).status_code == 403  # no token: CSRF refusal
    staff_client.get("/admin/")  # sets the csrftoken cookie, as the GraphiQL page does
    token = staff_client.cookies["csrftoken"].value
    payload = staff(APPROVE_DEPOSIT, {"id": deposit.pk}, HTTP_X_CSRFTOKEN=token)["approveDeposit"]
    assert payload["status"] == "APPROVED" and payload["decidedBy"] == "staff boss"


# --- every error code ----------------------------------------------------------------------

def test_create_deposit_and_its_refusals(api, player):
    created = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "idempotencyKey": "k1"}})["createDeposit"]
    assert created["status"] == "PENDING" and created["amount"] == "500.00" and created["method"] == "BML"
    assert created["user"]["telegramId"] == PLAYER_ID
    again = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "idempotencyKey": "k1"}})["createDeposit"]
    assert again["id"] == created["id"]
    conflict = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "amount": "9", "idempotencyKey": "k1"}})
    assert codes(conflict["createDeposit"]) == ["IDEMPOTENCY_CONFLICT"]
    assert codes(api(CREATE_DEPOSIT, {"input": DEPOSIT_INPUT})["createDeposit"]) == ["DUPLICATE_PENDING"]
    invalid = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "pppokerId": "12"}})["createDeposit"]
    assert codes(invalid) == ["INVALID"] and invalid["messages"][0]["field"] == "pppokerId"
    unknown = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "telegramId": 42}})["createDeposit"]
    assert codes(unknown) == ["NOT_FOUND"]


def test_decisions_answer_already_decided_and_not_found(api, player, admin):
    deposit = deposit_for(PLAYER_ID)
    api(APPROVE_DEPOSIT, {"id": deposit.pk, "actor": ADMIN_ID})
    assert codes(api(APPROVE_DEPOSIT, {"id": deposit.pk, "actor": ADMIN_ID})["approveDeposit"]) == [
        "ALREADY_DECIDED"]
    assert codes(api(APPROVE_DEPOSIT, {"id": "99999999999999999999", "actor": ADMIN_ID})["approveDeposit"]) == [
        "NOT_FOUND"]


WITHDRAW = """mutation($input: WithdrawalInput!) { createWithdrawal(input: $input) {
  ... on Withdrawal { id status accountName amount currency } %s } }""" % OUTCOME
WITHDRAWAL_INPUT = {"telegramId": PLAYER_ID, "amount": "300", "method": "BML", "accountNumber": "7730000123456",
                    "pppokerId": "12345"}


def test_withdrawal_refusals(api, player, admin):
    assert codes(api(WITHDRAW, {"input": WITHDRAWAL_INPUT})["createWithdrawal"]) == ["ACCOUNT_NAME_MISMATCH"]
    approved_deposit(PLAYER_ID, admin, account_name="Ali Ahmed")
    below = api(WITHDRAW, {"input": {**WITHDRAWAL_INPUT, "amount": "12", "method": "USDT"}})
    assert codes(below["createWithdrawal"]) == ["BELOW_MINIMUM"]
    created = api(WITHDRAW, {"input": WITHDRAWAL_INPUT})["createWithdrawal"]
    assert created["status"] == "PENDING" and created["accountName"] == "Ali Ahmed"
    decided = api("""mutation($id: ID!) { rejectWithdrawal(id: $id, reason: "Wrong account", actorTelegramId: %d) {
        ... on Withdrawal { status rejectionReason decidedBy } } }""" % ADMIN_ID, {"id": created["id"]})
    assert decided["rejectWithdrawal"]["status"] == "REJECTED"


SPIN = """mutation($tid: BigInt!, $count: Int, $key: String) { processSpin(telegramId: $tid, count: $count,
  idempotencyKey: $key) { ... on SpinBatch { chipsWon spinsLeft spins { id prize chips status createdAt } } %s } }
""" % OUTCOME


def test_spins_over_the_api(api, player, admin):
    assert codes(api(SPIN, {"tid": PLAYER_ID, "count": 1})["processSpin"]) == ["INSUFFICIENT_SPINS"]
    granted = api("""mutation { grantSpins(telegramId: %d, spins: 30, reason: "welcome", actorTelegramId: %d) {
        ... on SpinAccount { availableSpins } } }""" % (PLAYER_ID, ADMIN_ID))
    assert granted["grantSpins"]["availableSpins"] == 30
    batch = api(SPIN, {"tid": PLAYER_ID, "count": 25, "key": "s1"})["processSpin"]
    assert len(batch["spins"]) == 25 and batch["spinsLeft"] == 5
    assert batch["chipsWon"] == sum(spin["chips"] for spin in batch["spins"])
    assert api(SPIN, {"tid": PLAYER_ID, "count": 25, "key": "s1"})["processSpin"] == batch
    rest = api(SPIN, {"tid": PLAYER_ID, "count": None})["processSpin"]
    assert len(rest["spins"]) == 5 and rest["spinsLeft"] == 0
    pending = [s for s in batch["spins"] + rest["spins"] if s["status"] == "PENDING"]
    approved = api("""mutation { approveSpinRewards(telegramId: %d, actorTelegramId: %d) {
        ... on SpinRewards { chips spins { id status } } } }""" % (PLAYER_ID, ADMIN_ID))["approveSpinRewards"]
    assert approved["chips"] == sum(s["chips"] for s in pending)
    assert {s["id"] for s in approved["spins"]} == {s["id"] for s in pending}


def test_a_spin_reward_is_decided_once(api, player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=200, reason="x", actor=admin)
    won = [s for s in services.spins_process(telegram_id=PLAYER_ID, count=200).spins if s.chips][:2]
    approve = 'mutation($id: ID!) { approveSpinReward(id: $id, actorTelegramId: %d) { ... on Spin { status } %s } }'
    reject = ('mutation($id: ID!) { rejectSpinReward(id: $id, reason: "dup", actorTelegramId: %d) '
              '{ ... on Spin { status } %s } }')
    assert api(approve % (ADMIN_ID, OUTCOME), {"id": won[0].pk})["approveSpinReward"]["status"] == "APPROVED"
    assert api(reject % (ADMIN_ID, OUTCOME), {"id": won[1].pk})["rejectSpinReward"]["status"] == "REJECTED"
    assert codes(api(reject % (ADMIN_ID, OUTCOME), {"id": won[0].pk})["rejectSpinReward"]) == ["ALREADY_DECIDED"]
    one = api('{ spin(id: "%s") { status chips user { telegramId } } }' % won[1].pk)["spin"]
    assert one == {"status": "REJECTED", "chips": won[1].chips, "user": {"telegramId": PLAYER_ID}}
    assert api('{ spin(id: "0") { id } }')["spin"] is None


# --- scalars and reads -------------------------------------------------------------------------

def test_telegram_ids_above_2_63_minus_1_are_refused_and_big_ids_round_trip(api, methods):
    big = 2**62 + 12345
    query = 'mutation($input: UserInput!) { upsertUser(input: $input) { ... on User { telegramId createdAt } %s } }'
    user = api(query % OUTCOME, {"input": {"telegramId": str(big), "username": "big"}})["upsertUser"]
    assert user["telegramId"] == big
    assert user["createdAt"].endswith("+00:00")  # ISO-8601 with offset
    assert api("{ user(telegramId: %d) { telegramId username isAdmin } }" % big)["user"] == {
        "telegramId": big, "username": "big", "isAdmin": False}
    too_big = api.raw(query % OUTCOME, {"input": {"telegramId": str(2**63)}}).json()  # refused by the scalar
    assert too_big["data"] is None and too_big["errors"][0]["extensions"]["code"] == "INVALID"


def test_is_admin_reflects_both_admin_sources(api, player, admin, settings):
    services.user_upsert(telegram_id=ADMIN_ID, username="boss")
    settings.ADMIN_USER_IDS = [PLAYER_ID]
    users = api("{ users(first: 10) { telegramId isAdmin } }")["users"]
    assert {u["telegramId"]: u["isAdmin"] for u in users} == {PLAYER_ID: True, ADMIN_ID: True}


def test_payment_methods_and_prize_table(api, methods):
    assert [m["code"] for m in api("{ paymentMethods { code currency rateToBase } }")["paymentMethods"]] == [
        "BML", "MIB", "USD", "USDT"]
    table = api("{ prizeTable { label chips probability } }")["prizeTable"]
    assert table[0] == {"label": "Try Again!", "chips": 0, "probability": 0.82489}
    assert sum(row["probability"] for row in table) == pytest.approx(1)


def test_lists_filter_and_cap_at_100(api, player, admin):
    deposit = approved_deposit(PLAYER_ID, admin)
    deposit_for(PLAYER_ID, amount="700")
    rows = api("{ deposits(status: APPROVED, telegramId: %d) { id status } }" % PLAYER_ID)["deposits"]
    assert rows == [{"id": str(deposit.pk), "status": "APPROVED"}]
    assert len(api("{ deposits(first: 100000) { id } }")["deposits"]) == 2
    assert api("{ pendingDeposits { amount } }")["pendingDeposits"] == [{"amount": "700.00"}]
    assert api('{ deposit(id: "%s") { status } }' % deposit.pk)["deposit"] == {"status": "APPROVED"}
    assert api('{ deposit(id: "nope") { status } }')["deposit"] is None


def test_stats_for_a_period(api, player, admin):
    approved_deposit(PLAYER_ID, admin, amount="100", method="USD")
    stats = api("""{ stats(from: "2000-01-01T00:00:00+00:00", actorTelegramId: %d) { depositsApproved
        depositsApprovedBase depositsByCurrency { currency amount } spinsUsed } }""" % ADMIN_ID)["stats"]
    assert stats == {"depositsApproved": 1, "depositsApprovedBase": "1540.00",
                     "depositsByCurrency": [{"currency": "USD", "amount": "100.00"}], "spinsUsed": 0}
    empty = api('{ stats(to: "2000-01-01T00:00:00+00:00", actorTelegramId: %d) { depositsApproved } }'
                % ADMIN_ID)["stats"]
    assert empty == {"depositsApproved": 0}


@pytest.mark.parametrize("actor", ["", ", actorTelegramId: %d" % PLAYER_ID])
def test_stats_are_for_admins_only(api, player, actor):
    body = api.raw("{ stats%s { depositsApproved } }" % (f"({actor.lstrip(', ')})" if actor else "")).json()
    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]


def test_stats_for_a_staff_session(client, admin_user, player):
    client.force_login(admin_user)
    body = client.post("/graphql/", {"query": "{ stats { depositsApproved } }"}, content_type="application/json").json()
    assert body == {"data": {"stats": {"depositsApproved": 0}}}


def test_event_feed_and_ack(api, player):
    deposit_for(PLAYER_ID)
    events = api("{ events { id kind telegramId payload } }")["events"]
    assert [e["kind"] for e in events] == ["user.registered", "deposit.created"]
    assert json.loads(events[1]["payload"])["amount"] == "500.00"
    assert api('mutation { ackEvents(upTo: "%s") }' % events[0]["id"])["ackEvents"] == 1
    assert [e["kind"] for e in api("{ events { kind } }")["events"]] == ["deposit.created"]
    assert len(api('{ events(after: "0") { id } }')["events"]) == 2


# --- limits ------------------------------------------------------------------------------------

def refusal(api, query) -> str:
    response = api.raw(query)
    body = response.json()
    assert body.get("data") is None and body["errors"], body
    return body["errors"][0]["message"]


def test_depth_limit(api, player):
    from graphql_api.schema import MAX_DEPTH

    def chain(levels: int) -> str:
        """user { spinAccount { user { spinAccount ... { __typename } } } }, `levels` below user."""
        inner = "__typename"
        for field in reversed((["spinAccount", "user"] * levels)[:levels]):
            inner = f"{field} {{ {inner} }}"
        return "{ user(telegramId: %d) { %s } }" % (PLAYER_ID, inner)

    assert api(chain(MAX_DEPTH - 1))["user"]
    assert "exceeds maximum operation depth" in refusal(api, chain(MAX_DEPTH + 1))


def test_alias_limit(api):
    from graphql_api.schema import MAX_ALIASES
    query = "{ " + " ".join(f"a{i}: prizeTable {{ label }}" for i in range(MAX_ALIASES + 1)) + " }"
    assert "aliases" in refusal(api, query).lower()


def test_token_limit(api):
    from graphql_api.schema import MAX_TOKENS
    query = "{ prizeTable { " + "label " * MAX_TOKENS + "} }"
    assert "token" in refusal(api, query).lower()


def test_introspection_only_for_staff_when_debug_is_off(api, client, django_user_model):
    assert "only for staff" in refusal(api, "{ __schema { queryType { name } } }")
    assert "only for staff" in refusal(api, "{ ...F } fragment F on Query { __type(name: \"User\") { name } }")
    client.force_login(django_user_model.objects.create_user("boss", password="pw", is_staff=True))
    staff = Api(client, token=None)
    assert staff("{ __schema { queryType { name } } }")["__schema"]["queryType"]["name"] == "Query"
    assert api("{ prizeTable { __typename } }")  # __typename is not introspection


@pytest.mark.parametrize("debug", [False, True])
def test_graphiql_page_only_for_staff(client, db, django_user_model, settings, debug):
    settings.DEBUG = debug  # a local run too: anonymous GraphiQL could only answer FORBIDDEN
    anonymous = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert anonymous.status_code == 302 and anonymous["Location"] == "/admin/login/?next=/graphql/"
    assert client.get(anonymous["Location"]).status_code == 200
    client.force_login(django_user_model.objects.create_user("boss", password="pw", is_staff=True))
    page = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"graphiql" in page.content.lower()


def test_batching_is_off(api):
    response = api.client.post("/graphql/", [{"query": "{ prizeTable { label } }"}] * 2,
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {API_TOKEN}")
    assert response.status_code == 400


def test_decimal_input_as_number_or_string(api, player):
    created = api(CREATE_DEPOSIT, {"input": {**DEPOSIT_INPUT, "amount": 250.5}})["createDeposit"]
    assert created["amount"] == "250.50"
    assert Deposit.objects.get().amount == Decimal("250.50")


def test_admin_message_references_are_kept_in_the_backend(api, player, admin, settings):
    settings.ADMIN_USER_IDS = [111]
    deposit = deposit_for(PLAYER_ID)
    record = """mutation($id: ID!, $m: [AdminMessageInput!]!) {
        recordAdminMessages(kind: "deposit", requestId: $id, messages: $m) }"""
    assert api(record, {"id": deposit.pk, "m": [{"chatId": 111, "messageId": 5},
                                                {"chatId": ADMIN_ID, "messageId": 9}]})["recordAdminMessages"] == 2
    api(record, {"id": deposit.pk, "m": [{"chatId": 111, "messageId": 6}]})  # re-sent: replaces
    shown = api('{ adminMessages(kind: "deposit", requestId: "%s") { chatId messageId } }' % deposit.pk)
    assert shown["adminMessages"] == [{"chatId": 111, "messageId": 6}, {"chatId": ADMIN_ID, "messageId": 9}]
    assert api("{ adminIds }")["adminIds"] == [111, ADMIN_ID]
    assert api(record, {"id": deposit.pk, "m": []})["recordAdminMessages"] == 0
    wrong_kind = api.raw(record.replace('"deposit"', '"loan"'), {"id": deposit.pk, "m": []}).json()
    assert wrong_kind["errors"][0]["message"].startswith("Request kind must be one of")
