"""The counter, live support and broadcasts over GraphQL: each operation, who may run it, its codes, and
what it costs in SQL."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.models import (
    Admin, Broadcast, BroadcastDelivery, CounterState, Player, SupportMessage, SupportSession, SupportState,
)
from tests.conftest import ADMIN_ID, PLAYER_ID, Api
from tests.test_api import CREATE_DEPOSIT, DEPOSIT_INPUT, OUTCOME, WITHDRAW, WITHDRAWAL_INPUT, codes

OTHER_ADMIN_ID = 7_000_000_002

COUNTER = "{ counter { state changedAt changedBy announcement { id text total } } }"
SET_COUNTER = """mutation($state: CounterState!, $announce: String, $actor: BigInt) {
  setCounter(state: $state, announce: $announce, actorTelegramId: $actor) {
  ... on Counter { state changedAt changedBy announcement { id text state total } } %s } }""" % OUTCOME
SESSION_FIELDS = ("id state agent agentTelegramId openedAt closedAt closedBy user { telegramId } "
                  "messages { fromAdmin author text photo }")
OPEN = """mutation($tid: BigInt!) { openSupport(telegramId: $tid) { ... on SupportSession { %s } %s } }""" % (
    SESSION_FIELDS, OUTCOME)
POST = """mutation($id: ID!, $text: String, $photo: String, $actor: BigInt) {
  postSupportMessage(sessionId: $id, text: $text, photo: $photo, actorTelegramId: $actor) {
  ... on SupportMessage { id fromAdmin author text photo createdAt } %s } }""" % OUTCOME
CLAIM = """mutation($id: ID!, $actor: BigInt) { claimSupport(sessionId: $id, actorTelegramId: $actor) {
  ... on SupportSession { %s } %s } }""" % (SESSION_FIELDS, OUTCOME)
CLOSE = """mutation($id: ID!, $actor: BigInt) { closeSupport(sessionId: $id, actorTelegramId: $actor) {
  ... on SupportSession { %s } %s } }""" % (SESSION_FIELDS, OUTCOME)
BROADCAST_FIELDS = "id text photo state createdBy createdAt total sent blocked failed pending cancelledBy"
CREATE_BROADCAST = """mutation($text: String!, $photo: String, $actor: BigInt, $key: String) {
  createBroadcast(text: $text, photo: $photo, actorTelegramId: $actor, idempotencyKey: $key) {
  ... on Broadcast { %s } %s } }""" % (BROADCAST_FIELDS, OUTCOME)
CANCEL_BROADCAST = """mutation($id: ID!, $actor: BigInt) { cancelBroadcast(id: $id, actorTelegramId: $actor) {
  ... on Broadcast { %s } %s } }""" % (BROADCAST_FIELDS, OUTCOME)
RECORD = """mutation($id: ID!, $deliveries: [BroadcastDeliveryInput!]!) {
  recordBroadcastDeliveries(broadcastId: $id, deliveries: $deliveries) {
  ... on Broadcast { id state total sent blocked failed pending } %s } }""" % OUTCOME
RECIPIENTS = "query($id: ID!, $first: Int) { broadcastRecipients(id: $id, first: $first) }"
SPIN = """mutation { processSpin(telegramId: %d, count: 1) { ... on SpinBatch { spinsLeft } %s } }""" % (
    PLAYER_ID, OUTCOME)
CREATE_SEAT = """mutation { createSeatRequest(input: {telegramId: %d, amount: "500"}) {
  ... on SeatRequest { id } %s } }""" % (PLAYER_ID, OUTCOME)


@pytest.fixture
def other_admin(db):
    Admin.objects.get_or_create(telegram_id=OTHER_ADMIN_ID)


def sql_count(api, query: str, variables: dict | None = None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        data = api(query, variables)
    (payload,) = data.values()
    refusal = isinstance(payload, dict) and any("code" in message for message in payload.get("messages") or [])
    assert not refusal, payload
    return len(captured), payload


# --- the counter --------------------------------------------------------------------------------

def test_the_counter_closes_and_opens_with_who_and_when(api, player, admin):
    assert api(COUNTER)["counter"] == {"state": "OPEN", "changedAt": None, "changedBy": None, "announcement": None}
    closed = api(SET_COUNTER, {"state": "CLOSED", "announce": "Back at 18:00", "actor": ADMIN_ID})["setCounter"]
    assert (closed["state"], closed["changedBy"]) == ("CLOSED", admin.label) and closed["changedAt"]
    assert closed["announcement"]["text"] == "Back at 18:00" and closed["announcement"]["state"] == "SENDING"
    assert closed["announcement"]["total"] == Player.objects.count()
    assert api(COUNTER)["counter"] == {**closed, "announcement": {
        key: closed["announcement"][key] for key in ("id", "text", "total")}}
    opened = api(SET_COUNTER, {"state": "OPEN", "actor": ADMIN_ID})["setCounter"]
    assert (opened["state"], opened["announcement"]) == ("OPEN", None)


@pytest.mark.parametrize("actor", [None, PLAYER_ID])
def test_the_counter_is_set_by_admins_only(api, player, actor):
    assert codes(api(SET_COUNTER, {"state": "CLOSED", "actor": actor})["setCounter"]) == ["FORBIDDEN"]
    assert api(COUNTER)["counter"]["state"] == "OPEN"


def test_a_closed_counter_refuses_players_requests_and_opening_lets_them_through(api, player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=2, reason="test", actor=admin)
    api(SET_COUNTER, {"state": "CLOSED", "actor": ADMIN_ID})
    assert codes(api(CREATE_DEPOSIT, {"input": DEPOSIT_INPUT})["createDeposit"]) == ["COUNTER_CLOSED"]
    assert codes(api(WITHDRAW, {"input": WITHDRAWAL_INPUT})["createWithdrawal"]) == ["COUNTER_CLOSED"]
    assert codes(api(SPIN)["processSpin"]) == ["COUNTER_CLOSED"]
    assert codes(api(CREATE_SEAT)["createSeatRequest"]) == ["COUNTER_CLOSED"]
    assert codes(api(OPEN, {"tid": PLAYER_ID})["openSupport"]) == ["COUNTER_CLOSED"]
    eligibility = api("{ withdrawalEligibility(telegramId: %d) { eligible code } }" % PLAYER_ID)
    assert eligibility["withdrawalEligibility"] == {"eligible": False, "code": "COUNTER_CLOSED"}
    api(SET_COUNTER, {"state": "OPEN", "actor": ADMIN_ID})
    assert api(CREATE_DEPOSIT, {"input": DEPOSIT_INPUT})["createDeposit"]["status"] == "PENDING"
    assert api(SPIN)["processSpin"] == {"spinsLeft": 1}


def test_admins_decide_while_the_counter_is_closed(api, player, admin):
    deposit = api(CREATE_DEPOSIT, {"input": DEPOSIT_INPUT})["createDeposit"]
    api(SET_COUNTER, {"state": "CLOSED", "actor": ADMIN_ID})
    approved = api("""mutation($id: ID!) { approveDeposit(id: $id, actorTelegramId: %d) {
      ... on Deposit { status } %s } }""" % (ADMIN_ID, OUTCOME), {"id": deposit["id"]})["approveDeposit"]
    assert approved == {"status": "APPROVED"}


# --- live support --------------------------------------------------------------------------------

def test_a_conversation_from_opening_to_the_end(api, player, admin, other_admin):
    session = api(OPEN, {"tid": PLAYER_ID})["openSupport"]
    assert (session["state"], session["agent"], session["messages"]) == ("WAITING", None, [])
    assert api(OPEN, {"tid": PLAYER_ID})["openSupport"]["id"] == session["id"]
    said = api(POST, {"id": session["id"], "text": "Where is my deposit?"})["postSupportMessage"]
    assert (said["fromAdmin"], said["author"], said["photo"]) == (False, "@ali", "")
    taken = api(CLAIM, {"id": session["id"], "actor": ADMIN_ID})["claimSupport"]
    assert (taken["state"], taken["agent"], taken["agentTelegramId"]) == ("ACTIVE", admin.label, ADMIN_ID)
    late = api(CLAIM, {"id": session["id"], "actor": OTHER_ADMIN_ID})["claimSupport"]
    assert codes(late) == ["ALREADY_DECIDED"] and admin.label in late["messages"][0]["message"]
    answer = api(POST, {"id": session["id"], "text": "Approved a minute ago.", "actor": ADMIN_ID})
    assert answer["postSupportMessage"]["fromAdmin"] is True
    intruder = api(POST, {"id": session["id"], "text": "me too", "actor": OTHER_ADMIN_ID})["postSupportMessage"]
    assert codes(intruder) == ["ALREADY_DECIDED"]
    api(POST, {"id": session["id"], "photo": "AgACAgUAAxkBAAIB", "text": "thanks!"})
    closed = api(CLOSE, {"id": session["id"]})["closeSupport"]
    assert (closed["state"], closed["closedBy"]) == ("CLOSED", "player") and closed["closedAt"]
    assert [(m["fromAdmin"], m["text"], m["photo"]) for m in closed["messages"]] == [
        (False, "Where is my deposit?", ""), (True, "Approved a minute ago.", ""),
        (False, "thanks!", "AgACAgUAAxkBAAIB")]
    assert codes(api(CLOSE, {"id": session["id"], "actor": ADMIN_ID})["closeSupport"]) == ["ALREADY_DECIDED"]
    assert codes(api(POST, {"id": session["id"], "text": "hello?"})["postSupportMessage"]) == ["ALREADY_DECIDED"]


def test_transcripts_are_read_by_state_player_and_page(api, player, admin):
    first = services.support_open(telegram_id=PLAYER_ID)
    for index in range(3):
        services.support_message_post(session_id=first.pk, actor=None, text=f"line {index}")
    services.support_close(session_id=first.pk, actor=None)
    second = services.support_open(telegram_id=PLAYER_ID)
    listed = api("{ supportSessions { id state } }")["supportSessions"]
    assert listed == [{"id": str(second.pk), "state": "WAITING"}, {"id": str(first.pk), "state": "CLOSED"}]
    assert api("{ supportSessions(state: CLOSED) { id } }")["supportSessions"] == [{"id": str(first.pk)}]
    assert api("{ supportSessions(telegramId: 42) { id } }")["supportSessions"] == []
    paged = api('{ supportSession(id: "%s") { messages(first: 2, offset: 1) { text } } }' % first.pk)
    assert paged["supportSession"]["messages"] == [{"text": "line 1"}, {"text": "line 2"}]
    assert api('{ supportSession(id: "nope") { id } }')["supportSession"] is None


@pytest.mark.parametrize("actor", [None, PLAYER_ID])
def test_taking_a_session_is_for_admins_and_a_non_admin_actor_speaks_for_nobody(api, player, actor):
    session = services.support_open(telegram_id=PLAYER_ID)
    assert codes(api(CLAIM, {"id": session.pk, "actor": actor})["claimSupport"]) == ["FORBIDDEN"]
    if actor is not None:
        assert codes(api(POST, {"id": session.pk, "text": "hi", "actor": actor})["postSupportMessage"]) == [
            "FORBIDDEN"]
        assert codes(api(CLOSE, {"id": session.pk, "actor": actor})["closeSupport"]) == ["FORBIDDEN"]
    assert SupportSession.objects.get().state == SupportState.WAITING and not SupportMessage.objects.exists()


def test_a_staff_session_speaks_as_the_staff_user(client, player, django_user_model):
    client.force_login(django_user_model.objects.create_user("desk", password="pw", is_staff=True))
    staff = Api(client, token=None)
    session = services.support_open(telegram_id=PLAYER_ID)
    assert staff(CLAIM, {"id": session.pk})["claimSupport"]["agent"] == "staff desk"
    assert staff(POST, {"id": session.pk, "text": "Hello from the desk"})["postSupportMessage"]["fromAdmin"] is True


def test_support_refusals_carry_their_codes_and_fields(api, player, admin):
    assert codes(api(OPEN, {"tid": 42})["openSupport"]) == ["NOT_FOUND"]
    assert codes(api(POST, {"id": "987654", "text": "x"})["postSupportMessage"]) == ["NOT_FOUND"]
    session = services.support_open(telegram_id=PLAYER_ID)
    empty = api(POST, {"id": session.pk, "text": " "})["postSupportMessage"]
    assert codes(empty) == ["INVALID"] and empty["messages"][0]["field"] == "text"
    bad_photo = api(POST, {"id": session.pk, "photo": "../etc/passwd"})["postSupportMessage"]
    assert codes(bad_photo) == ["INVALID"] and bad_photo["messages"][0]["field"] == "photo"
    early = api(POST, {"id": session.pk, "text": "hi", "actor": ADMIN_ID})["postSupportMessage"]
    assert codes(early) == ["INVALID"] and early["messages"][0]["field"] == "sessionId"


# --- broadcasts --------------------------------------------------------------------------------------

@pytest.fixture
def players(methods):
    tids = [6_000_000_000 + index for index in range(6)]
    for tid in tids:
        services.user_upsert(telegram_id=tid, username=f"p{tid}")
    return tids


def test_a_broadcast_is_delivered_in_batches_and_resumes_where_it_stopped(api, players, admin):
    made = api(CREATE_BROADCAST, {"text": "Freeroll at 21:00", "actor": ADMIN_ID, "key": "b-1"})["createBroadcast"]
    assert (made["state"], made["total"], made["pending"], made["createdBy"]) == ("SENDING", 6, 6, admin.label)
    again = api(CREATE_BROADCAST, {"text": "Freeroll at 21:00", "actor": ADMIN_ID, "key": "b-1"})["createBroadcast"]
    assert again["id"] == made["id"] and Broadcast.objects.count() == 1
    batch = api(RECIPIENTS, {"id": made["id"], "first": 4})["broadcastRecipients"]
    assert batch == players[:4]
    deliveries = [{"chatId": batch[0], "outcome": "SENT"}, {"chatId": batch[1], "outcome": "BLOCKED"},
                  {"chatId": batch[2], "outcome": "FAILED", "error": "Bad Request: chat not found"},
                  {"chatId": batch[3], "outcome": "SENT"}]
    recorded = api(RECORD, {"id": made["id"], "deliveries": deliveries})["recordBroadcastDeliveries"]
    assert (recorded["sent"], recorded["blocked"], recorded["failed"], recorded["pending"]) == (2, 1, 1, 2)
    assert api(RECORD, {"id": made["id"], "deliveries": deliveries})["recordBroadcastDeliveries"] == recorded
    # A restarted bot asks again and gets only the rest.
    rest = api(RECIPIENTS, {"id": made["id"]})["broadcastRecipients"]
    assert rest == players[4:]
    done = api(RECORD, {"id": made["id"], "deliveries": [{"chatId": tid, "outcome": "SENT"} for tid in rest]})
    assert done["recordBroadcastDeliveries"]["state"] == "DONE"
    shown = api('{ broadcast(id: "%s") { state total sent blocked failed pending } }' % made["id"])["broadcast"]
    assert shown == {"state": "DONE", "total": 6, "sent": 4, "blocked": 1, "failed": 1, "pending": 0}
    assert api(RECIPIENTS, {"id": made["id"]})["broadcastRecipients"] == []
    assert Player.objects.get(telegram_id=batch[1]).bot_blocked_at is not None


def test_broadcasts_are_listed_newest_first_and_by_state(api, players, admin):
    older = services.broadcast_create(text="one", actor=admin)
    newer = services.broadcast_create(text="two", photo="AgACAgUAAxkBAAIB", actor=admin)
    cancelled = api(CANCEL_BROADCAST, {"id": older.pk, "actor": ADMIN_ID})["cancelBroadcast"]
    assert (cancelled["state"], cancelled["cancelledBy"], cancelled["pending"]) == ("CANCELLED", admin.label, 6)
    assert codes(api(CANCEL_BROADCAST, {"id": older.pk, "actor": ADMIN_ID})["cancelBroadcast"]) == [
        "ALREADY_DECIDED"]
    assert api("{ broadcasts { id photo } }")["broadcasts"] == [
        {"id": str(newer.pk), "photo": "AgACAgUAAxkBAAIB"}, {"id": str(older.pk), "photo": ""}]
    assert api("{ broadcasts(state: SENDING) { id } }")["broadcasts"] == [{"id": str(newer.pk)}]
    assert api(RECIPIENTS, {"id": older.pk})["broadcastRecipients"] == []
    assert api('{ broadcast(id: "0") { id } }')["broadcast"] is None


@pytest.mark.parametrize("actor", [None, PLAYER_ID])
def test_broadcasts_are_made_and_cancelled_by_admins_only(api, players, admin, actor):
    assert codes(api(CREATE_BROADCAST, {"text": "hi", "actor": actor})["createBroadcast"]) == ["FORBIDDEN"]
    broadcast = services.broadcast_create(text="hi", actor=admin)
    assert codes(api(CANCEL_BROADCAST, {"id": broadcast.pk, "actor": actor})["cancelBroadcast"]) == ["FORBIDDEN"]
    assert Broadcast.objects.get().state == "SENDING"


def test_broadcast_refusals(api, players, admin):
    empty = api(CREATE_BROADCAST, {"text": "", "actor": ADMIN_ID})["createBroadcast"]
    assert codes(empty) == ["INVALID"] and not BroadcastDelivery.objects.exists()
    unknown = api(RECORD, {"id": "424242", "deliveries": []})["recordBroadcastDeliveries"]
    assert codes(unknown) == ["NOT_FOUND"]
    broadcast = services.broadcast_create(text="hi", actor=admin)
    twice = api(RECORD, {"id": broadcast.pk, "deliveries": [{"chatId": players[0], "outcome": "SENT"}] * 2})
    assert codes(twice["recordBroadcastDeliveries"]) == ["INVALID"]
    wrong = api.raw(RECORD, {"id": broadcast.pk, "deliveries": [{"chatId": players[0], "outcome": "PENDING"}]})
    assert wrong.json()["errors"]  # not a value of DeliveryOutcome: refused by the schema itself


# --- what it costs -----------------------------------------------------------------------------------

def test_pinned_query_counts(api, players, admin, other_admin):
    """Each mutation's statements, savepoints and locks included; refusals cost less and prove nothing."""
    counts = {}
    counts["setCounter (announce)"], _ = sql_count(api, SET_COUNTER, {"state": "CLOSED", "announce": "closed",
                                                                       "actor": ADMIN_ID})
    counts["setCounter (same state)"], _ = sql_count(api, SET_COUNTER, {"state": "CLOSED", "actor": ADMIN_ID})
    services.counter_set(state=CounterState.OPEN, actor=admin)
    counts["counter"], _ = sql_count(api, COUNTER)
    counts["openSupport"], session = sql_count(api, OPEN, {"tid": players[0]})
    counts["postSupportMessage (player)"], _ = sql_count(api, POST, {"id": session["id"], "text": "hi"})
    counts["claimSupport"], _ = sql_count(api, CLAIM, {"id": session["id"], "actor": ADMIN_ID})
    counts["postSupportMessage (admin)"], _ = sql_count(api, POST, {"id": session["id"], "text": "yes?",
                                                                     "actor": ADMIN_ID})
    counts["closeSupport"], _ = sql_count(api, CLOSE, {"id": session["id"]})
    counts["createBroadcast"], made = sql_count(api, CREATE_BROADCAST, {"text": "hi", "actor": ADMIN_ID})
    counts["broadcastRecipients"], batch = sql_count(api, RECIPIENTS, {"id": made["id"]})
    counts["recordBroadcastDeliveries"], _ = sql_count(api, RECORD, {"id": made["id"], "deliveries": [
        {"chatId": tid, "outcome": "BLOCKED" if index == 0 else "SENT"} for index, tid in enumerate(batch[:-1])]})
    counts["recordBroadcastDeliveries (last)"], _ = sql_count(api, RECORD, {"id": made["id"], "deliveries": [
        {"chatId": batch[-1], "outcome": "SENT"}]})
    other = services.broadcast_create(text="again", actor=admin)
    counts["cancelBroadcast"], _ = sql_count(api, CANCEL_BROADCAST, {"id": other.pk, "actor": ADMIN_ID})
    # The caller's admin check and name, the service's reads, locks and writes inside its savepoints, and
    # one read for the transcript a session's answer shows.
    assert counts == {
        "setCounter (announce)": 14, "setCounter (same state)": 6, "counter": 1, "openSupport": 10,
        "postSupportMessage (player)": 6, "claimSupport": 8, "postSupportMessage (admin)": 8, "closeSupport": 6,
        "createBroadcast": 8, "broadcastRecipients": 1, "recordBroadcastDeliveries": 7,
        "recordBroadcastDeliveries (last)": 7, "cancelBroadcast": 7,
    }, repr(counts)


def test_list_query_cost_does_not_grow_with_rows(api, players, admin, django_assert_num_queries):
    for tid in players:
        session = services.support_open(telegram_id=tid)
        for index in range(3):
            services.support_message_post(session_id=session.pk, actor=None, text=f"{tid} {index}")
        services.broadcast_create(text=f"to all {tid}", actor=admin)
    # The sessions with their players joined, and every transcript in one prefetch.
    with django_assert_num_queries(2):
        sessions = api("""{ supportSessions(first: 50) { id state agent user { telegramId username }
            messages { author text } } }""")["supportSessions"]
    assert len(sessions) == 6 and all(len(s["messages"]) == 3 for s in sessions)
    with django_assert_num_queries(1):
        assert len(api("{ broadcasts(first: 20) { id total sent pending state } }")["broadcasts"]) == 6
