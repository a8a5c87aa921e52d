"""The backend's event feed, turned into messages to players and admins.

Exactly once across restarts: the cursor lives in the backend. Each round
reads the events after the acknowledged position (`events(after: null)`),
handles them in id order and acknowledges each one right after handling it.
A crash between sending and acknowledging repeats only that event, and the
admin side of a repeat sends nothing twice (who was shown a request, or the
daily report, is recorded in the backend, and redraws are idempotent). An event that fails
for a passing reason (backend or Telegram unreachable) is retried, never skipped.
"""
from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from botclient import keyboards, texts
from botclient.api import BackendUnavailable, LedgerApi
from botclient.board import Board
from botclient.broadcasts import Broadcaster
from botclient.languages import LanguageDirectory
from botclient.records import Event, Report
from botclient.support import SupportDesk

logger = logging.getLogger("botclient.notifications")
BATCH = 50
MAX_ATTEMPTS = 5  # an event that keeps failing for a non-passing reason is logged and passed over
MAX_BACKOFF = 10.0
# The requests admins decide with buttons, and the payload key of their id.
REQUEST_IDS = {"deposit": "deposit_id", "withdrawal": "withdrawal_id", "seat": "seat_request_id",
               "cashback": "cashback_claim_id", "join": "join_request_id"}


class Notifier:
    def __init__(self, bot: Bot, api: LedgerApi, board: Board, languages: LanguageDirectory, *,
                 interval: float = 1.0, desk: SupportDesk | None = None, broadcaster: Broadcaster | None = None):
        self.bot, self.api, self.board, self.languages, self.interval = bot, api, board, languages, interval
        self.desk, self.broadcaster = desk, broadcaster
        self._task: asyncio.Task | None = None
        self._attempts: dict[int, int] = {}

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="event-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        backoff = self.interval
        while True:
            try:
                handled = await self.drain()
                backoff = self.interval
                if handled < BATCH:
                    await asyncio.sleep(self.interval)
            except asyncio.CancelledError:
                raise
            except (BackendUnavailable, NetworkError, RetryAfter) as error:
                logger.warning("event feed paused, retrying in %.1fs: %s", backoff, error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
            except Exception:
                logger.exception("event feed round failed")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    # --- one round -----------------------------------------------------------------

    async def drain(self) -> int:
        """Handle and acknowledge the pending events, in order; the number handled."""
        events = await self.api.events(first=BATCH)
        for event in events:
            try:
                await self.handle(event)
            except (BackendUnavailable, NetworkError, RetryAfter):
                raise  # passing: the whole round is retried from this event
            except Exception:
                attempts = self._attempts[event.id] = self._attempts.get(event.id, 0) + 1
                if attempts < MAX_ATTEMPTS:
                    raise
                logger.exception("event %s (%s) failed %s times; passing over it", event.id, event.kind, attempts)
            await self.api.ack_events(event.id)
            self._attempts.pop(event.id, None)
        return len(events)

    async def handle(self, event: Event) -> None:
        kind, payload = event.kind, event.payload
        subject, _, action = kind.partition(".")
        if subject in REQUEST_IDS:
            request_id = int(payload[REQUEST_IDS[subject]])
            if action == "created":
                await self.board.announce(subject, request_id)
                return
            await self.board.refresh(subject, request_id)
        elif kind == "spin.won":
            await self.board.announce_spins(event.telegram_id, [int(i) for i in payload.get("spin_ids", [])])
            return
        elif kind in ("spin.approved", "spin.rejected"):
            await self.board.refresh_spins(event.telegram_id, [int(i) for i in payload.get("spin_ids", [])])
        elif kind == "report.daily":
            await self.tell_admins_the_day(payload)
            return
        elif subject == "support":
            if self.desk is not None:
                await self.desk.handle(event)
            return
        elif subject == "broadcast":
            if self.broadcaster is not None:
                broadcast_id = int(payload["broadcast_id"])
                if action == "created":
                    self.broadcaster.deliver(broadcast_id)  # it runs beside the feed, at Telegram's pace
                else:
                    await self.broadcaster.refresh(broadcast_id)
            return
        await self.tell_player(event)

    async def tell_admins_the_day(self, payload: dict) -> None:
        """Yesterday and the month so far, as the worker wrote them at midnight (the figures are the event's)."""
        text = texts.daily_report(self.board.english, payload.get("day", ""), Report.from_figures(payload["yesterday"]),
                                  Report.from_figures(payload["month_to_date"]))
        report_id = payload.get("report_id")
        await self.board.announce_report(int(report_id) if report_id else None, text)

    async def tell_player(self, event: Event) -> None:
        if event.telegram_id is None:
            return
        t = await self.languages.translator(event.telegram_id)
        markup = None
        if event.kind in texts.PAY_NOW_KINDS:
            methods = await self.api.payment_methods()
            text = texts.pay_notice(t, event.kind, event.payload, methods)
            markup = keyboards.pay_credit(t, methods, int(event.payload["credit_id"]))
        else:
            text = texts.player_notice(t, event.kind, event.payload)
        if text is None:
            return
        try:
            await self.bot.send_message(event.telegram_id, text, reply_markup=markup)
        except (Forbidden, BadRequest) as error:  # blocked the bot, or never started it: nobody to tell
            logger.info("player %s not told about event %s: %s", event.telegram_id, event.id, error)

