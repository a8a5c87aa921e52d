"""What reaches the console: one line per 404 (the access log's), no per-minute lines from an idle worker."""
import logging

import pytest

from config.logs import UtcIsoFormatter


@pytest.fixture
def console():
    [handler] = [handler for handler in logging.getLogger().handlers  # pytest adds capturing handlers
                 if isinstance(handler.formatter, UtcIsoFormatter)]
    return handler


def record(name: str, level: int, msg: str, *args, **extra) -> logging.LogRecord:
    return logging.makeLogRecord({"name": name, "levelno": level, "levelname": logging.getLevelName(level),
                                  "msg": msg, "args": args, **extra})


def test_django_does_not_repeat_the_access_logs_404(console):
    assert not console.filter(record("django.request", logging.WARNING, "Not Found: %s", "/x", status_code=404))
    assert console.filter(record("django.request", logging.ERROR, "Internal Server Error: %s", "/x",
                                 status_code=500))


def test_an_idle_worker_is_quiet_but_its_warnings_are_not(console):
    for template, args in [("Enqueueing periodic task %s.", ("sync",)), ("Executing %s", ("sync",)),
                           ("%s executed in %0.3fs", ("sync", 0.001)),
                           ("Added task %s to schedule, eta %s", ("due_jobs_tick", "soon"))]:
        assert not console.filter(record("huey", logging.INFO, template, *args))
    assert console.filter(record("huey", logging.INFO, "Huey consumer started with %s %s, PID %s at %s",
                                 1, "thread", 1, "now"))
    assert console.filter(record("huey", logging.ERROR, "Unhandled exception in task %s.", "sync"))


def test_times_are_utc_iso(console):
    line = console.format(record("ledger", logging.INFO, "hello", created=0.0, msecs=5.0, request_id="-"))
    assert line.startswith("time=1970-01-01T00:00:00.005Z level=INFO logger=ledger request_id=- msg=hello")


def test_one_handler_prints_djangos_lines_even_under_debug(tmp_path):
    from tests.test_deploy import manage

    result = manage("shell", "-c", "import logging; logging.getLogger('django.request').warning('once')",
                    DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.stderr.count("once") == 1 and "logger=django.request" in result.stderr, result.stderr
