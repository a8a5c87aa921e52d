"""Wiring: build_application(config) -> a PTB Application; main() runs it (polling or webhook)."""
from __future__ import annotations

import asyncio
import importlib.util
import logging
import sys
from collections import Counter

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseUpdateProcessor, ContextTypes, Defaults

from botclient.api import LedgerApi
from botclient.board import Board
from botclient.config import Config, ConfigError
from botclient.handlers import admin, deposit, player, spins, withdrawal
from botclient.admins import AdminDirectory
from botclient.handlers.common import BotContext, on_error
from botclient.notifications import Notifier

logger = logging.getLogger("botclient")

COMMANDS = [
    BotCommand("start", "Register, or show the menu"),
    BotCommand("deposit", "Load chips"),
    BotCommand("withdraw", "Cash out"),
    BotCommand("spins", "Free spins"),
    BotCommand("account", "My account"),
    BotCommand("help", "How it works"),
    BotCommand("cancel", "Stop what you are doing"),
]
KNOWN_COMMANDS = {c.command for c in COMMANDS} | admin.ADMIN_COMMANDS


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
        try:
            await self.bot.set_my_commands(COMMANDS)
        except TelegramError as error:
            logger.warning("could not set the command list: %s", error)
        self.bot_data["notifier"].start()

    async def stop(self) -> None:
        await self.bot_data["notifier"].stop()
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
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerUserUpdates())
        .build()
    )
    admins = AdminDirectory(api)
    board = Board(application.bot, api, admins, config.tz)
    application.bot_data.update(
        api=api, config=config, admins=admins, board=board,
        notifier=Notifier(application.bot, api, board, interval=config.events_interval),
    )
    # One conversation per group, so a menu press reaches every one of them (see handlers/common.py).
    application.add_handler(admin.reject_conversation(), group=0)
    application.add_handler(player.start_conversation(), group=1)
    application.add_handler(deposit.deposit_conversation(), group=2)
    application.add_handler(withdrawal.withdrawal_conversation(), group=3)
    application.add_handlers([*spins.spin_handlers(), *admin.admin_handlers(), *player.menu_handlers(),
                              *player.catch_all_handlers(KNOWN_COMMANDS)], group=4)
    application.add_error_handler(on_error)
    return application


def webhooks_available() -> bool:
    return importlib.util.find_spec("tornado") is not None


def main() -> int:
    if not logging.getLogger().handlers:  # under manage.py, Django's LOGGING is already in place
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # else one line per poll of Telegram and of the feed
    try:
        config = Config.from_env()
    except ConfigError as error:
        logger.error("bot off: %s", error)
        return 2
    if not config.bot_token:
        logger.warning("bot off: BOT_TOKEN is not set")
        return 0
    if not config.api_token:
        logger.error("bot off: API_TOKEN is not set, and the backend refuses the bot without it")
        return 1
    if config.webhook_url and not webhooks_available():
        logger.error("bot off: BOT_WEBHOOK_URL is set, but webhook mode needs python-telegram-bot[webhooks] "
                     "(tornado), which is not installed; unset BOT_WEBHOOK_URL to use polling")
        return 1
    application = build_application(config)
    allowed = ["message", "callback_query"]
    if config.webhook_url:
        logger.info("bot on: webhook %s, listening on %s:%s", config.webhook_url, config.webhook_listen,
                    config.webhook_port)
        application.run_webhook(
            listen=config.webhook_listen, port=config.webhook_port, url_path=config.webhook_path,
            webhook_url=f"{config.webhook_url.rstrip('/')}/{config.webhook_path}",
            secret_token=config.webhook_secret or None, allowed_updates=allowed)
    else:
        logger.info("bot on: long polling %s, backend %s", config.telegram_base_url, config.api_url)
        application.run_polling(allowed_updates=allowed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
