"""Live support: 💬 Support opens (or finds) the player's session; what they then write goes to the admins.

Whether someone is in a session is the backend's state, not this process's memory, so a restart
keeps every conversation: a message that no flow and no screen took is relayed when its sender has
a session open (an admin: the one they took), and otherwise answered as before. Menu keys and
commands are never relayed. The messages reach the other side through the event feed
(botclient/support.py), in the order they were written.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from botclient import keyboards, texts
from botclient.api import BackendRefusal
from botclient.handlers.common import (
    BotContext, admin_only, answer, drop_buttons, ensure_user, reply, reply_with_menu, tr,
)
from botclient.handlers.player import not_understood

DATA_KEY = "support"  # an admin's session, remembered from their last Reply (the backend has the truth)


async def open_session(update: Update, context: BotContext):
    t = await tr(update, context)
    user = await ensure_user(update, context)
    already = await context.api.open_support_of(user.telegram_id)
    session = already or await context.api.open_support(user.telegram_id)
    text = t._(texts.SUPPORT_STILL_OPEN if already else texts.SUPPORT_OPENED)
    sent = await reply(update, text, keyboards.support_player(t, session.id))
    # The End button is recorded like an admin's, so the session's end clears it even after a restart.
    await context.api.record_admin_messages("support", session.id, [(user.telegram_id, sent.message_id)])


async def player_ends(update: Update, context: BotContext):
    query = update.callback_query
    session_id = int(keyboards.SUPPORT_LEAVE_PATTERN.match(query.data).group(1))
    t = await tr(update, context)
    session = await context.api.support_session(session_id)
    if session is None or session.user.telegram_id != update.effective_user.id or not session.is_open:
        await answer(query, t._(texts.SUPPORT_GONE))
        await drop_buttons(query)
        return
    try:
        await context.api.close_support(session_id)
    except BackendRefusal:  # the admin or the worker ended it a moment ago
        await answer(query, t._(texts.SUPPORT_GONE))
        return
    await answer(query)  # the feed's support.closed says it ended and clears the buttons


async def admin_takes(update: Update, context: BotContext):
    query = update.callback_query
    session_id = int(keyboards.SUPPORT_REPLY_PATTERN.match(query.data).group(1))
    if not await admin_only(update, context):
        return
    try:
        session = await context.api.claim_support(session_id, update.effective_user.id)
    except BackendRefusal as refusal:  # another admin was first: the backend's words say who
        taken_by = refusal.code == "ALREADY_DECIDED" and refusal.message
        await answer(query, refusal.message if taken_by else texts.admin_refusal(refusal), alert=True)
        return
    context.user_data[DATA_KEY] = session.id
    await answer(query, "Taken ✅")
    await reply(update, texts.admin_support_taken(session.id, session.user))


async def admin_ends(update: Update, context: BotContext):
    query = update.callback_query
    session_id = int(keyboards.SUPPORT_END_PATTERN.match(query.data).group(1))
    if not await admin_only(update, context):
        return
    try:
        session = await context.api.close_support(session_id, update.effective_user.id)
    except BackendRefusal as refusal:
        await answer(query, texts.admin_refusal(refusal), alert=True)
        return
    if context.user_data.get(DATA_KEY) == session.id:
        context.user_data.pop(DATA_KEY, None)
    await answer(query, "Ended ✅")
    await reply(update, texts.admin_support_closed(session.id, session.closed_by))


async def taken(update: Update, context: BotContext):
    await answer(update.callback_query, "Another admin has taken this session.")


async def _agent_session(context: BotContext, admin: int) -> int | None:
    """The session this admin is answering: the one they last took, else the newest they still have."""
    remembered = context.user_data.get(DATA_KEY)
    if remembered is not None:
        session = await context.api.support_session(remembered)
        if session is not None and session.state == "ACTIVE" and session.agent_telegram_id == admin:
            return session.id
        context.user_data.pop(DATA_KEY, None)
    mine = await context.api.support_sessions_taken_by(admin)
    return max((s.id for s in mine), default=None)


async def relay(update: Update, context: BotContext):
    """A message nobody else took: to support if its sender is in a session, else "not understood"."""
    message, sender = update.message, update.effective_user.id
    text = (message.caption if message.photo else message.text) or ""
    photo = message.photo[-1].file_id if message.photo else None
    actor, session_id = None, None
    if await context.admins.is_admin(sender):
        session_id = await _agent_session(context, sender)
        actor = sender if session_id is not None else None
    if session_id is None:
        session = await context.api.open_support_of(sender)
        session_id = session.id if session else None
    if session_id is None:
        await not_understood(update, context)
        return
    try:
        await context.api.post_support_message(session_id, text=text or None, photo=photo, actor=actor)
    except BackendRefusal as refusal:
        if actor is not None:
            await reply(update, texts.esc(texts.admin_refusal(refusal)))
        else:
            t = await tr(update, context)
            await reply_with_menu(update, context, t._(texts.SUPPORT_GONE) if refusal.code == "ALREADY_DECIDED"
                                  else texts.refusal(t, refusal), t)


def support_handlers() -> list:
    """Button presses and the Support key; `relay` is the catch-all's (handlers/player.py)."""
    return [
        MessageHandler(keyboards.pressed(keyboards.SUPPORT), open_session),
        CallbackQueryHandler(player_ends, pattern=keyboards.SUPPORT_LEAVE_PATTERN),
        CallbackQueryHandler(admin_takes, pattern=keyboards.SUPPORT_REPLY_PATTERN),
        CallbackQueryHandler(admin_ends, pattern=keyboards.SUPPORT_END_PATTERN),
        CallbackQueryHandler(taken, pattern=keyboards.SUPPORT_TAKEN_PATTERN),
    ]
