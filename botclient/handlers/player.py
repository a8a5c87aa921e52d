"""/start, My account, /help, and what the bot says to anything no flow claimed."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.handlers.common import (
    END, BotContext, answer, consumed, conversation, drop_buttons, menu_markup, reply, reply_with_menu,
)

ASK_PPPOKER = "start.pppoker"


def looks_like_pppoker_id(text: str) -> bool:
    # Only to re-ask at once; the backend's check is the one that counts.
    return text.isascii() and text.isdigit() and len(text) >= 3


async def start(update: Update, context: BotContext):
    tg = update.effective_user
    user = await context.api.upsert_user(tg.id, username=tg.username or "", first_name=tg.first_name or "",
                                         last_name=tg.last_name or "")
    context.admins.remember(user)
    if not user.pppoker_id:
        await reply(update, texts.ASK_PPPOKER, keyboards.only_cancel("start"))
        return ASK_PPPOKER
    await reply(update, texts.welcome(user), keyboards.main_menu(user.is_admin))
    return END


@consumed
async def got_pppoker_id(update: Update, context: BotContext):
    text = update.message.text.strip()
    if not looks_like_pppoker_id(text):
        await reply(update, texts.BAD_PPPOKER)
        return None
    user = await context.api.upsert_user(update.effective_user.id, pppoker_id=text)
    await reply(update, texts.pppoker_saved(user.pppoker_id), keyboards.main_menu(user.is_admin))
    return END


async def my_account(update: Update, context: BotContext):
    overview = await context.api.account_overview(update.effective_user.id)
    if overview is None:
        await reply(update, texts.REFUSALS["NOT_FOUND"])
        return
    context.admins.remember(overview.user)
    await reply(update, texts.account(overview, context.config.tz))


async def show_help(update: Update, context: BotContext):
    text = texts.HELP
    if await context.admins.is_admin(update.effective_user.id):
        text += texts.ADMIN_HELP
    await reply(update, text, await menu_markup(context, update.effective_user.id))


async def nothing_to_cancel(update: Update, context: BotContext):
    if update.callback_query:  # a Cancel button of a flow that already ended
        await answer(update.callback_query, texts.NOTHING_TO_CANCEL)
        await drop_buttons(update.callback_query)
        return
    await reply_with_menu(update, context, texts.NOTHING_TO_CANCEL)


async def not_understood(update: Update, context: BotContext):
    await reply_with_menu(update, context, texts.NOT_UNDERSTOOD)


async def stale_button(update: Update, context: BotContext):
    await answer(update.callback_query, texts.BUTTON_EXPIRED)


def start_conversation():
    return conversation(
        "start",
        entry_points=[CommandHandler("start", start)],
        states={ASK_PPPOKER: [MessageHandler(keyboards.FREE_TEXT, got_pppoker_id)]},
        data_key="start",
    )


def menu_handlers() -> list:
    return [
        MessageHandler(filters.Text([keyboards.ACCOUNT]), my_account),
        CommandHandler("account", my_account),
        MessageHandler(filters.Text([keyboards.HELP]), show_help),
        CommandHandler("help", show_help),
        CommandHandler("cancel", nothing_to_cancel),
        CallbackQueryHandler(nothing_to_cancel, pattern=keyboards.CANCEL_ANY),
    ]


def catch_all_handlers(known_commands: set[str]) -> list:
    """Last of all: only what no flow and no screen claimed gets here."""
    commands = "|".join(sorted(known_commands))
    known = filters.Text(list(keyboards.MENU_BUTTONS)) | (
        filters.COMMAND & filters.Regex(rf"^/({commands})(@\w+)?(\s|$)"))
    return [
        MessageHandler(~known & (filters.TEXT | filters.PHOTO | filters.Document.ALL), not_understood),
        CallbackQueryHandler(stale_button),
    ]
