"""Delivering a broadcast: each copy sent once, at Telegram's pace, with the admins' progress in place.

The backend fixed the recipients when the broadcast was made and hands out the ones not recorded
yet (broadcastRecipients). Each copy's outcome is recorded right after it is sent, before the next
one goes, so a bot that stops anywhere resumes with exactly the copies nobody recorded: at most the
one in flight is sent twice. The pace is the application's AIORateLimiter (25 messages a second,
RetryAfter waited out and retried); a RetryAfter that outlasts its retries is waited out here.

The admins' progress messages are recorded in the backend (recordAdminMessages, kind
"broadcast") and edited, at most every PROGRESS_EVERY seconds, from the broadcast's own counts.
"""
from __future__ import annotations

import asyncio
import logging
import time

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from botclient import keyboards, texts
from botclient.api import BackendError, BackendUnavailable, LedgerApi
from botclient.board import Board, View
from botclient.records import Broadcast

logger = logging.getLogger("botclient.broadcasts")
KIND = "broadcast"
PAGE = 100
PROGRESS_EVERY = 2.0  # seconds between edits of the progress messages
MAX_BACKOFF = 30.0
STOP_WAIT = 10.0  # seconds a stop waits for the copy in flight


class Broadcaster:
    def __init__(self, bot: Bot, api: LedgerApi, board: Board):
        self.bot, self.api, self.board = bot, api, board
        self._tasks: dict[int, asyncio.Task] = {}
        self._stopping = False

    # --- lifecycle -----------------------------------------------------------------------------

    def deliver(self, broadcast_id: int) -> None:
        """Start delivering, unless this process already is (a repeated event, a resume)."""
        task = self._tasks.get(broadcast_id)
        if task is None or task.done():
            self._tasks[broadcast_id] = asyncio.create_task(self._deliver(broadcast_id),
                                                            name=f"broadcast-{broadcast_id}")

    async def resume(self) -> None:
        """After a start: go on with every broadcast still sending."""
        try:
            for broadcast in await self.api.sending_broadcasts():
                self.deliver(broadcast.id)
        except BackendError as error:  # the broadcast.created events still pending will start them
            logger.warning("could not look for broadcasts to resume: %s", error)

    async def stop(self) -> None:
        """Let the copy in flight be sent and recorded, then stop: a clean stop repeats nothing."""
        self._stopping = True
        tasks = [task for task in self._tasks.values() if not task.done()]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=STOP_WAIT)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        self._stopping = False

    # --- delivering ----------------------------------------------------------------------------

    async def _deliver(self, broadcast_id: int) -> None:
        backoff = 1.0
        while not self._stopping:
            try:
                await self._send_all(broadcast_id)
                return
            except asyncio.CancelledError:
                raise
            except (BackendUnavailable, NetworkError) as error:
                logger.warning("broadcast %s paused, retrying in %.0fs: %s", broadcast_id, backoff, error)
            except Exception:
                logger.exception("broadcast %s failed; retrying", broadcast_id)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def _send_all(self, broadcast_id: int) -> None:
        broadcast = await self.api.broadcast(broadcast_id)
        if broadcast is None:
            return
        shown = 0.0
        while broadcast.state == "SENDING":
            recipients = await self.api.broadcast_recipients(broadcast_id, first=PAGE)
            if not recipients:
                break
            for chat_id in recipients:
                if self._stopping:
                    return
                outcome, error = await self._send_one(broadcast, chat_id)
                broadcast = await self._record(broadcast_id, chat_id, outcome, error)
                if time.monotonic() - shown >= PROGRESS_EVERY:
                    await self.show(broadcast)
                    shown = time.monotonic()
                if broadcast.state != "SENDING":  # cancelled meanwhile, or that was the last copy
                    break
        await self.show(await self.api.broadcast(broadcast_id) or broadcast)

    async def _send_one(self, broadcast: Broadcast, chat_id: int) -> tuple[str, str | None]:
        text = texts.esc(broadcast.text)
        while True:
            try:
                if broadcast.photo:
                    await self.bot.send_photo(chat_id, broadcast.photo, caption=text or None)
                else:
                    await self.bot.send_message(chat_id, text)
                return "SENT", None
            except RetryAfter as error:  # past the rate limiter's own retries: wait as Telegram says
                await asyncio.sleep(_seconds(error.retry_after))
            except Forbidden as error:  # blocked the bot (or deactivated): marked, skipped from now on
                return "BLOCKED", str(error)[:500]
            except BadRequest as error:  # e.g. never started the bot: this copy cannot be delivered
                return "FAILED", str(error)[:500]
            except NetworkError:
                raise  # not known to have arrived or not: the round is retried, this copy with it
            except TelegramError as error:
                return "FAILED", str(error)[:500]

    async def _record(self, broadcast_id: int, chat_id: int, outcome: str, error: str | None) -> Broadcast:
        """Record one outcome, retrying while the backend is away: the copy went, it must not go again."""
        backoff = 0.5
        while True:
            try:
                return await self.api.record_broadcast_deliveries(broadcast_id, [(chat_id, outcome, error)])
            except BackendUnavailable as unavailable:
                logger.warning("broadcast %s: recording %s waits %.1fs: %s", broadcast_id, chat_id, backoff,
                               unavailable)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    # --- the admins' progress ------------------------------------------------------------------

    def view(self, broadcast: Broadcast) -> View:
        markup = keyboards.broadcast_progress(broadcast.id) if broadcast.state == "SENDING" else None
        return View(texts.broadcast_progress(broadcast), markup)

    async def show(self, broadcast: Broadcast) -> None:
        view = self.view(broadcast)
        for chat_id, message_id in await self.api.admin_messages(KIND, broadcast.id):
            await self.board.edit(chat_id, message_id, view)

    async def refresh(self, broadcast_id: int) -> None:
        broadcast = await self.api.broadcast(broadcast_id)
        if broadcast is not None:
            await self.show(broadcast)


def _seconds(retry_after) -> float:
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else float(retry_after)
