"""Live support as the event feed tells it: each message to the other side, and every button kept true.

Which messages carry a session's buttons is recorded in the backend (recordAdminMessages, kind
"support"), one per chat: the latest message to each admin, and the latest to the player (its End
button). Sending a newer message first clears the buttons of the older one, so each chat has one
live set; a claim turns the others' buttons into "Taken by ..." and the end of the session clears
them all. A restart therefore changes nothing: buttons are redrawn from what the backend recorded.
"""
from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from botclient import keyboards, texts
from botclient.admins import AdminDirectory
from botclient.api import LedgerApi
from botclient.languages import LanguageDirectory
from botclient.records import Event, SupportSession

logger = logging.getLogger("botclient.support")
KIND = "support"


def admin_buttons(session: SupportSession, admin: int) -> InlineKeyboardMarkup | None:
    """An admin's buttons for the session as it is now."""
    if session.state == "WAITING":
        return keyboards.support_waiting(session.id)
    if session.state == "ACTIVE":
        return (keyboards.support_agent(session.id) if admin == session.agent_telegram_id
                else keyboards.support_taken_by(session.id, session.agent))
    return None


class SupportDesk:
    def __init__(self, bot: Bot, api: LedgerApi, admins: AdminDirectory, languages: LanguageDirectory):
        self.bot, self.api, self.admins, self.languages = bot, api, admins, languages

    async def handle(self, event: Event) -> None:
        payload = event.payload
        session = await self.api.support_session(int(payload["session_id"]))
        if session is None:
            return
        action = event.kind.partition(".")[2]
        if action == "opened":
            await self.opened(session)
        elif action == "message":
            await self.message(session, payload)
        elif action == "claimed":
            await self.claimed(session)
        elif action == "closed":
            await self.closed(session, payload.get("by", ""))

    # --- the events ----------------------------------------------------------------------------

    async def opened(self, session: SupportSession) -> None:
        """Every admin not shown it yet (a repeated event sends nobody a second copy)."""
        shown = {chat for chat, _ in await self.api.admin_messages(KIND, session.id)}
        text = texts.admin_support_opened(session.id, session.user)
        for admin in await self.admins.ids():
            if admin not in shown and admin != session.user.telegram_id:
                await self._send(session, admin, text, None, admin_buttons(session, admin), {})

    async def message(self, session: SupportSession, payload: dict) -> None:
        text, photo = payload.get("text") or "", payload.get("photo") or ""
        shown = dict(await self.api.admin_messages(KIND, session.id))
        player = session.user.telegram_id
        if payload.get("from_admin"):
            t = await self.languages.translator(player)
            await self._send(session, player, texts.support_reply(t, text), photo,
                             keyboards.support_player(t, session.id) if session.is_open else None, shown)
            return
        # Who reads it is as the event says (the session as it was when the player wrote); the buttons are
        # as the session is now, so a message handled after the end carries none.
        view = texts.admin_support_message(session.id, session.user, text)
        agent = payload.get("agent_telegram_id")
        readers = [int(agent)] if payload.get("state") != "WAITING" and agent is not None else await self.admins.ids()
        for admin in readers:
            if admin != player:
                await self._send(session, admin, view, photo, admin_buttons(session, admin), shown)

    async def claimed(self, session: SupportSession) -> None:
        player = session.user.telegram_id
        for chat_id, message_id in await self.api.admin_messages(KIND, session.id):
            if chat_id != player:
                await self._markup(chat_id, message_id, admin_buttons(session, chat_id))
        t = await self.languages.translator(player)
        await self._tell(player, texts.support_taken(t, session.agent))

    async def closed(self, session: SupportSession, by: str) -> None:
        player = session.user.telegram_id
        for chat_id, message_id in await self.api.admin_messages(KIND, session.id):
            await self._markup(chat_id, message_id, None)
        t = await self.languages.translator(player)
        await self._tell(player, texts.support_ended(t, by))
        if session.agent_telegram_id is not None and by != "admin":
            await self._tell(session.agent_telegram_id, texts.admin_support_closed(session.id, session.closed_by))

    # --- Telegram ------------------------------------------------------------------------------

    async def _send(self, session: SupportSession, chat_id: int, text: str, photo: str | None,
                    markup: InlineKeyboardMarkup | None, shown: dict[int, int]) -> None:
        """Send, move the chat's live buttons to the new message, and record it."""
        message: Message | None = None
        try:
            if photo:
                message = await self.bot.send_photo(chat_id, photo, caption=text, reply_markup=markup)
            else:
                message = await self.bot.send_message(chat_id, text, reply_markup=markup)
        except (Forbidden, BadRequest) as error:  # blocked the bot, or never started it
            logger.info("support #%s: could not reach %s: %s", session.id, chat_id, error)
            return
        if chat_id in shown:
            await self._markup(chat_id, shown[chat_id], None)
        if markup is not None:
            await self.api.record_admin_messages(KIND, session.id, [(chat_id, message.message_id)])

    async def _markup(self, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=markup)
        except (Forbidden, BadRequest) as error:  # "not modified", or a message deleted meanwhile
            logger.debug("support buttons of %s in %s left as they are: %s", message_id, chat_id, error)

    async def _tell(self, chat_id: int, text: str) -> None:
        try:
            await self.bot.send_message(chat_id, text)
        except (Forbidden, BadRequest) as error:
            logger.info("could not tell %s about support: %s", chat_id, error)
