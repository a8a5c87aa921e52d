"""The ledger's jobs, run by the Huey worker: each stored slip is read, seat requests nobody decided
expire, open credits get their payment reminders, live-support sessions the player left unanswered close, and
each midnight yesterday's report is written.

Huey's periodic tasks fire at most once a minute, but a seat request expires SEAT_REQUEST_TIMEOUT_S
(120 s) after it was made and a reminder is due SEAT_REMINDER_S (60 s) after approval, so a minute's
granularity would make either up to a minute late. Each minute the periodic task runs the jobs and
schedules eleven one-off runs TICK_SECONDS apart. That keeps no worker thread looping for a minute
(the Sheets mirror shares the worker), and no task re-enqueues itself, so a restart or a second
consumer cannot multiply a chain of ticks: the schedule is rebuilt from the clock every minute.

Every consumer's scheduler enqueues the periodic task, so with several workers the jobs run several
times a tick. That is harmless: the services claim what they act on (an expiry skips rows another
transaction holds, a reminder is a conditional update of its counter, an idle session is closed by a
conditional update of a session still open), so each expiry, reminder and close happens exactly once.
"""
from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ledger import services

TICK_SECONDS = 5


def run_due_jobs(*, now: datetime | None = None) -> None:
    """`now`: a later clock, for tests that would otherwise wait for a timeout to pass."""
    services.seat_requests_expire(now=now)
    services.credit_reminders_due(now=now)
    services.support_sessions_close_idle(now=now)


@db_task()
def due_jobs_tick() -> None:
    run_due_jobs()  # returns nothing: Huey would keep every result in its store, and nobody reads them


@db_periodic_task(crontab(minute="*"))
def due_jobs_every_minute() -> None:
    run_due_jobs()
    for delay in range(TICK_SECONDS, 60, TICK_SECONDS):
        due_jobs_tick.schedule(delay=delay)


@db_periodic_task(crontab(minute="*"))
@lock_task("daily-report")
def daily_report() -> None:
    """Every minute, so a worker that was down at midnight catches up on its first minute back;
    the service writes each day's report once, whoever runs it."""
    services.daily_report_make()


@db_task(retries=2, retry_delay=30)
def read_slip(slip_id: int) -> None:
    """OCR takes a second or more: in the worker, never in the request that stored the slip."""
    services.slip_read(slip_id=slip_id)


def on_slip_stored(sender, *, slip_id: int, **kwargs) -> None:
    # Sent after the commit (ledger.signals), so the worker finds the row.
    read_slip(slip_id)
