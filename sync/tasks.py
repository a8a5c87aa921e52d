"""Huey tasks that keep the spreadsheet within seconds of the database.

Two triggers run the same cycle:

* every committed ledger change asks for a sync (`request_sync`). Requests are
  debounced through Huey's storage (shared by the web processes and the
  worker): the first one schedules a run `SYNC_DEBOUNCE_SECONDS` later, the
  ones after it find that run already scheduled and do nothing. A burst of
  changes costs one cycle, and the mirror still lags by at most about that
  delay plus one cycle.
* a periodic task every minute, the backstop for anything a request missed.

Only one cycle runs at a time (a Huey lock). A run that finds the lock taken
leaves a flag; the running cycle may have read the database before the change
that triggered it, so when it finishes it sees the flag and runs once more.
The flag is set before trying the lock and read after releasing it, so no
request falls between the two. A worker killed mid-cycle leaves its lock behind:
the worker clears it when it starts (no cycle can be running in a worker that
has just started; this assumes one consumer, as `run_huey` starts it). A lock
left by a killed `manage.py sync_sheets` is cleared once it is older than any
cycle can last.
"""
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from config.huey import huey
from sync import mirror
from sync.client import SheetsError, SheetsUnavailable, mirror_config, mirror_status

logger = logging.getLogger(__name__)

LOCK_NAME = "sheets-sync"
sync_lock = huey.lock_task(LOCK_NAME)
REQUESTED_KEY = "sheets-sync.requested"  # a debounced run is scheduled and has not started
RERUN_KEY = "sheets-sync.rerun"  # someone wanted a cycle while one was running
LOCKED_SINCE_KEY = "sheets-sync.locked-since"
SYNC_DEBOUNCE_SECONDS = 15
RETRY_AFTER_FAILURE_SECONDS = 30
# Far longer than a cycle can take, even one backing off on every request.
STALE_LOCK_SECONDS = 3600


@contextmanager
def cycle_lock() -> Iterator[None]:
    """The Huey lock around a cycle, stamped with when it was taken. Raises TaskLockedException."""
    with sync_lock:
        huey.put(LOCKED_SINCE_KEY, time.time())
        try:
            yield
        finally:
            huey.delete(LOCKED_SINCE_KEY)


def clear_stale_lock() -> bool:
    """Clear the lock if whoever took it has held it far longer than a cycle lasts (it was killed)."""
    since = huey.get(LOCKED_SINCE_KEY, peek=True)
    if since is None or time.time() - since < STALE_LOCK_SECONDS:
        return False
    logger.error("Sheets mirror: the sync lock was taken %d minutes ago and never released; clearing it.",
                 (time.time() - since) // 60)
    sync_lock.clear()
    huey.delete(LOCKED_SINCE_KEY)
    return True


def request_sync(*, delay: float = SYNC_DEBOUNCE_SECONDS) -> bool:
    """Ask for a cycle within `delay` seconds; True if this call scheduled it."""
    if mirror_config() is None:
        return False
    if not huey.put_if_empty(REQUESTED_KEY, "1"):
        return False  # one is already scheduled and will see this change
    sync_sheets.schedule(delay=delay)
    return True


def on_ledger_changed(sender, kind: str = "", **kwargs) -> None:
    """Receiver of ledger.signals.ledger_changed (sent after commit)."""
    try:
        request_sync()
    except Exception:  # noqa: BLE001
        # The change is committed; a queue hiccup must not fail the request that made it.
        # The periodic run picks the change up within a minute.
        logger.exception("Could not schedule a Sheets sync after %s", kind or "a ledger change")


def run_cycle_locked() -> "mirror.CycleReport | None":
    """Run one mirror cycle unless one is running; then ask for whatever is still owed."""
    if mirror_config() is None:
        return None
    huey.put(RERUN_KEY, "1")
    report, retry_in = None, None
    try:
        with cycle_lock():
            # This cycle reads the database after these deletes, so it covers every request made so far.
            huey.delete(RERUN_KEY)
            huey.delete(REQUESTED_KEY)
            try:
                report = mirror.sync_cycle()
            except SheetsUnavailable as exc:
                logger.warning("Sheets mirror: cycle stopped, retrying in %ss: %s", RETRY_AFTER_FAILURE_SECONDS, exc)
                retry_in = RETRY_AFTER_FAILURE_SECONDS
            except SheetsError as exc:
                logger.error("Sheets mirror: cycle stopped: %s", exc)
    except TaskLockedException:
        clear_stale_lock()
        return None  # the running cycle sees RERUN_KEY when it ends
    if report is not None and not report.idle:
        logger.info("%s", report.summary())
    if huey.get(RERUN_KEY) is not None or (report is not None and report.more):
        request_sync(delay=0)
    elif retry_in:
        request_sync(delay=retry_in)
    return report


@db_task()
def sync_sheets() -> None:
    # Returns nothing: Huey would keep every return value in its store, and nobody reads them.
    run_cycle_locked()


@db_periodic_task(crontab(minute="*"))
def sync_sheets_every_minute():
    run_cycle_locked()


_startup = threading.Lock()
_started = False


@huey.on_startup()
def announce_mirror() -> None:
    """Say once per worker process whether the mirror is on, and clear a lock a killed worker left."""
    global _started
    with _startup:  # every worker thread runs this hook; the first one does the work, the others wait
        if _started:
            return
        _started = True
        if sync_lock.clear():
            logger.warning("Sheets mirror: cleared the lock of a sync that did not finish.")
        huey.delete(LOCKED_SINCE_KEY)
        message = mirror_status()
        if mirror_config() is None:
            logger.warning("%s", message)
        else:
            logger.info("%s", message)
