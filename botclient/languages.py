"""Which language each player reads. The backend holds it (User.language, setLanguage); this is only
a per-process cache of what the backend said, so a message does not cost a query each time."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from botclient.api import LedgerApi
from botclient.i18n import ENGLISH, Translator, translator
from botclient.records import User


class LanguageDirectory:
    def __init__(self, api: LedgerApi, tz: ZoneInfo):
        self.api, self.tz = api, tz
        self._known: dict[int, str] = {}

    async def of(self, telegram_id: int) -> str:
        """Raises BackendUnavailable when the backend cannot say: the caller decides what then."""
        if telegram_id not in self._known:
            language = await self.api.language(telegram_id)
            if language is None:
                return ENGLISH  # not registered yet; their first /start asks
            self._known[telegram_id] = language
        return self._known[telegram_id]

    async def translator(self, telegram_id: int) -> Translator:
        return translator(await self.of(telegram_id), self.tz)

    async def choose(self, telegram_id: int, language: str) -> User:
        """Store the choice in the backend first; only what it answered is remembered."""
        user = await self.api.set_language(telegram_id, language)
        self.remember(user)
        return user

    def remember(self, user: User) -> None:
        """The backend just said which language this player reads."""
        self._known[user.telegram_id] = user.language
