"""Who the backend counts as an admin, as the bot needs it: often, and cheaply."""
from __future__ import annotations

import time

from botclient.api import BackendUnavailable, LedgerApi
from botclient.records import User

ADMIN_CACHE_SECONDS = 30.0


class AdminDirectory:
    """Who the backend counts as admin, re-read at most every 30 s; a stale list beats none
    while the backend is away (the backend checks every decision anyway)."""

    def __init__(self, api: LedgerApi, ttl: float = ADMIN_CACHE_SECONDS):
        self.api, self.ttl = api, ttl
        self._ids: list[int] = []
        self._read_at = float("-inf")

    async def ids(self) -> list[int]:
        if time.monotonic() - self._read_at > self.ttl:
            try:
                self._ids = await self.api.admin_ids()
                self._read_at = time.monotonic()
            except BackendUnavailable:
                if not self._ids:
                    raise
        return self._ids

    async def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in await self.ids()

    def remember(self, user: User) -> None:
        """The backend just said whether this user is an admin: no need to wait for the cache."""
        if user.is_admin and user.telegram_id not in self._ids:
            self._ids = [*self._ids, user.telegram_id]

    def forget(self) -> None:
        """The admins just changed (added or removed from the panel): read them again on the next question."""
        self._read_at = float("-inf")
