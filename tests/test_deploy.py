"""Production settings: a clean deploy check, and a clear refusal without SECRET_KEY."""
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from dotenv import dotenv_values

from tests.live import LiveBackend, free_port

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**clean, **env})


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="k" * 20 + os.urandom(
        24).hex(), ALLOWED_HOSTS="ledger.example.com", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_secret_key_fails_clearly(tmp_path):
    result = manage("check", DEBUG="0", VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_local_run_works_with_nothing_set(tmp_path):
    result = manage("check", DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.returncode == 0 and (tmp_path / "secret_key").exists()


def one_line_refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_production_without_secret_key_is_one_line(tmp_path):
    assert "SECRET_KEY is not set" in one_line_refusal(manage("seed_demo", DEBUG="0", VAR_DIR=str(tmp_path)))


def test_an_unreadable_database_url_is_one_line_naming_the_variable(tmp_path):
    line = one_line_refusal(manage("check", DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_URL="postgress://u:pw@db/x"))
    assert "DATABASE_URL" in line and "pw" not in line


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path):
    port = free_port()  # nothing listens there
    line = one_line_refusal(manage("migrate", DEBUG="1", VAR_DIR=str(tmp_path),
                                   DATABASE_URL=f"postgres://club:hunter22@127.0.0.1:{port}/ledger"))
    assert f"127.0.0.1:{port}/ledger" in line and "DATABASE_URL" in line and "hunter22" not in line


def test_a_command_before_migrate_says_to_migrate(tmp_path):
    line = one_line_refusal(manage("seed_demo", DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_URL=""))  # a new SQLite file
    assert "is not migrated: run `python manage.py migrate`" in line


def test_settings_come_from_the_env_file_and_the_environment_wins(tmp_path):
    env_file = tmp_path / "local.env"
    env_file.write_text("DEBUG=1   # local\nCLUB_NAME=Demo Club\n")
    local = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG, settings.CLUB_NAME)",
                   ENV_FILE=str(env_file), VAR_DIR=str(tmp_path))
    assert local.stdout.splitlines()[-1] == "True Demo Club", local.stdout + local.stderr
    overridden = manage("check", ENV_FILE=str(env_file), VAR_DIR=str(tmp_path), DEBUG="0")
    assert "SECRET_KEY is not set" in one_line_refusal(overridden)


def test_help_lists_the_project_commands_and_each_has_help(tmp_path):
    listing = manage("help", DEBUG="1", VAR_DIR=str(tmp_path)).stdout
    commands = ["seed_demo", "check_ledger", "run_bot", "import_sheets", "sync_sheets"]
    assert all(f"    {command}\n" in listing for command in commands), listing
    for command in commands:
        result = manage(command, "--help", DEBUG="1", VAR_DIR=str(tmp_path))
        assert result.returncode == 0 and "usage:" in result.stdout, result.stderr


def test_the_web_server_says_where_to_go_and_logs_in_utc(tmp_path):
    with LiveBackend(api_token="t" * 24, admin_ids=[]) as backend:
        with urllib.request.urlopen(f"{backend.url}/", timeout=10) as response:
            assert response.url == f"{backend.url}/admin/login/?next=/admin/"
        log = backend.log()
    assert f"Django admin {backend.url}/admin/ , GraphiQL {backend.url}/graphql/" in log
    assert "Next: `make seed`" in log
    times = re.findall(r"^time=(\S+) ", log, flags=re.MULTILINE)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", time) for time in times), log


def test_the_web_server_stays_up_and_says_once_that_the_database_is_unreachable(tmp_path):
    port, db_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_URL=f"postgres://club:hunter22@127.0.0.1:{db_port}/ledger")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in server.stderr:  # gunicorn logs the ready lines before its workers answer
            lines.append(line)
            if "Control socket" in line or "Booting worker" in line:
                break
        with pytest.raises(urllib.error.HTTPError) as health:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.value.code == 503
    finally:
        server.terminate()
        server.wait(timeout=20)
    [warning] = [line for line in lines if "level=WARNING" in line]
    assert f"cannot reach the database (postgresql at 127.0.0.1:{db_port}/ledger)" in warning
    assert "hunter22" not in "".join(lines) and "Traceback" not in "".join(lines)


def test_the_first_local_run_writes_a_dotenv_with_debug_on_and_says_so(tmp_path):
    for name in ("Makefile", ".env.example"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    result = subprocess.run(["make", "--no-print-directory", "-s", ".env"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "Created .env from .env.example with DEBUG=1" in result.stdout
    values = dotenv_values(tmp_path / ".env")
    assert values["DEBUG"] == "1" and values["SECRET_KEY"] == ""
    assert set(values) == set(dotenv_values(tmp_path / ".env.example"))
    again = subprocess.run(["make", "-s", ".env"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "Created" not in again.stdout  # an existing .env is the developer's: left alone
