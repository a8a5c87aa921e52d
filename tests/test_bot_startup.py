"""A bot that cannot work yet says once what to set and waits, retrying, without exiting (honcho would
stop the web server and the worker with it) and without ever printing a secret. Real subprocesses
of `python -m botclient` against the Telegram fake and closed ports on 127.0.0.1."""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from botclient.app import webhooks_available
from tests.fakes.telegram import TelegramFake
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent
SECRET_BOT_TOKEN = "424242:wrong-token-do-not-print"
SECRET_API_TOKEN = "api-token-do-not-print-0123456789"
WAIT = 20


class BotProcess:
    def __init__(self, **env: str):
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "botclient"], cwd=ROOT, text=True, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                           "PYTHONPATH": str(ROOT), **env})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_for_line(self, text: str) -> str:
        deadline = time.monotonic() + WAIT
        with self._cond:
            while True:
                found = next((line for line in self.lines if text in line), None)
                if found or time.monotonic() > deadline:
                    assert found, f"no line with {text!r} in {self.lines}"
                    return found
                self._cond.wait(0.1)

    def stop(self) -> str:
        """Still running (it must not have exited on its own); its whole output."""
        assert self.process.poll() is None, f"the bot exited with {self.process.returncode}: {self.lines}"
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        return "\n".join(self.lines)


@pytest.fixture
def bot_process():
    started = []

    def start(**env):
        started.append(BotProcess(**env))
        return started[-1]
    yield start
    for bot in started:
        if bot.process.poll() is None:
            bot.process.kill()
            bot.process.wait()


def test_bot_token_without_api_token_says_what_to_set_and_stays_up(bot_process):
    bot = bot_process(BOT_TOKEN=SECRET_BOT_TOKEN)
    bot.wait_for_line("API_TOKEN")
    output = bot.stop()
    assert output.count("bot off:") == 1 and "set API_TOKEN" in output
    assert SECRET_BOT_TOKEN not in output and "Traceback" not in output


def test_a_wrong_token_is_retried_with_backoff_logged_once_and_never_printed(bot_process):
    with TelegramFake(bot_token="424242:the-right-token") as fake:
        bot = bot_process(BOT_TOKEN=SECRET_BOT_TOKEN, API_TOKEN=SECRET_API_TOKEN,
                          TELEGRAM_API_BASE_URL=fake.base_url)
        bot.wait_for_line("Telegram refused BOT_TOKEN")
        deadline = time.monotonic() + WAIT
        while fake.unauthorized < 3 and time.monotonic() < deadline:  # the first try and two retries
            time.sleep(0.1)
        assert fake.unauthorized >= 3
        output = bot.stop()
    assert output.count("bot waiting:") == 1 and "@BotFather" in output
    assert SECRET_BOT_TOKEN not in output and "wrong-token" not in output and SECRET_API_TOKEN not in output
    assert "Traceback" not in output


def test_telegram_unreachable_is_one_line_and_the_bot_keeps_trying(bot_process):
    closed = f"http://127.0.0.1:{free_port()}/bot"
    bot = bot_process(BOT_TOKEN=SECRET_BOT_TOKEN, API_TOKEN=SECRET_API_TOKEN, TELEGRAM_API_BASE_URL=closed)
    line = bot.wait_for_line("Telegram is not reachable")
    assert closed in line and "TELEGRAM_API_BASE_URL" in line
    output = bot.stop()
    assert output.count("bot waiting:") == 1 and SECRET_BOT_TOKEN not in output and "Traceback" not in output


def test_an_unreachable_backend_is_named_with_the_setting_to_check(bot_process):
    with TelegramFake(bot_token=SECRET_BOT_TOKEN) as fake:
        api_url = f"http://127.0.0.1:{free_port()}/graphql/"
        bot = bot_process(BOT_TOKEN=SECRET_BOT_TOKEN, API_TOKEN=SECRET_API_TOKEN,
                          TELEGRAM_API_BASE_URL=fake.base_url, API_URL=api_url)
        assert api_url in bot.wait_for_line("the backend is not answering")
        output = bot.stop()
    assert SECRET_BOT_TOKEN not in output and SECRET_API_TOKEN not in output and "Traceback" not in output


@pytest.mark.skipif(webhooks_available(), reason="PTB's webhooks extra is installed here")
def test_webhook_mode_without_its_extra_says_so_and_stays_up(bot_process):
    bot = bot_process(BOT_TOKEN=SECRET_BOT_TOKEN, API_TOKEN=SECRET_API_TOKEN, BOT_WEBHOOK_URL="https://bot.example.com")
    bot.wait_for_line("python-telegram-bot[webhooks]")
    assert SECRET_BOT_TOKEN not in bot.stop()
