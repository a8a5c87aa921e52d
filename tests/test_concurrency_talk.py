"""Live support and broadcasts racing on a real PostgreSQL server, real threads, one connection each."""
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from ledger import services
from ledger.actors import admin_actor
from ledger.models import (
    Admin, Broadcast, BroadcastDelivery, CounterState, DeliveryStatus, Event, Player, SupportSession, SupportState,
)
from tests.conftest import ADMIN_ID, PLAYER_ID, seed_payment_methods
from tests.test_concurrency import race

pytestmark = pytest.mark.postgres


@pytest.fixture
def admins(transactional_db):
    """Twenty admins and one player."""
    seed_payment_methods()
    ids = [ADMIN_ID + index for index in range(20)]
    Admin.objects.bulk_create([Admin(telegram_id=tid) for tid in ids])
    services.user_upsert(telegram_id=PLAYER_ID, username="ali", pppoker_id="12345")
    return [admin_actor(tid) for tid in ids]


def test_20_admins_taking_one_session_at_once_leave_exactly_one_agent(admins):
    session = services.support_open(telegram_id=PLAYER_ID)
    outcomes = race(20, lambda i: services.support_claim(session_id=session.pk, actor=admins[i]), workers=20)
    assert outcomes == Counter({"ok": 1, "ALREADY_DECIDED": 19})
    session.refresh_from_db()
    assert session.state == SupportState.ACTIVE
    (claimed,) = Event.objects.filter(kind="support.claimed")
    assert claimed.payload["agent_telegram_id"] == session.agent_telegram_id
    assert session.agent == next(a.label for a in admins if a.telegram_id == session.agent_telegram_id)


def test_one_player_opening_support_from_many_calls_at_once_gets_one_session(admins):
    opened = []
    outcomes = race(30, lambda _: opened.append(services.support_open(telegram_id=PLAYER_ID).pk))
    assert outcomes == Counter({"ok": 30})
    assert len(set(opened)) == 1 and SupportSession.objects.count() == 1
    assert Event.objects.filter(kind="support.opened").count() == 1


@pytest.fixture
def idle_sessions(admins, settings):
    """Eight sessions whose admin wrote last, longer ago than SUPPORT_IDLE_MINUTES."""
    sessions = []
    for index in range(8):
        tid = PLAYER_ID + 1 + index
        services.user_upsert(telegram_id=tid, username=f"p{tid}")
        session = services.support_open(telegram_id=tid)
        services.support_claim(session_id=session.pk, actor=admins[index])
        services.support_message_post(session_id=session.pk, actor=admins[index], text="Anything else?")
        sessions.append(session)
    SupportSession.objects.update(
        awaiting_player_since=timezone.now() - timedelta(minutes=settings.SUPPORT_IDLE_MINUTES, seconds=1))
    return sessions


def test_the_idle_close_from_two_workers_at_once_closes_each_session_once(idle_sessions):
    from jobs.tasks import due_jobs_tick

    assert race(40, lambda _: due_jobs_tick.call_local(), workers=2) == Counter({"ok": 40})
    assert set(SupportSession.objects.values_list("state", "closed_by")) == {(SupportState.CLOSED, "system")}
    closes = Counter(Event.objects.filter(kind="support.closed").values_list("payload__session_id", flat=True))
    assert closes == Counter({session.pk: 1 for session in idle_sessions})


def test_an_answer_racing_the_idle_close_has_exactly_one_outcome(idle_sessions):
    def answer_or_close(index):
        if index % 2:
            services.support_sessions_close_idle()
        else:
            session = idle_sessions[index // 2 % len(idle_sessions)]
            services.support_message_post(session_id=session.pk, actor=None, text="still here")

    outcomes = race(32, answer_or_close)
    assert set(outcomes) <= {"ok", "ALREADY_DECIDED"}
    for session in idle_sessions:
        session.refresh_from_db()
        closes = Event.objects.filter(kind="support.closed", payload__session_id=session.pk).count()
        if session.state == SupportState.CLOSED:
            # Closed only if no answer got in first, and no answer got in after.
            assert closes == 1 and not session.messages.filter(from_admin=False).exists()
        else:
            assert closes == 0 and session.awaiting_player_since is None


@pytest.fixture
def broadcast(admins):
    """To sixty players: the admins' fixture's one and 59 more."""
    Player.objects.bulk_create([Player(telegram_id=PLAYER_ID + 100 + index, username=f"p{index}")
                                for index in range(59)])
    tids = list(Player.objects.order_by("id").values_list("telegram_id", flat=True))
    return services.broadcast_create(text="Tonight: freeroll", actor=admins[0]), tids


def test_recording_the_same_deliveries_from_many_threads_counts_each_once(broadcast):
    made, tids = broadcast
    outcome_of = {tid: ("BLOCKED" if index % 10 == 0 else "FAILED" if index % 7 == 0 else "SENT")
                  for index, tid in enumerate(tids)}
    batches = []
    rng = random.Random(14)
    for _ in range(24):  # overlapping batches, every recipient in several
        chosen = rng.sample(tids, 40)
        batches.append([(tid, outcome_of[tid], None) for tid in chosen])
    batches.append([(tid, outcome_of[tid], None) for tid in tids[:50]])
    batches.append([(tid, outcome_of[tid], None) for tid in tids[50:]])
    outcomes = race(len(batches), lambda i: services.broadcast_deliveries_record(broadcast_id=made.pk,
                                                                                 deliveries=batches[i]))
    assert outcomes == Counter({"ok": len(batches)})
    made.refresh_from_db()
    expected = Counter(outcome_of.values())
    assert (made.sent, made.blocked, made.failed, made.state) == (
        expected["SENT"], expected["BLOCKED"], expected["FAILED"], "DONE")
    assert Counter(BroadcastDelivery.objects.values_list("status", flat=True)) == Counter(
        {DeliveryStatus(k): v for k, v in expected.items()})
    assert Event.objects.filter(kind="broadcast.done").count() == 1
    assert Player.objects.filter(bot_blocked_at__isnull=False).count() == expected["BLOCKED"]


def test_a_cancel_racing_the_recording_leaves_counts_equal_to_the_rows(broadcast, admins):
    made, tids = broadcast

    def record_or_cancel(index):
        if index == 5:
            services.broadcast_cancel(broadcast_id=made.pk, actor=admins[0])
        else:
            chunk = tids[index * 3:index * 3 + 3]
            services.broadcast_deliveries_record(broadcast_id=made.pk, deliveries=[(t, "SENT", None) for t in chunk])

    assert race(20, record_or_cancel) == Counter({"ok": 20})
    made.refresh_from_db()
    assert made.state == "CANCELLED"
    assert made.sent == BroadcastDelivery.objects.filter(broadcast=made, status=DeliveryStatus.SENT).count() == 57
    assert [e.kind for e in Event.objects.filter(kind__startswith="broadcast.").order_by("id")] == [
        "broadcast.created", "broadcast.cancelled"]


def test_two_admins_closing_the_counter_at_once_close_it_and_announce_it_once(admins):
    outcomes = race(10, lambda i: services.counter_set(state=CounterState.CLOSED, actor=admins[i],
                                                       announce="Closed for the night"))
    assert outcomes == Counter({"ok": 10})
    assert Event.objects.filter(kind="counter.changed").count() == 1
    assert Broadcast.objects.count() == 1
