"""A real backend in a subprocess: gunicorn on 127.0.0.1 with its own database.

The test database of pytest-django lives inside the test process (in memory
on SQLite, in a transaction on PostgreSQL), so a server in another process gets
a database of its own: a fresh PostgreSQL database beside the test one when
DATABASE_URL is PostgreSQL, a temporary SQLite file otherwise.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveBackend:
    def __init__(self, *, api_token: str, admin_ids: list[int], workers: int = 2, extra_env: dict | None = None):
        self.api_token = api_token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.graphql_url = f"{self.url}/graphql/"
        self.workers = workers
        self.tmp = tempfile.TemporaryDirectory(prefix="ledger-live-")
        self.database_url, self._drop = self._database()
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "live-test-" + uuid.uuid4().hex,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "API_TOKEN": api_token,
            "ADMIN_USER_ID": ",".join(str(i) for i in admin_ids),
            "VAR_DIR": self.tmp.name,
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    def _database(self):
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith(("postgres://", "postgresql://")):
            import psycopg
            config = dj_database_url.parse(base)
            name = f"ledger_live_{uuid.uuid4().hex[:10]}"
            admin_dsn = base.rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin_dsn, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')

            def drop():
                with psycopg.connect(admin_dsn, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            assert config["NAME"]
            return base.rsplit("/", 1)[0] + "/" + name, drop
        return f"sqlite:///{self.tmp.name}/live.sqlite3", lambda: None

    def manage(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self) -> "LiveBackend":
        self.manage("migrate", "--noinput")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "config/gunicorn.py",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=open(Path(self.tmp.name) / "gunicorn.log", "w"),
            start_new_session=True)
        self.wait_until_up()
        return self

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: {self.log()}")

    def log(self) -> str:
        return (Path(self.tmp.name) / "gunicorn.log").read_text()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        self._drop()
        self.tmp.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
