"""Wiring: build_application(config) -> a PTB Application; main() runs it (polling or webhook)."""
from __future__ import annotations

import asyncio
import importlib.util
import logging
import signal
import sys
import time
from collections import Counter

from telegram import Bot, BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseUpdateProcessor, ContextTypes, Defaults

from botclient import texts
from botclient.admins import AdminDirectory
from botclient.api import BackendError, BackendUnavailable, LedgerApi
from botclient.board import Board
from botclient.broadcasts import Broadcaster
from botclient.config import Config, ConfigError
from botclient.handlers import admin, credits, deposit, panel, player, promotions, seat, spins, support, withdrawal
from botclient.handlers.common import BotContext, on_error
from botclient.i18n import ENGLISH, LANGUAGES, translator
from botclient.languages import LanguageDirectory
from botclient.notifications import Notifier
from botclient.support import SupportDesk

logger = logging.getLogger("botclient")

KNOWN_COMMANDS = ({command for command, _ in texts.COMMANDS} | admin.ADMIN_COMMANDS | credits.ADMIN_COMMANDS
                  | panel.PANEL_COMMANDS)
BROADCAST_RATE = 25  # messages a second, all chats together
RETRY_FIRST, RETRY_MAX = 1.0, 60.0  # seconds between start-up checks while Telegram or the backend is away


class PerUserUpdates(BaseUpdateProcessor):
    """Updates of different people run side by side; one person's updates run one at a time, in order.

    ConversationHandler needs its updates one by one per conversation, and every
    conversation here is per user, so this keeps it correct while one slow
    backend call for one player does not hold up everyone else.
    """

    def __init__(self, max_concurrent_updates: int = 64):
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: Counter[int] = Counter()

    async def do_process_update(self, update, coroutine) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            await coroutine
            return
        lock = self._locks.setdefault(user.id, asyncio.Lock())
        self._queued[user.id] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._queued[user.id] -= 1
            if not self._queued[user.id]:
                del self._queued[user.id]
                self._locks.pop(user.id, None)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class ClubBot(Application):
    """An Application that also connects to the backend and runs the event feed while it runs,
    whether started by run_polling/run_webhook or step by step (as the tests do)."""

    async def initialize(self) -> None:
        await self.bot_data["api"].connect()
        await super().initialize()

    async def start(self) -> None:
        await super().start()
        tz = self.bot_data["config"].tz
        try:
            for language in LANGUAGES:  # Telegram shows each user the list in their app's language
                t = translator(language, tz)
                await self.bot.set_my_commands([BotCommand(command, t._(description))
                                                for command, description in texts.COMMANDS],
                                               language_code=None if language == ENGLISH else language)
        except TelegramError as error:
            logger.warning("could not set the command list: %s", error)
        self.bot_data["notifier"].start()
        await self.bot_data["broadcaster"].resume()

    async def stop(self) -> None:
        await self.bot_data["notifier"].stop()
        await self.bot_data["broadcaster"].stop()
        await super().stop()

    async def shutdown(self) -> None:
        await super().shutdown()
        await self.bot_data["api"].close()


def build_application(config: Config, *, api: LedgerApi | None = None) -> ClubBot:
    api = api or LedgerApi(config.api_url, config.api_token, timeout=config.api_timeout)
    application = (
        ApplicationBuilder()
        .application_class(ClubBot)
        .token(config.bot_token)
        .base_url(config.telegram_base_url)
        .base_file_url(config.file_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        # Telegram's bulk limit is about 30 messages a second; 25 leaves room for the replies to players.
        .rate_limiter(AIORateLimiter(overall_max_rate=BROADCAST_RATE, overall_time_period=1, max_retries=3))
        .concurrent_updates(PerUserUpdates())
        .build()
    )
    admins = AdminDirectory(api)
    languages = LanguageDirectory(api, config.tz)
    board = Board(application.bot, api, admins, config.tz)
    broadcaster = Broadcaster(application.bot, api, board)
    application.bot_data.update(
        api=api, config=config, admins=admins, board=board, languages=languages, broadcaster=broadcaster,
        notifier=Notifier(application.bot, api, board, languages, interval=config.events_interval,
                          desk=SupportDesk(application.bot, api, admins, languages), broadcaster=broadcaster),
    )
    # One conversation per group, so a menu press reaches every one of them (see handlers/common.py).
    application.add_handler(admin.reject_conversation(), group=0)
    application.add_handler(panel.panel_conversation(), group=1)
    application.add_handler(player.start_conversation(), group=2)
    application.add_handler(deposit.deposit_conversation(), group=3)
    application.add_handler(withdrawal.withdrawal_conversation(), group=4)
    application.add_handler(seat.seat_conversation(), group=5)
    application.add_handler(promotions.recovery_conversation(), group=6)
    application.add_handler(promotions.join_conversation(), group=7)
    application.add_handlers([*spins.spin_handlers(), *admin.admin_handlers(), *panel.panel_handlers(),
                              *credits.credit_handlers(), *support.support_handlers(),
                              *player.menu_handlers(), *player.catch_all_handlers(KNOWN_COMMANDS, support.relay)],
                             group=8)
    application.add_error_handler(on_error)
    return application


def webhooks_available() -> bool:
    return importlib.util.find_spec("tornado") is not None


class Redacted(logging.Filter):
    """Secrets never reach a log line: PTB names the bot token in some errors, httpx in request URLs."""

    def __init__(self, *secrets: str):
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<hidden>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self._clean(record.getMessage()), None
        if record.exc_info:
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def hide_secrets(config: Config) -> None:
    redacted = Redacted(config.bot_token, config.api_token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacted)


async def what_is_missing(config: Config) -> str | None:
    """None when Telegram accepts the token and the backend accepts the bot; else what to do about it."""
    try:
        async with Bot(config.bot_token, base_url=config.telegram_base_url, base_file_url=config.file_base_url):
            pass  # entering calls getMe, which checks the token
    except InvalidToken:
        return "Telegram refused BOT_TOKEN: set BOT_TOKEN to the token @BotFather gave for this bot"
    except NetworkError:
        return (f"Telegram is not reachable at TELEGRAM_API_BASE_URL={config.telegram_base_url}: "
                "check the network or that setting")
    except TelegramError as error:
        return f"Telegram answered {type(error).__name__}: check BOT_TOKEN and TELEGRAM_API_BASE_URL"
    api = LedgerApi(config.api_url, config.api_token, timeout=config.api_timeout)
    try:
        await api.execute("AdminIds")
    except BackendUnavailable:
        return f"the backend is not answering at API_URL={config.api_url}: start the web server, or fix API_URL"
    except BackendError:
        return "the backend refused the bot: set API_TOKEN to the same value for the web server and the bot"
    finally:
        await api.close()
    return None


def wait_until_ready(config: Config, loop: asyncio.AbstractEventLoop) -> None:
    """Check Telegram and the backend until both answer, with backoff; each new reason is logged once."""
    delay, told = RETRY_FIRST, None
    while (missing := loop.run_until_complete(what_is_missing(config))) is not None:
        if missing != told:
            logger.error("bot waiting: %s; retrying with backoff (up to every %.0fs)", missing, RETRY_MAX)
            told = missing
        time.sleep(delay)
        delay = min(delay * 2, RETRY_MAX)
    if told:
        logger.info("bot ready: Telegram and the backend answer")


def wait_for_the_operator(problem: str) -> int:
    """A setting only a restart can change: say it once and stay up, because process managers such as
    honcho stop the web server and the worker too when one process exits."""
    logger.error("bot off: %s", problem)
    try:
        while True:
            signal.pause()
    except KeyboardInterrupt:
        return 0


def main() -> int:
    if not logging.getLogger().handlers:  # under manage.py, Django's LOGGING is already in place
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # else one line per poll of Telegram and of the feed
    try:
        config = Config.from_env()
    except ConfigError as error:
        return wait_for_the_operator(f"{error}; fix it and restart the bot")
    hide_secrets(config)
    if not config.bot_token:
        logger.warning("bot off: BOT_TOKEN is not set")
        return 0
    if not config.api_token:
        return wait_for_the_operator("BOT_TOKEN is set but API_TOKEN is not; set API_TOKEN to the web server's "
                                     "value and restart the bot")
    if config.webhook_url and not webhooks_available():
        return wait_for_the_operator("BOT_WEBHOOK_URL is set, but webhook mode needs python-telegram-bot[webhooks] "
                                     "(tornado), which is not installed; unset BOT_WEBHOOK_URL to use polling")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # run_polling and run_webhook go on in this loop
    wait_until_ready(config, loop)
    application = build_application(config)
    allowed = ["message", "callback_query"]
    if config.webhook_url:
        logger.info("bot on: webhook %s, listening on %s:%s", config.webhook_url, config.webhook_listen,
                    config.webhook_port)
        application.run_webhook(
            listen=config.webhook_listen, port=config.webhook_port, url_path=config.webhook_path,
            webhook_url=f"{config.webhook_url.rstrip('/')}/{config.webhook_path}",
            secret_token=config.webhook_secret or None, allowed_updates=allowed, bootstrap_retries=-1)
    else:
        logger.info("bot on: long polling %s, backend %s", config.telegram_base_url, config.api_url)
        application.run_polling(allowed_updates=allowed, bootstrap_retries=-1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
