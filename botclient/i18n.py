"""The player's language: gettext catalogs (botclient/locale/<lang>/LC_MESSAGES/bot.po), and
numbers and times as Babel formats them for that language.

English is the source language: the msgids are the English texts, so a message without a
Dhivehi translation is read in English, message by message. The `.po` files are the sources;
the `.mo` files gettext reads are built from them (`make messages`, and here on start when one is
missing or older than its `.po`), never committed.

Numbers keep Western digits and the grouping of the club's banking apps in every language
(1,234.50), because that is how the players read amounts and ids.
"""
from __future__ import annotations

import gettext
import logging
import os
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "bot"
ENGLISH = "en"
LANGUAGES = ("en", "dv")  # as the backend's Language enum, lower case: EN, DV
LANGUAGE_NAMES = {"en": "English", "dv": "ދިވެހި"}  # each in its own language, for the picker
WHOLE, MONEY = "#,##0", "#,##0.00"
TIME = "yyyy-MM-dd HH:mm 'UTC'xxx"  # 2026-03-05 14:30 UTC+05:00


def N_(message: str) -> str:
    """Marks a text for the catalog where it is defined; it is translated where it is shown."""
    return message


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Build each missing or stale `.mo` from its `.po`; the ones built."""
    built = []
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name, domain=DOMAIN)
        temporary = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")  # one per process: bots may start together
        with temporary.open("wb") as target:
            write_mo(target, catalog)  # fuzzy and empty entries are left out: they fall back to English
        temporary.replace(mo_path)  # a bot starting beside this one never reads half a file
        built.append(mo_path)
    return built


@cache
def _compiled() -> None:
    try:
        compile_catalogs()
    except OSError as error:  # a read-only install: the .mo files of `make messages` are used as they are
        logger.warning("could not build the message catalogs in %s: %s", LOCALE_DIR, error)


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == ENGLISH:
        return gettext.NullTranslations()
    _compiled()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except OSError:
        logger.warning("no compiled catalog for %r in %s: run `make messages`; English is used", language,
                       LOCALE_DIR)
        return gettext.NullTranslations()


def gettext_in(language: str, message: str) -> str:
    return _catalog(language).gettext(message)


class Translator:
    """Texts, numbers and times in one language, for one time zone."""

    def __init__(self, language: str, tz: ZoneInfo):
        self.language = language if language in LANGUAGES else ENGLISH
        self.tz = tz
        self._messages = _catalog(self.language)

    def _(self, message: str) -> str:
        return self._messages.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._messages.ngettext(singular, plural, count)

    def number(self, value: int | Decimal | None) -> str:
        return "-" if value is None else format_decimal(value, format=WHOLE, locale=self.language)

    def money(self, amount: Decimal | None, currency: str = "") -> str:
        if amount is None:
            return "-"
        return f"{format_decimal(amount, format=MONEY, locale=self.language)} {currency}".strip()

    def percent(self, fraction: float) -> str:
        return format_decimal(fraction * 100, format="0.000", locale=self.language) + "%"

    def time(self, moment: datetime | None) -> str:
        """Club time to the minute, with its offset from UTC, so nobody has to guess the zone."""
        if moment is None:
            return "-"
        return format_datetime(moment, TIME, tzinfo=self.tz, locale=self.language)


@cache
def translator(language: str, tz: ZoneInfo) -> Translator:
    return Translator(language, tz)
