"""The bot's settings, from the environment only, so `python -m botclient` needs no Django."""
from __future__ import annotations

import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DEFAULT_API_URL = "http://127.0.0.1:8000/graphql/"
DEFAULT_TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_TIME_ZONE = "Indian/Maldives"


class ConfigError(ValueError):
    """A setting that is present but unusable; the message names the variable."""


@dataclass(frozen=True)
class Config:
    bot_token: str
    api_token: str = ""
    api_url: str = DEFAULT_API_URL
    telegram_base_url: str = DEFAULT_TELEGRAM_BASE_URL
    # None: derived from telegram_base_url (".../bot" -> ".../file/bot"), as a self-hosted Bot API serves both.
    telegram_base_file_url: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    api_timeout: float = 10.0
    events_interval: float = 1.0  # seconds between polls of the backend's event feed when it is idle
    webhook_url: str = ""  # empty: long polling
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_path: str = "telegram"
    webhook_secret: str = ""
    miniapp_url: str = ""  # the wheel's Mini App page (https); empty: the Free Spins screen has no wheel button
    # The club's opening hours as players should read them ("10:00-22:00"); empty: not said.
    counter_hours: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def file_base_url(self) -> str:
        if self.telegram_base_file_url:
            return self.telegram_base_file_url
        base = self.telegram_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        env = os.environ if env is None else env

        def text(name: str, default: str = "") -> str:
            return (env.get(name) or "").strip() or default

        def number(name: str, default: float, kind=float):
            raw = text(name)
            if not raw:
                return default
            try:
                value = kind(raw)
            except ValueError:
                raise ConfigError(f"{name}={raw!r} is not a number") from None
            if value <= 0:
                raise ConfigError(f"{name} must be greater than zero")
            return value

        config = cls(
            bot_token=text("BOT_TOKEN"),
            api_token=text("API_TOKEN"),
            api_url=text("API_URL", DEFAULT_API_URL),
            telegram_base_url=text("TELEGRAM_API_BASE_URL", DEFAULT_TELEGRAM_BASE_URL),
            telegram_base_file_url=text("TELEGRAM_API_BASE_FILE_URL") or None,
            time_zone=text("TIME_ZONE", DEFAULT_TIME_ZONE),
            api_timeout=number("BOT_API_TIMEOUT", 10.0),
            events_interval=number("BOT_EVENTS_INTERVAL", 1.0),
            webhook_url=text("BOT_WEBHOOK_URL"),
            webhook_listen=text("BOT_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=number("BOT_WEBHOOK_PORT", 8443, int),
            webhook_path=text("BOT_WEBHOOK_PATH", "telegram").strip("/"),
            webhook_secret=text("BOT_WEBHOOK_SECRET"),
            miniapp_url=text("MINIAPP_URL"),
            counter_hours=text("COUNTER_HOURS"),
        )
        # Telegram opens Mini Apps from https URLs only; a wrong one would fail on every Free Spins screen.
        if config.miniapp_url and not config.miniapp_url.startswith("https://"):
            raise ConfigError(f"MINIAPP_URL={config.miniapp_url!r} must be an https:// URL")
        try:
            ZoneInfo(config.time_zone)
        except Exception:  # ZoneInfoNotFoundError, or a malformed key
            raise ConfigError(f"TIME_ZONE={config.time_zone!r} is not a known time zone") from None
        return config
