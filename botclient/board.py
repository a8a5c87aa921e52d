"""The admins' board: every admin's message about a request, kept in step with the backend.

A new request is sent to every admin with Approve / Reject buttons, and where
each message went is recorded in the backend (recordAdminMessages), not in
memory, so after any decision (here, in GraphiQL, in the Django admin, before
or after a restart) every admin's copy is redrawn from the backend's state.

Spin wins are shown one message per batch (one spin.won event). The backend
keys admin messages by spin id, so a batch's message is recorded under each
of its wins; a player's batches are contiguous runs of their wins, so walking
from a decided win to its neighbours while they share the message finds the
batch again (a `batchId` on Spin in the backend would make this one query).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from botclient import keyboards, texts
from botclient.admins import AdminDirectory
from botclient.api import LedgerApi
from botclient.i18n import ENGLISH, translator
from botclient.records import CashbackClaim, Credit, Deposit, JoinRequest, Person, SeatRequest, Spin, Withdrawal

logger = logging.getLogger("botclient.board")
TELEGRAM_FILE_ID = re.compile(r"^[A-Za-z0-9_-]{15,}$")
HEX = re.compile(r"^(0x)?[0-9a-fA-F]+$")
HISTORY_PAGE = 100
HISTORY_LIMIT = 1000  # how far back a batch is looked for, in spins of one player


def proof_is_photo(method: str, proof: str) -> bool:
    """A slip's Telegram file id, as opposed to a USDT TXID (hex) or free text."""
    return method.upper() != "USDT" and bool(TELEGRAM_FILE_ID.match(proof)) and not HEX.match(proof)


@dataclass(frozen=True)
class View:
    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: str | None = None


def _harmless(error: BadRequest) -> bool:
    message = str(error).lower()
    return "not modified" in message or "message to edit not found" in message


class Board:
    def __init__(self, bot: Bot, api: LedgerApi, admins: AdminDirectory, tz):
        self.bot, self.api, self.admins = bot, api, admins
        self.english = translator(ENGLISH, tz)  # admins read English

    # --- views ---------------------------------------------------------------------

    def deposit_view(self, deposit: Deposit) -> View:
        photo = deposit.proof if proof_is_photo(deposit.method, deposit.proof) else None
        markup = keyboards.decide("deposit", deposit.id) if deposit.status == "PENDING" else None
        return View(texts.admin_deposit(self.english, deposit, proof_as_photo=bool(photo)), markup, photo)

    def withdrawal_view(self, withdrawal: Withdrawal) -> View:
        markup = keyboards.decide("withdrawal", withdrawal.id) if withdrawal.status == "PENDING" else None
        return View(texts.admin_withdrawal(self.english, withdrawal), markup)

    def seat_view(self, seat: SeatRequest) -> View:
        markup = keyboards.decide("seat", seat.id) if seat.status == "PENDING" else None
        return View(texts.admin_seat(self.english, seat), markup)

    def cashback_view(self, claim: CashbackClaim) -> View:
        markup = keyboards.decide("cashback", claim.id) if claim.status == "PENDING" else None
        return View(texts.admin_cashback(self.english, claim), markup)

    def join_view(self, join: JoinRequest) -> View:
        markup = keyboards.decide("join", join.id) if join.status == "PENDING" else None
        return View(texts.admin_join(self.english, join), markup)

    def credit_view(self, credit: Credit) -> View:
        markup = keyboards.clear_credit(credit.id) if credit.status == "OPEN" else None
        return View(texts.admin_credit(self.english, credit), markup)

    async def view(self, kind: str, request_id: int) -> View | None:
        if kind == "deposit":
            deposit = await self.api.deposit(request_id)
            return self.deposit_view(deposit) if deposit else None
        if kind == "withdrawal":
            withdrawal = await self.api.withdrawal(request_id)
            return self.withdrawal_view(withdrawal) if withdrawal else None
        if kind == "seat":
            seat = await self.api.seat_request(request_id)
            return self.seat_view(seat) if seat else None
        if kind == "cashback":
            claim = await self.api.cashback_claim(request_id)
            return self.cashback_view(claim) if claim else None
        if kind == "join":
            join = await self.api.join_request(request_id)
            return self.join_view(join) if join else None
        if kind == "credit":  # shown in lists only: nothing recorded, the pressed message is redrawn
            credit = await self.api.credit(request_id)
            return self.credit_view(credit) if credit else None
        raise ValueError(f"unknown request kind {kind!r}")

    def spin_view(self, player: Person, batch: list[Spin]) -> View:
        return View(texts.admin_spins(self.english, player, batch), keyboards.decide_spins(batch, player.telegram_id))

    async def player_wins(self, telegram_id: int, spin_ids) -> tuple[Person | None, list[Spin]]:
        """The player's wins, oldest first, reading back through their history until `spin_ids` are all seen."""
        wanted, wins, player, offset = set(spin_ids), [], None, 0
        while offset < HISTORY_LIMIT:
            page = await self.api.spin_history(telegram_id, first=HISTORY_PAGE, offset=offset)
            offset += HISTORY_PAGE
            wins += [s for s in page if s.chips]
            player = player or next((s.user for s in page if s.user), None)
            wanted -= {s.id for s in page}
            if not wanted or len(page) < HISTORY_PAGE:
                break
        return player, sorted(wins, key=lambda s: s.id)

    # --- sending and editing -------------------------------------------------------

    async def send(self, chat_id: int, view: View) -> Message | None:
        try:
            if view.photo:
                try:
                    return await self.bot.send_photo(chat_id, view.photo, caption=view.text, reply_markup=view.markup)
                except BadRequest as error:  # not a usable file id after all: the text still carries the proof
                    logger.warning("slip photo could not be sent to %s: %s", chat_id, error)
            return await self.bot.send_message(chat_id, view.text, reply_markup=view.markup)
        except (Forbidden, BadRequest) as error:  # an admin who never started the bot, or blocked it
            logger.warning("could not reach admin %s: %s", chat_id, error)
            return None

    async def edit(self, chat_id: int, message_id: int, view: View) -> None:
        # A photo message takes a caption edit, a text message a text edit; try the likely one first.
        last = None
        for how in ("caption", "text") if view.photo else ("text", "caption"):
            try:
                if how == "caption":
                    await self.bot.edit_message_caption(chat_id=chat_id, message_id=message_id, caption=view.text,
                                                        reply_markup=view.markup)
                else:
                    await self.bot.edit_message_text(view.text, chat_id=chat_id, message_id=message_id,
                                                     reply_markup=view.markup)
                return
            except Forbidden as error:
                logger.warning("could not edit message %s in %s: %s", message_id, chat_id, error)
                return
            except BadRequest as error:
                if _harmless(error):
                    return
                last = error
        logger.warning("could not edit message %s in %s: %s", message_id, chat_id, last)

    # --- what the notifier and the admin handlers call -----------------------------

    async def announce(self, kind: str, request_id: int) -> None:
        """Show a new request to every admin not shown it yet (a repeated event sends no duplicates)."""
        view = await self.view(kind, request_id)
        if view is None:
            return
        shown = {chat for chat, _ in await self.api.admin_messages(kind, request_id)}
        for admin in await self.admins.ids():
            if admin in shown:
                continue
            message = await self.send(admin, view)
            if message is not None:
                await self.api.record_admin_messages(kind, request_id, [(admin, message.message_id)])

    async def announce_report(self, report_id: int | None, text: str) -> None:
        """The daily report to every admin, once: whom it reached is recorded under the report's id."""
        shown = {chat for chat, _ in await self.api.admin_messages("report", report_id)} if report_id else set()
        for admin in await self.admins.ids():
            if admin in shown:
                continue
            message = await self.send(admin, View(text))
            if message is not None and report_id:
                await self.api.record_admin_messages("report", report_id, [(admin, message.message_id)])

    async def refresh(self, kind: str, request_id: int, *, also: tuple[int, int] | None = None) -> View | None:
        """Redraw every admin's message of a request from the backend; `also`: a message not recorded (a list)."""
        view = await self.view(kind, request_id)
        if view is None:
            return None
        messages = await self.api.admin_messages(kind, request_id)
        for chat_id, message_id in _with(messages, also):
            await self.edit(chat_id, message_id, view)
        return view

    async def announce_spins(self, telegram_id: int, spin_ids: list[int]) -> None:
        """One message per admin for one batch of wins (one spin.won event)."""
        player, wins = await self.player_wins(telegram_id, spin_ids)
        batch = [s for s in wins if s.id in set(spin_ids)]
        if player is None or not batch:
            return
        view = self.spin_view(player, batch)
        shown = {chat for chat, _ in await self.api.admin_messages("spin", batch[0].id)}
        for admin in await self.admins.ids():
            if admin in shown:
                continue
            message = await self.send(admin, view)
            if message is None:
                continue
            for spin in batch:
                await self.api.record_admin_messages("spin", spin.id, [(admin, message.message_id)])

    async def refresh_spins(self, telegram_id: int, spin_ids: list[int], *, also: tuple[int, int] | None = None,
                            also_ids: list[int] | None = None) -> None:
        """Redraw every recorded batch message holding one of `spin_ids`.

        `also` is a message that is not recorded (a pending list); it shows the wins `also_ids`.
        """
        player, wins = await self.player_wins(telegram_id, [*spin_ids, *(also_ids or [])])
        if player is None:
            return
        position = {s.id: i for i, s in enumerate(wins)}
        seen: dict[int, set] = {}

        async def messages_of(index: int) -> set:
            spin_id = wins[index].id
            if spin_id not in seen:
                seen[spin_id] = set(await self.api.admin_messages("spin", spin_id))
            return seen[spin_id]

        covered, edited = set(), set()
        for spin_id in sorted(set(spin_ids)):
            if spin_id in covered or spin_id not in position:
                continue
            first = last = position[spin_id]
            messages = await messages_of(first)
            if messages:
                while first > 0 and await messages_of(first - 1) & messages:
                    first -= 1
                while last + 1 < len(wins) and await messages_of(last + 1) & messages:
                    last += 1
            batch = wins[first:last + 1]
            covered.update(s.id for s in batch)
            view = self.spin_view(player, batch)
            for chat_id, message_id in sorted(messages):
                await self.edit(chat_id, message_id, view)
            edited |= messages
        if also is not None and also not in edited:
            shown = [wins[position[i]] for i in sorted(set(also_ids or spin_ids)) if i in position]
            if shown:
                await self.edit(*also, self.spin_view(player, shown))


def _with(messages: list[tuple[int, int]], also: tuple[int, int] | None) -> list[tuple[int, int]]:
    return messages if also is None or also in messages else [*messages, also]
