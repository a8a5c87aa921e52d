"""What every handler shares: the context with the API, the admin list, replies,
and the rules that keep conversations from stepping on each other.

Conversations live in separate handler groups, so a main-menu press reaches
all of them: the flow in progress ends (without consuming the press) and the
pressed flow starts. A handler that does consume an update raises
ApplicationHandlerStop, so later groups (and the catch-alls) never see it.
"""
from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop, CallbackContext, CallbackQueryHandler, CommandHandler, ConversationHandler, ExtBot,
    MessageHandler, filters,
)
from telegram.warnings import PTBUserWarning

from botclient import keyboards, texts
from botclient.admins import AdminDirectory
from botclient.api import BackendError, BackendRefusal, BackendUnavailable, LedgerApi
from botclient.board import Board
from botclient.config import Config
from botclient.i18n import ENGLISH, Translator, translator
from botclient.languages import LanguageDirectory
from botclient.records import User

logger = logging.getLogger("botclient")
END = ConversationHandler.END


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    @property
    def api(self) -> LedgerApi:
        return self.bot_data["api"]

    @property
    def config(self) -> Config:
        return self.bot_data["config"]

    @property
    def admins(self) -> AdminDirectory:
        return self.bot_data["admins"]

    @property
    def board(self) -> Board:
        return self.bot_data["board"]

    @property
    def broadcaster(self):
        """botclient.broadcasts.Broadcaster"""
        return self.bot_data["broadcaster"]

    @property
    def languages(self) -> LanguageDirectory:
        return self.bot_data["languages"]

    @property
    def english(self) -> Translator:
        """For admins' texts, which stay English."""
        return translator(ENGLISH, self.config.tz)


Callback = Callable[[Update, BotContext], Awaitable[Any]]


def consumed(callback: Callback) -> Callback:
    """The update was input for this handler: hand the new state to the conversation and stop later groups."""
    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext):
        raise ApplicationHandlerStop(await callback(update, context))
    return wrapper


async def reply(update: Update, text: str, reply_markup=None):
    return await update.effective_chat.send_message(text, reply_markup=reply_markup)


async def tr(update: Update, context: BotContext) -> Translator:
    """The person's language, as the backend has it; English while the backend cannot say (not remembered)."""
    try:
        return await context.languages.translator(update.effective_user.id)
    except BackendUnavailable:
        return context.english


async def admin_only(update: Update, context: BotContext) -> bool:
    """Whether the person is an admin; if not they are told (in their language, they are a player).
    The backend checks every admin operation again with actorTelegramId."""
    if await context.admins.is_admin(update.effective_user.id):
        return True
    not_admin = (await tr(update, context))._(texts.NOT_ADMIN)
    if update.callback_query:
        await answer(update.callback_query, not_admin, alert=True)
    else:
        await reply(update, not_admin)
    return False


async def menu_markup(context: BotContext, telegram_id: int, t: Translator):
    try:
        return keyboards.main_menu(t, await context.admins.is_admin(telegram_id))
    except BackendUnavailable:
        return keyboards.main_menu(t, False)


async def reply_with_menu(update: Update, context: BotContext, text: str, t: Translator | None = None):
    t = t or await tr(update, context)
    return await reply(update, text, await menu_markup(context, update.effective_user.id, t))


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press; a query already answered (or too old) is not worth an error."""
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        logger.debug("callback answer failed: %s", error)


async def drop_buttons(query: CallbackQuery) -> None:
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest:
        pass  # already without buttons


async def ensure_user(update: Update, context: BotContext) -> User:
    """The player as the backend knows them, registering on first contact (a flow may start before /start)."""
    tg = update.effective_user
    user = await context.api.user(tg.id)
    if user is None:
        user = await context.api.upsert_user(tg.id, username=tg.username or "", first_name=tg.first_name or "",
                                             last_name=tg.last_name or "")
    context.admins.remember(user)
    context.languages.remember(user)
    return user


# --- conversation plumbing ----------------------------------------------------------

def cancel_for(data_key: str) -> Callback:
    @consumed
    async def cancel(update: Update, context: BotContext):
        context.user_data.pop(data_key, None)
        t = await tr(update, context)
        if update.callback_query:
            await answer(update.callback_query, t._(texts.CANCELLED_TOAST))
            await drop_buttons(update.callback_query)
        await reply_with_menu(update, context, t._(texts.CANCELLED), t)
        return END
    return cancel


def leave_for(data_key: str) -> Callback:
    async def leave(update: Update, context: BotContext):
        """A menu key or command pressed mid-flow: end this flow quietly and let the press start its own."""
        context.user_data.pop(data_key, None)
        return END
    return leave


@consumed
async def use_buttons(update: Update, context: BotContext):
    await reply(update, (await tr(update, context))._(texts.USE_BUTTONS))
    return None


def conversation(name: str, entry_points: list, states: dict, *, data_key: str, leave_on_press: str | None = None):
    """A flow with /cancel and a Cancel button in every state; `data_key` is its slot in user_data.

    `leave_on_press`: a callback data pattern ("" for any button) whose press, when no state of the
    flow claims it, ends the flow without consuming the press, as a menu key does.
    """
    with warnings.catch_warnings():
        # Buttons are tracked per chat on purpose; PTB warns that they are not tracked per message.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return _conversation(name, entry_points, states, data_key, leave_on_press)


def _conversation(name, entry_points, states, data_key, leave_on_press):
    leave_presses = [] if leave_on_press is None else [
        CallbackQueryHandler(leave_for(data_key), pattern=leave_on_press or None)]
    return ConversationHandler(
        entry_points=entry_points,
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancel_for(data_key)),
            CallbackQueryHandler(cancel_for(data_key), pattern=f"^{keyboards.cancel_data(name)}$"),
            MessageHandler(keyboards.MENU_PRESS, leave_for(data_key)),
            *leave_presses,
            MessageHandler(filters.TEXT | filters.PHOTO | filters.Document.ALL, use_buttons),
        ],
        name=name,
        per_user=True,
        per_chat=True,
        allow_reentry=True,
    )


# --- errors -------------------------------------------------------------------------

async def on_error(update: object, context: BotContext) -> None:
    """Whatever a handler let through: tell the person, log the rest, and stop later groups."""
    error = context.error
    t = context.english
    if isinstance(update, Update) and update.effective_user:
        try:
            t = await tr(update, context)
        except BackendError:  # the person is still told, in English
            logger.debug("language unknown while reporting an error", exc_info=True)
    if isinstance(error, BackendUnavailable):
        logger.warning("backend unavailable: %s", error)
        text = t._(texts.UNAVAILABLE)
    elif isinstance(error, BackendRefusal):
        text = texts.refusal(t, error, hours=context.config.counter_hours)
    else:
        logger.error("unhandled error in a handler", exc_info=error)
        text = t._(texts.UNEXPECTED)
    if isinstance(update, Update) and update.effective_chat:
        if update.callback_query:
            await answer(update.callback_query)
        try:
            await update.effective_chat.send_message(text)
        except TelegramError:
            logger.warning("could not tell chat %s about an error", update.effective_chat.id)
    raise ApplicationHandlerStop
