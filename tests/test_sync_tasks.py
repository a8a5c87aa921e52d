"""Huey wiring of the mirror: debounced requests after commit, the lock, the worker's start, the commands,
and the connection settings."""
import json
import logging

import gspread
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import CommandError, call_command
from google.auth.credentials import AnonymousCredentials
from google.oauth2 import service_account

from config.huey import huey
from ledger import services
from sync import client, mirror, tasks
from sync.layout import DEPOSITS, SHEET_ORDER
from tests.conftest import PLAYER_ID, deposit_for
from tests.test_sync_mirror import SID, assert_mirrors_db, data_rows, fake, sheets_server  # noqa: F401


@pytest.fixture(autouse=True)
def clean_queue():
    """Tests run Huey in immediate mode on in-memory storage shared by the whole session."""
    huey.flush()
    yield
    huey.flush()


@pytest.fixture
def mirror_off(settings):
    settings.SPREADSHEET_ID = settings.SPREADSHEET_NAME = ""
    settings.GOOGLE_SHEETS_CREDENTIALS_FILE = settings.SHEETS_API_BASE_URL = ""


def scheduled_syncs() -> int:
    return sum(1 for task in huey.scheduled() if task.name.endswith("sync_sheets"))


# --- mirror off ---------------------------------------------------------------------------------

def test_with_no_configuration_the_mirror_is_off_and_quiet(mirror_off, player, django_capture_on_commit_callbacks):
    assert client.mirror_config() is None
    assert "mirror is off" in client.mirror_status()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deposit_for(PLAYER_ID)
    assert callbacks  # the ledger did announce the change
    assert scheduled_syncs() == 0 and len(huey) == 0
    assert tasks.run_cycle_locked() is None


def test_worker_start_says_once_that_the_mirror_is_off_and_clears_a_stale_lock(mirror_off, caplog, monkeypatch):
    monkeypatch.setattr(tasks, "_started", False)
    tasks.sync_lock.acquire()  # left behind by a worker killed mid-cycle
    with caplog.at_level(logging.INFO, logger="sync.tasks"):
        tasks.announce_mirror()
        tasks.announce_mirror()  # a second worker thread starting
    messages = [record.getMessage() for record in caplog.records]
    assert sum("Google Sheets mirror is off" in message for message in messages) == 1
    assert any("cleared the lock" in message for message in messages)
    assert not tasks.sync_lock.is_locked()


@pytest.mark.parametrize("config, reason", [
    ({"SPREADSHEET_ID": "x"}, "GOOGLE_SHEETS_CREDENTIALS_FILE is not set"),
    ({"GOOGLE_SHEETS_CREDENTIALS_FILE": "/nonexistent.json", "SPREADSHEET_ID": "x"}, "does not exist"),
    ({"SHEETS_API_BASE_URL": "http://127.0.0.1:9", "SPREADSHEET_NAME": "Club"}, "needs SPREADSHEET_ID"),
    ({"SHEETS_API_BASE_URL": "http://127.0.0.1:9"}, "SPREADSHEET_ID (or SPREADSHEET_NAME) is not set"),
])
def test_incomplete_configuration_says_why(mirror_off, settings, config, reason):
    for name, value in config.items():
        setattr(settings, name, value)
    assert client.mirror_config() is None
    assert reason in client.mirror_status()


@pytest.mark.parametrize("content", ["{not json", json.dumps({"type": "service_account", "client_email": "a@b"})])
def test_a_malformed_credentials_file_turns_the_mirror_off_and_says_why(mirror_off, settings, tmp_path, content):
    key_file = tmp_path / "service-account.json"
    key_file.write_text(content)
    settings.GOOGLE_SHEETS_CREDENTIALS_FILE, settings.SPREADSHEET_ID = str(key_file), "x"
    assert client.mirror_config() is None  # so the periodic task does nothing rather than fail each minute
    assert "is not a service-account key file" in client.mirror_status()
    assert tasks.run_cycle_locked() is None


# --- connection ----------------------------------------------------------------------------------

@pytest.fixture
def service_account_file(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "club", "private_key_id": "k1", "private_key": pem,
        "client_email": "mirror@club.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token"}))
    return str(path)


def test_service_account_credentials_with_the_spreadsheets_scope(mirror_off, settings, service_account_file):
    settings.GOOGLE_SHEETS_CREDENTIALS_FILE = service_account_file
    settings.SPREADSHEET_ID = "abc"
    gc = client.gspread_client(client.mirror_config())  # no request is sent: no network in tests
    credentials = gc.http_client.auth
    assert isinstance(credentials, service_account.Credentials)
    assert credentials.service_account_email == "mirror@club.iam.gserviceaccount.com"
    assert tuple(credentials.scopes) == client.SCOPES
    assert type(gc.http_client) is gspread.HTTPClient  # Google's own endpoint
    assert "service account" in client.mirror_status()


def test_base_url_without_credentials_connects_anonymously(fake):
    api = client.connect()
    assert isinstance(api.http.auth, AnonymousCredentials)
    assert isinstance(api.http, client.BaseUrlHTTPClient) and api.http.session.trust_env is False
    assert set(api.tabs()) == {"Sheet1"}
    assert fake.calls[-1].path == f"/v4/spreadsheets/{SID}"


# --- debounced requests, lock, follow-ups ----------------------------------------------------------

def test_a_committed_change_schedules_one_debounced_sync(fake, player, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deposit = deposit_for(PLAYER_ID)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_upsert(telegram_id=PLAYER_ID, username="ali2")
    assert scheduled_syncs() == 1  # the second change rides on the first request
    [task] = [task for task in huey.scheduled() if task.name.endswith("sync_sheets")]
    assert task.eta is not None
    assert fake.calls == []  # nothing was sent yet: the sync waits for its delay

    tasks.sync_sheets.call_local()  # what the worker does when the delay is over

    assert data_rows(fake, DEPOSITS)[0][0] == f"D{deposit.pk}"
    assert tasks.request_sync() is True  # the next change schedules a new run


def test_a_rolled_back_change_schedules_nothing(fake, player, django_capture_on_commit_callbacks):
    from django.db import transaction
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                deposit_for(PLAYER_ID)
                raise RuntimeError("rolled back")
    assert scheduled_syncs() == 0


def test_a_request_during_a_cycle_runs_another_cycle(fake, player, monkeypatch):
    cycles = []
    real_cycle = mirror.sync_cycle

    def cycle_with_a_change_arriving(**kwargs):
        cycles.append(1)
        if len(cycles) == 1:
            # A change lands now; its request finds the lock taken and does not run.
            assert tasks.run_cycle_locked() is None
        return real_cycle(**kwargs)

    monkeypatch.setattr(mirror, "sync_cycle", cycle_with_a_change_arriving)
    tasks.run_cycle_locked()
    # The running cycle saw the flag when it finished and asked for another (run at once in immediate mode).
    assert len(cycles) == 2
    assert not tasks.sync_lock.is_locked()


def test_a_lock_left_by_a_killed_process_is_cleared_once_stale(fake, player, monkeypatch):
    tasks.sync_lock.acquire()  # a `sync_sheets` killed with SIGKILL never releases it
    huey.put(tasks.LOCKED_SINCE_KEY, 1_000.0)
    monkeypatch.setattr(tasks.time, "time", lambda: 1_000.0 + tasks.STALE_LOCK_SECONDS - 1)
    assert tasks.run_cycle_locked() is None and tasks.sync_lock.is_locked()  # maybe a slow cycle: wait

    monkeypatch.setattr(tasks.time, "time", lambda: 1_000.0 + tasks.STALE_LOCK_SECONDS + 1)
    assert tasks.run_cycle_locked() is None  # this run finds it stale and clears it
    assert not tasks.sync_lock.is_locked()
    assert tasks.run_cycle_locked() is not None
    assert_mirrors_db(fake)


def test_google_unavailable_schedules_a_retry(fake, player):
    fake.fail_when(lambda call: True, status=503)
    tasks.run_cycle_locked()
    assert scheduled_syncs() == 1  # the cycle is retried later; nothing was marked written
    fake.clear_faults()
    huey.flush()
    tasks.run_cycle_locked()
    assert_mirrors_db(fake)


def test_a_receiver_failure_never_fails_the_committed_change(fake, player, monkeypatch, caplog,
                                                             django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise OSError("queue unavailable")

    monkeypatch.setattr(tasks, "request_sync", broken)
    with django_capture_on_commit_callbacks(execute=True):
        deposit_for(PLAYER_ID)
    assert "Could not schedule a Sheets sync" in caplog.text


def test_periodic_task_runs_every_minute():
    from datetime import datetime
    assert tasks.sync_sheets_every_minute.task_class in huey._registry._periodic_tasks
    task = tasks.sync_sheets_every_minute.task_class()
    assert all(task.validate_datetime(datetime(2025, 11, 26, 18, minute)) for minute in range(60))


# --- management commands ------------------------------------------------------------------------

def test_sync_sheets_command_without_configuration(mirror_off):
    with pytest.raises(CommandError, match="mirror is off"):
        call_command("sync_sheets", "--once")


def test_sync_sheets_command_runs_until_up_to_date(fake, player, capsys, settings):
    for n in range(40):
        services.user_upsert(telegram_id=PLAYER_ID + 1 + n, username=f"p{n}")
    settings.SHEETS_MAX_PAYLOAD_BYTES = 1_000
    call_command("sync_sheets")
    out = capsys.readouterr().out
    assert out.count("Sheets mirror:") > 1  # several cycles, each under the payload cap
    assert_mirrors_db(fake)


def test_sync_sheets_refuses_while_a_sync_runs(fake):
    with tasks.sync_lock:
        with pytest.raises(CommandError, match="A sync is running"):
            call_command("sync_sheets", "--once")


def test_sync_sheets_once_reports_a_header_problem(fake, player):
    fake.add_sheet(SID, DEPOSITS, rows=[["Something else"]])
    deposit_for(PLAYER_ID)
    with pytest.raises(CommandError, match="Deposits: the header row does not match"):
        call_command("sync_sheets", "--once")
    assert set(SHEET_ORDER) <= set(fake.titles(SID))
