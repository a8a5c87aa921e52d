"""The worker's timed jobs: every minute a run and eleven scheduled ticks; each tick expires and reminds."""
from datetime import timedelta

import pytest
from django.utils import timezone

from config.huey import huey
from jobs import tasks
from ledger import services
from ledger.models import Credit, Event, RequestStatus, SeatRequest
from tests.conftest import PLAYER_ID


@pytest.fixture
def clean_schedule():
    huey.flush()
    yield
    huey.flush()


def test_each_minute_runs_the_jobs_and_schedules_a_tick_every_five_seconds(player, admin, settings, clean_schedule):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="800")
    SeatRequest.objects.filter(pk=seat.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.SEAT_REQUEST_TIMEOUT_S))
    started = timezone.now()
    tasks.due_jobs_every_minute.call_local()
    assert SeatRequest.objects.get(pk=seat.pk).status == RequestStatus.REJECTED
    ticks = huey.scheduled()
    assert {task.name for task in ticks} == {tasks.due_jobs_tick.s().name}
    offsets = sorted(round((task.eta - started.replace(tzinfo=None)).total_seconds()) for task in ticks)
    assert offsets == list(range(5, 60, 5))


def test_a_tick_sends_the_reminder_that_is_due(player, admin, settings):
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="800")
    credit = services.seat_request_approve(seat_request_id=seat.pk, actor=admin).credit
    tasks.due_jobs_tick.call_local()
    assert not Event.objects.filter(kind="credit.reminder").exists()
    Credit.objects.filter(pk=credit.pk).update(created_at=timezone.now() - timedelta(seconds=settings.SEAT_REMINDER_S))
    tasks.due_jobs_tick.call_local()
    tasks.due_jobs_tick.call_local()
    assert Event.objects.filter(kind="credit.reminder").count() == 1


def test_the_jobs_run_on_a_later_clock_when_told(player, admin, settings):
    """What the end-to-end tests use instead of waiting for the timeouts to pass."""
    seat = services.seat_request_create(telegram_id=PLAYER_ID, amount="800")
    tasks.run_due_jobs(now=timezone.now() + timedelta(seconds=settings.SEAT_REQUEST_TIMEOUT_S - 5))
    assert SeatRequest.objects.get(pk=seat.pk).status == RequestStatus.PENDING  # not yet
    tasks.run_due_jobs(now=timezone.now() + timedelta(seconds=settings.SEAT_REQUEST_TIMEOUT_S + 1))
    assert SeatRequest.objects.get(pk=seat.pk).status == RequestStatus.REJECTED

    again = services.seat_request_create(telegram_id=PLAYER_ID, amount="800")
    credit = services.seat_request_approve(seat_request_id=again.pk, actor=admin).credit
    tasks.run_due_jobs(now=timezone.now() + timedelta(seconds=settings.SEAT_REMINDER_S + 1))
    assert Credit.objects.get(pk=credit.pk).reminders_sent == 1
    assert Event.objects.filter(kind="credit.reminder").count() == 1


def test_a_tick_closes_the_support_session_left_unanswered(player, admin, settings):
    from ledger.models import SupportSession, SupportState

    session = services.support_open(telegram_id=PLAYER_ID)
    services.support_claim(session_id=session.pk, actor=admin)
    services.support_message_post(session_id=session.pk, actor=admin, text="Anything else?")
    tasks.due_jobs_tick.call_local()
    assert SupportSession.objects.get(pk=session.pk).state == SupportState.ACTIVE
    SupportSession.objects.filter(pk=session.pk).update(
        awaiting_player_since=timezone.now() - timedelta(minutes=settings.SUPPORT_IDLE_MINUTES))
    tasks.due_jobs_tick.call_local()
    tasks.due_jobs_tick.call_local()
    assert SupportSession.objects.get(pk=session.pk).state == SupportState.CLOSED
    assert Event.objects.filter(kind="support.closed").count() == 1
