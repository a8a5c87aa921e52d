"""Production settings: a clean deploy check, and a clear refusal without SECRET_KEY."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
