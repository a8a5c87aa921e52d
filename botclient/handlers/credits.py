"""Admins and seats on credit: the open credits (/credits, and the panel's Open credits button), each
as a card with Clear, and the pending seat requests for a stale button of the old admin menu (the panel
pages through them as one of its queues). handlers/admin.py decides them; Reject and Clear ask a reason
there.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from botclient import keyboards, texts
from botclient.board import View

from botclient.handlers.common import BotContext, admin_only, answer, reply

LIST_LIMIT = 10


async def pending_seat_views(context: BotContext, limit: int = LIST_LIMIT) -> list[View]:
    """Oldest first: the admins' queue."""
    return [context.board.seat_view(seat) for seat in await context.api.pending_seat_requests(limit)]


async def open_credit_views(context: BotContext, limit: int = LIST_LIMIT) -> list[View]:
    """Newest first."""
    return [context.board.credit_view(credit) for credit in await context.api.open_credits(limit)]


async def _show(update: Update, context: BotContext, what: str) -> None:
    views = await (pending_seat_views(context) if what == "seats" else open_credit_views(context))
    kind = "seat" if what == "seats" else "credit"
    if not views:
        await reply(update, texts.NO_PENDING[kind])
        return
    for view in views:
        await context.board.send(update.effective_chat.id, view)
    footer = texts.pending_footer("seat request", len(views)) if kind == "seat" else \
        texts.open_credits_footer(len(views))
    await reply(update, footer)


async def from_menu(update: Update, context: BotContext):
    what = keyboards.CREDITS_MENU_PATTERN.match(update.callback_query.data).group(1)
    if not await admin_only(update, context):
        return
    await answer(update.callback_query)
    await _show(update, context, what)


async def credits_command(update: Update, context: BotContext):
    if await admin_only(update, context):
        await _show(update, context, "credits")


def credit_handlers() -> list:
    return [
        CallbackQueryHandler(from_menu, pattern=keyboards.CREDITS_MENU_PATTERN),
        CommandHandler("credits", credits_command),
    ]


ADMIN_COMMANDS = {"credits"}
