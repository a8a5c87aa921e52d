"""Talking to players through the services: the counter, live support and broadcasts (issue 14)."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ledger import selectors, services
from ledger.actors import Actor, admin_actor, staff_actor
from ledger.errors import LedgerError
from ledger.models import (
    Admin, Broadcast, BroadcastDelivery, BroadcastState, Counter, CounterState, Event, Player,
    SupportMessage, SupportSession, SupportState,
)
from tests.conftest import ADMIN_ID, PLAYER_ID, deposit_for

OTHER_ADMIN_ID = 7_000_000_002


def refused(code: str, call, **kwargs) -> LedgerError:
    with pytest.raises(LedgerError) as error:
        call(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value


def events(prefix: str) -> list[Event]:
    return list(Event.objects.filter(kind__startswith=prefix).order_by("id"))


@pytest.fixture
def other_admin(db) -> Actor:
    Admin.objects.get_or_create(telegram_id=OTHER_ADMIN_ID, defaults={"name": "Second admin"})
    return admin_actor(OTHER_ADMIN_ID)


@pytest.fixture
def closed(admin):
    return services.counter_set(state=CounterState.CLOSED, actor=admin)


# --- the counter ------------------------------------------------------------------------------

def test_a_fresh_install_is_open_and_changed_by_nobody(db):
    counter = selectors.counter_get()
    assert (counter.state, counter.changed_at, counter.changed_by, counter.announcement) == (
        CounterState.OPEN, None, "", None)
    assert selectors.counter_closed_refusal() is None


def test_closing_records_who_and_when_and_is_announced_in_the_feed(admin):
    before = timezone.now()
    counter = services.counter_set(state="CLOSED", actor=admin)
    assert (counter.state, counter.changed_by, counter.announcement) == (CounterState.CLOSED, admin.label, None)
    assert counter.changed_at >= before
    assert selectors.counter_get().state == CounterState.CLOSED
    (event,) = events("counter.")
    assert (event.kind, event.telegram_id) == ("counter.changed", None)
    assert event.payload == {"state": "CLOSED", "changed_by": admin.label, "broadcast_id": None}


def test_setting_the_state_it_has_changes_and_announces_nothing(closed, other_admin):
    again = services.counter_set(state=CounterState.CLOSED, actor=other_admin, announce="Closed!")
    assert again.changed_by == closed.changed_by and again.version == closed.version
    assert len(events("counter.")) == 1 and not Broadcast.objects.exists()


def test_an_announcement_is_a_broadcast_to_every_player(player, admin):
    counter = services.counter_set(state=CounterState.CLOSED, actor=admin, announce="  Closed until 18:00  ")
    broadcast = counter.announcement
    assert (broadcast.text, broadcast.state, broadcast.created_by) == ("Closed until 18:00", "SENDING", admin.label)
    assert broadcast.total == Player.objects.count()
    assert events("counter.")[0].payload["broadcast_id"] == broadcast.pk
    opened = services.counter_set(state=CounterState.OPEN, actor=admin)
    assert opened.announcement is None  # the last change's announcement, and this one had none


@pytest.mark.parametrize("state", ["open", "AJAR", "", None])
def test_the_state_is_open_or_closed(admin, state):
    assert refused("INVALID", services.counter_set, state=state, actor=admin).field == "state"


def test_a_closed_counter_refuses_every_players_request(closed, player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=3, reason="test", actor=admin)
    refused("COUNTER_CLOSED", deposit_for, telegram_id=PLAYER_ID)
    refused("COUNTER_CLOSED", services.withdrawal_create, telegram_id=PLAYER_ID, amount="300", method="BML",
            account_number="7730001", pppoker_id="12345")
    refused("COUNTER_CLOSED", services.spins_process, telegram_id=PLAYER_ID, count=1)
    refused("COUNTER_CLOSED", services.seat_request_create, telegram_id=PLAYER_ID, amount="500")
    refused("COUNTER_CLOSED", services.support_open, telegram_id=PLAYER_ID)
    assert selectors.spin_account_get(telegram_id=PLAYER_ID).available_spins == 3
    assert not SupportSession.objects.exists()
    services.counter_set(state=CounterState.OPEN, actor=admin)
    assert deposit_for(PLAYER_ID).status == "PENDING"
    assert len(services.spins_process(telegram_id=PLAYER_ID, count=1).spins) == 1


def test_admins_keep_deciding_while_the_counter_is_closed(player, admin):
    deposit = deposit_for(PLAYER_ID, amount="2000")
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="500")
    services.counter_set(state=CounterState.CLOSED, actor=admin)
    assert services.deposit_approve(deposit_id=deposit.pk, actor=admin).status == "APPROVED"
    assert services.seat_request_reject(seat_request_id=seat.pk, actor=admin, reason="later").status == "REJECTED"
    assert services.spins_grant(telegram_id=PLAYER_ID, spins=1, reason="x", actor=admin).available_spins == 26


def test_a_retried_request_made_while_open_returns_its_first_result_after_closing(player, admin):
    first = deposit_for(PLAYER_ID, idempotency_key="dep-1")
    services.counter_set(state=CounterState.CLOSED, actor=admin)
    assert deposit_for(PLAYER_ID, idempotency_key="dep-1").pk == first.pk


def test_withdrawal_eligibility_says_what_create_withdrawal_would(player, admin, closed):
    eligibility = selectors.withdrawal_eligibility(telegram_id=PLAYER_ID)
    assert (eligibility.eligible, eligibility.code) == (False, "COUNTER_CLOSED")


def test_the_database_holds_one_counter_row(closed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Counter.objects.create(id=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Counter.objects.filter(pk=closed.pk).update(state="AJAR")


# --- live support --------------------------------------------------------------------------

@pytest.fixture
def session(player) -> SupportSession:
    return services.support_open(telegram_id=PLAYER_ID)


@pytest.fixture
def taken(session, admin) -> SupportSession:
    return services.support_claim(session_id=session.pk, actor=admin)


def test_a_player_opens_one_session_at_a_time(session):
    assert (session.state, session.agent, session.closed_at) == (SupportState.WAITING, "", None)
    assert services.support_open(telegram_id=PLAYER_ID).pk == session.pk
    (opened,) = events("support.")
    assert (opened.kind, opened.telegram_id, opened.payload) == (
        "support.opened", PLAYER_ID, {"session_id": session.pk, "author": "@ali"})
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportSession.objects.create(player=session.player)
    refused("NOT_FOUND", services.support_open, telegram_id=42)


def test_an_open_session_is_returned_even_while_the_counter_is_closed(session, admin):
    services.counter_set(state=CounterState.CLOSED, actor=admin)
    assert services.support_open(telegram_id=PLAYER_ID).pk == session.pk


def test_player_messages_are_stored_and_announced_for_the_admins(session):
    text = services.support_message_post(session_id=session.pk, actor=None, text="Hello\r\nmy deposit?  ")
    photo = services.support_message_post(session_id=session.pk, actor=None, photo="AgACAgUAAxk-B_1", text="")
    assert (text.from_admin, text.author, text.text, text.photo) == (False, "@ali", "Hello\nmy deposit?", "")
    assert (photo.text, photo.photo) == ("", "AgACAgUAAxk-B_1")
    relayed = [e.payload for e in events("support.message")]
    assert relayed[0] == {"session_id": session.pk, "message_id": text.pk, "from_admin": False, "author": "@ali",
                          "text": "Hello\nmy deposit?", "photo": "", "state": "WAITING", "agent_telegram_id": None}
    assert relayed[1]["photo"] == "AgACAgUAAxk-B_1"
    assert list(selectors.support_transcript(session_id=session.pk)) == [text, photo]


@pytest.mark.parametrize("text, photo, field", [
    ("", None, "text"), ("   ", "", "text"), ("x" * 4097, None, "text"), ("x" * 1025, "AgAC", "text"),
    ("bell\x07", None, "text"), (None, "not a file id!", "photo"),
])
def test_a_message_needs_valid_content(session, text, photo, field):
    error = refused("INVALID", services.support_message_post, session_id=session.pk, actor=None, text=text,
                    photo=photo)
    assert error.field == field
    assert not SupportMessage.objects.exists()


def test_the_first_admin_takes_the_session_and_the_others_are_told_who(session, admin, other_admin):
    taken = services.support_claim(session_id=session.pk, actor=admin)
    assert (taken.state, taken.agent, taken.agent_telegram_id) == (SupportState.ACTIVE, admin.label, ADMIN_ID)
    assert taken.claimed_at is not None
    error = refused("ALREADY_DECIDED", services.support_claim, session_id=session.pk, actor=other_admin)
    assert admin.label in error.message
    assert services.support_claim(session_id=session.pk, actor=admin).pk == session.pk  # its own retry
    (claimed,) = events("support.claimed")
    assert claimed.payload == {"session_id": session.pk, "agent": admin.label, "agent_telegram_id": ADMIN_ID}
    refused("NOT_FOUND", services.support_claim, session_id=424242, actor=admin)
    refused("NOT_FOUND", services.support_claim, session_id="x", actor=admin)


def test_only_the_admin_who_took_it_writes_and_only_after_taking_it(session, admin, other_admin):
    refused("INVALID", services.support_message_post, session_id=session.pk, actor=admin, text="Hi")
    services.support_claim(session_id=session.pk, actor=admin)
    reply = services.support_message_post(session_id=session.pk, actor=admin, text="How can I help?")
    assert (reply.from_admin, reply.author) == (True, admin.label)
    refused("ALREADY_DECIDED", services.support_message_post, session_id=session.pk, actor=other_admin, text="Me")
    assert events("support.message")[-1].payload["agent_telegram_id"] == ADMIN_ID


def test_a_staff_login_can_take_and_answer_a_session(session, django_user_model):
    staff = staff_actor(django_user_model.objects.create_user("desk", password="pw", is_staff=True))
    taken = services.support_claim(session_id=session.pk, actor=staff)
    assert (taken.agent, taken.agent_telegram_id) == ("staff desk", None)
    assert services.support_message_post(session_id=session.pk, actor=staff, text="Hi").author == "staff desk"


@pytest.mark.parametrize("side", ["player", "admin"])
def test_either_side_ends_it_once_and_nothing_more_is_written(taken, admin, side):
    actor = None if side == "player" else admin
    closed = services.support_close(session_id=taken.pk, actor=actor)
    assert closed.state == SupportState.CLOSED and closed.closed_at is not None
    assert closed.closed_by == ("player" if side == "player" else admin.label)
    assert events("support.closed")[0].payload == {
        "session_id": taken.pk, "closed_by": closed.closed_by, "by": side, "agent_telegram_id": ADMIN_ID}
    refused("ALREADY_DECIDED", services.support_close, session_id=taken.pk, actor=None)
    refused("ALREADY_DECIDED", services.support_message_post, session_id=taken.pk, actor=None, text="still there?")
    refused("ALREADY_DECIDED", services.support_claim, session_id=taken.pk, actor=admin)
    assert services.support_open(telegram_id=PLAYER_ID).pk != taken.pk  # a new one


def test_a_session_the_player_leaves_unanswered_closes_itself(taken, admin, settings):
    settings.SUPPORT_IDLE_MINUTES = 2
    services.support_message_post(session_id=taken.pk, actor=None, text="help")
    assert services.support_sessions_close_idle(now=timezone.now() + timedelta(hours=1)) == []  # the admin owes
    reply = services.support_message_post(session_id=taken.pk, actor=admin, text="Done, anything else?")
    session = SupportSession.objects.get(pk=taken.pk)
    assert session.awaiting_player_since >= reply.created_at - timedelta(seconds=1)
    since = session.awaiting_player_since
    assert services.support_sessions_close_idle(now=since + timedelta(seconds=119)) == []
    closed = services.support_sessions_close_idle(now=since + timedelta(minutes=2))
    assert [s.pk for s in closed] == [taken.pk]
    session.refresh_from_db()
    assert (session.state, session.closed_by) == (SupportState.CLOSED, "system")
    assert events("support.closed")[0].payload["by"] == "system"
    assert services.support_sessions_close_idle(now=since + timedelta(hours=1)) == []


def test_a_player_answer_stops_the_idle_clock(taken, admin, settings):
    settings.SUPPORT_IDLE_MINUTES = 2
    services.support_message_post(session_id=taken.pk, actor=admin, text="Anything else?")
    services.support_message_post(session_id=taken.pk, actor=None, text="yes, one thing")
    assert SupportSession.objects.get(pk=taken.pk).awaiting_player_since is None
    assert services.support_sessions_close_idle(now=timezone.now() + timedelta(hours=1)) == []


def test_the_database_keeps_the_states_honest(session):
    for change in ({"state": "ACTIVE"}, {"agent": "someone"}, {"state": "CLOSED"}, {"state": "GONE"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SupportSession.objects.filter(pk=session.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportMessage.objects.create(session=session, from_admin=False, author="x")


# --- broadcasts ----------------------------------------------------------------------------

@pytest.fixture
def players(methods):
    tids = [6_000_000_000 + index for index in range(5)]
    for tid in tids:
        services.user_upsert(telegram_id=tid, username=f"p{tid}")
    return tids


@pytest.fixture
def broadcast(players, admin) -> Broadcast:
    return services.broadcast_create(text="Tournament tonight at 20:00", actor=admin)


def record(broadcast, *deliveries) -> Broadcast:
    return services.broadcast_deliveries_record(broadcast_id=broadcast.pk, deliveries=list(deliveries))


def test_a_broadcast_fixes_its_recipients_when_made(broadcast, players, admin):
    assert (broadcast.state, broadcast.total, broadcast.sent, broadcast.created_by) == (
        BroadcastState.SENDING, 5, 0, admin.label)
    assert selectors.broadcast_recipients_pending(broadcast_id=broadcast.pk) == players
    services.user_upsert(telegram_id=6_100_000_000, username="late")  # joins after: not a recipient
    assert len(selectors.broadcast_recipients_pending(broadcast_id=broadcast.pk)) == 5
    (created,) = events("broadcast.")
    assert (created.kind, created.telegram_id, created.payload) == (
        "broadcast.created", None, {"broadcast_id": broadcast.pk, "total": 5, "created_by": admin.label})


def test_recipients_come_in_pages_in_a_fixed_order(broadcast, players):
    assert selectors.broadcast_recipients_pending(broadcast_id=broadcast.pk, first=2) == players[:2]
    record(broadcast, (players[0], "SENT", None))
    assert selectors.broadcast_recipients_pending(broadcast_id=broadcast.pk, first=2) == players[1:3]
    assert selectors.broadcast_recipients_pending(broadcast_id="nope") == []


def test_each_delivery_counts_once_and_the_last_finishes_it(broadcast, players):
    first = record(broadcast, (players[0], "SENT", None), (players[1], "FAILED", "Bad Request: chat not found"))
    assert (first.sent, first.failed, first.pending, first.state) == (1, 1, 3, BroadcastState.SENDING)
    again = record(broadcast, (players[0], "FAILED", None), (players[1], "SENT", None))  # a retried batch
    assert (again.sent, again.failed) == (1, 1)
    assert BroadcastDelivery.objects.get(player__telegram_id=players[1]).error == "Bad Request: chat not found"
    done = record(broadcast, *[(tid, "SENT", None) for tid in players[2:]], (42, "SENT", None))
    assert (done.state, done.sent, done.failed, done.pending) == (BroadcastState.DONE, 4, 1, 0)
    assert done.finished_at is not None
    assert events("broadcast.done")[0].payload == {
        "broadcast_id": broadcast.pk, "total": 5, "sent": 4, "blocked": 0, "failed": 1,
        "created_by": broadcast.created_by, "cancelled_by": ""}
    assert record(broadcast, (players[0], "SENT", None)).sent == 4
    assert len(events("broadcast.done")) == 1
    assert selectors.broadcast_recipients_pending(broadcast_id=broadcast.pk) == []


def test_a_player_who_blocked_the_bot_is_skipped_until_they_write_again(broadcast, players, admin):
    record(broadcast, (players[0], "BLOCKED", "Forbidden: bot was blocked by the user"))
    assert Player.objects.get(telegram_id=players[0]).bot_blocked_at is not None
    assert record(broadcast).blocked == 1
    later = services.broadcast_create(text="Next week", actor=admin)
    assert later.total == 4 and players[0] not in selectors.broadcast_recipients_pending(broadcast_id=later.pk)
    services.user_upsert(telegram_id=players[0])  # they write to the bot again
    assert Player.objects.get(telegram_id=players[0]).bot_blocked_at is None
    assert services.broadcast_create(text="Welcome back", actor=admin).total == 5


def test_writing_to_support_unmarks_a_blocked_player(player):
    Player.objects.filter(pk=player.pk).update(bot_blocked_at=timezone.now())
    session = services.support_open(telegram_id=PLAYER_ID)
    assert Player.objects.get(pk=player.pk).bot_blocked_at is None
    Player.objects.filter(pk=player.pk).update(bot_blocked_at=timezone.now())
    services.support_message_post(session_id=session.pk, actor=None, text="hi")
    assert Player.objects.get(pk=player.pk).bot_blocked_at is None


def test_a_cancelled_broadcast_lists_nobody_but_counts_what_was_in_flight(broadcast, players, admin, other_admin):
    cancelled = services.broadcast_cancel(broadcast_id=broadcast.pk, actor=other_admin)
    assert (cancelled.state, cancelled.cancelled_by) == (BroadcastState.CANCELLED, other_admin.label)
    assert selectors.broadcast_recipients_pending(broadcast_id=broadcast.pk) == []
    late = record(broadcast, (players[0], "SENT", None))
    assert (late.state, late.sent, late.pending) == (BroadcastState.CANCELLED, 1, 4)
    error = refused("ALREADY_DECIDED", services.broadcast_cancel, broadcast_id=broadcast.pk, actor=admin)
    assert other_admin.label in error.message
    assert [e.kind for e in events("broadcast.")] == ["broadcast.created", "broadcast.cancelled"]
    refused("NOT_FOUND", services.broadcast_cancel, broadcast_id=999, actor=admin)


def test_a_broadcast_to_nobody_is_done_at_once(db, admin):
    broadcast = services.broadcast_create(text="Anyone?", actor=admin)
    assert (broadcast.total, broadcast.state) == (0, BroadcastState.DONE)
    assert [e.kind for e in events("broadcast.")] == ["broadcast.created", "broadcast.done"]


def test_a_photo_broadcast_carries_a_caption_and_a_retry_makes_one(players, admin):
    photo = services.broadcast_create(text="", photo="AgACAgUAAxkBAAIB", actor=admin, idempotency_key="b-1")
    assert (photo.text, photo.photo) == ("", "AgACAgUAAxkBAAIB")
    again = services.broadcast_create(text="", photo="AgACAgUAAxkBAAIB", actor=admin, idempotency_key="b-1")
    assert again.pk == photo.pk and Broadcast.objects.count() == 1
    refused("IDEMPOTENCY_CONFLICT", services.broadcast_create, text="other", actor=admin, idempotency_key="b-1")


@pytest.mark.parametrize("text, photo", [("", None), (" \n ", ""), ("x" * 4097, None), ("x" * 1025, "AgAC")])
def test_a_broadcast_needs_something_telegram_can_send(players, admin, text, photo):
    refused("INVALID", services.broadcast_create, text=text, photo=photo, actor=admin)
    assert not Broadcast.objects.exists() and not BroadcastDelivery.objects.exists()


@pytest.mark.parametrize("deliveries, field", [
    ([(6_000_000_000, "PENDING", None)], "outcome"),
    ([(6_000_000_000, "LOST", None)], "outcome"),
    ([(0, "SENT", None)], "chatId"),
    ([(6_000_000_000, "SENT", None), (6_000_000_000, "FAILED", None)], "deliveries"),
    ([(6_000_000_000 + i, "SENT", None) for i in range(101)], "deliveries"),
])
def test_a_batch_of_deliveries_is_checked_whole_before_anything_counts(broadcast, deliveries, field):
    error = refused("INVALID", services.broadcast_deliveries_record, broadcast_id=broadcast.pk, deliveries=deliveries)
    assert error.field == field
    assert Broadcast.objects.get(pk=broadcast.pk).sent == 0


def test_the_database_keeps_the_counts_within_the_total(broadcast, players):
    with pytest.raises(IntegrityError), transaction.atomic():
        Broadcast.objects.filter(pk=broadcast.pk).update(sent=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        BroadcastDelivery.objects.create(broadcast=broadcast, player=Player.objects.get(telegram_id=players[0]))



# --- values and the desk -----------------------------------------------------------------------

@pytest.mark.parametrize("value, cleaned", [
    ("  two\r\nlines  \n", "two\nlines"), ("tab\there", "tab\there"), (None, ""), ("ދިވެހި", "ދިވެހި"),
])
def test_a_message_keeps_its_lines(value, cleaned):
    from ledger.validators import clean_message_text
    assert clean_message_text(value) == cleaned


@pytest.mark.parametrize("value", ["nul\x00", "esc\x1b[31m", 42])
def test_a_message_with_control_characters_is_refused(value):
    from ledger.errors import Invalid
    from ledger.validators import clean_message_text
    with pytest.raises(Invalid):
        clean_message_text(value)


def test_the_desk_shows_transcripts_broadcasts_and_the_counter_read_only(client, django_user_model, taken, admin):
    services.support_message_post(session_id=taken.pk, actor=None, text="My slip is attached")
    services.support_message_post(session_id=taken.pk, actor=admin, text="Thanks, approved")
    broadcast = services.broadcast_create(text="Freeroll tonight", actor=admin)
    services.counter_set(state=CounterState.CLOSED, actor=admin)
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    page = client.get(f"/admin/ledger/supportsession/{taken.pk}/change/").content.decode()
    assert "My slip is attached" in page and "Thanks, approved" in page and admin.label in page
    assert "Freeroll tonight" in client.get(f"/admin/ledger/broadcast/{broadcast.pk}/change/").content.decode()
    assert "Closed" in client.get("/admin/ledger/counter/").content.decode()
    for path in ("supportsession", "broadcast", "counter"):
        assert client.get(f"/admin/ledger/{path}/add/").status_code == 403
