"""/start (language, then PPPoker id), the 🌐 language switch, My account (with an open credit's Pay
buttons), /help, and what the bot says to anything no flow claimed."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.api import BackendRefusal
from botclient.handlers.common import (
    END, BotContext, answer, consumed, conversation, drop_buttons, menu_markup, reply, reply_with_menu, tr,
)

ASK_LANGUAGE, ASK_PPPOKER = "start.language", "start.pppoker"


async def start(update: Update, context: BotContext):
    tg = update.effective_user
    user = await context.api.upsert_user(tg.id, username=tg.username or "", first_name=tg.first_name or "",
                                         last_name=tg.last_name or "")
    context.admins.remember(user)
    context.languages.remember(user)
    if not user.pppoker_id:  # a newcomer: the language first, so everything after it is readable
        await reply(update, texts.CHOOSE_LANGUAGE, keyboards.languages())
        return ASK_LANGUAGE
    t = await tr(update, context)
    await reply(update, texts.welcome(t, user), keyboards.main_menu(t, user.is_admin))
    return END


async def _choose_language(update: Update, context: BotContext):
    query = update.callback_query
    language = keyboards.LANGUAGE_PATTERN.match(query.data).group(1)
    await context.languages.choose(update.effective_user.id, language)
    t = await tr(update, context)
    await answer(query, t._(texts.LANGUAGE_SAVED))
    await drop_buttons(query)
    return t


@consumed
async def chose_first_language(update: Update, context: BotContext):
    t = await _choose_language(update, context)
    await reply(update, t._(texts.ASK_PPPOKER), keyboards.only_cancel(t, "start"))
    return ASK_PPPOKER


@consumed
async def got_pppoker_id(update: Update, context: BotContext):
    t = await tr(update, context)
    try:  # whether it is a valid PPPoker id is the backend's call
        user = await context.api.upsert_user(update.effective_user.id, pppoker_id=update.message.text.strip())
    except BackendRefusal as refusal:
        await reply(update, texts.refusal(t, refusal) + "\n" + t._(texts.ASK_PPPOKER),
                    keyboards.only_cancel(t, "start"))
        return None
    await reply(update, texts.pppoker_saved(t, user.pppoker_id), keyboards.main_menu(t, user.is_admin))
    return END


async def ask_language(update: Update, context: BotContext):
    await reply(update, texts.CHOOSE_LANGUAGE, keyboards.languages())


async def chose_language(update: Update, context: BotContext):
    t = await _choose_language(update, context)
    await reply_with_menu(update, context, t._(texts.LANGUAGE_SAVED) + "\n" + t._(texts.MENU_HINT), t)


async def my_account(update: Update, context: BotContext):
    overview = await context.api.account_overview(update.effective_user.id)
    t = await tr(update, context)
    if overview is None:
        unknown = texts.REFUSALS["NOT_FOUND"]
        await reply(update, t._(unknown))
        return
    context.admins.remember(overview.user)
    credit, markup = overview.user.open_credit, None
    if credit is not None:  # what is owed, with the way to pay it right there
        markup = keyboards.pay_credit(t, await context.api.payment_methods(), credit.id)
    await reply(update, texts.account(t, overview), markup)


async def show_help(update: Update, context: BotContext):
    t = await tr(update, context)
    admin = await context.admins.is_admin(update.effective_user.id)
    await reply(update, texts.help_text(t, admin=admin), await menu_markup(context, update.effective_user.id, t))


async def nothing_to_cancel(update: Update, context: BotContext):
    t = await tr(update, context)
    if update.callback_query:  # a Cancel button of a flow that already ended
        await answer(update.callback_query, t._(texts.NOTHING_TO_CANCEL))
        await drop_buttons(update.callback_query)
        return
    await reply_with_menu(update, context, t._(texts.NOTHING_TO_CANCEL), t)


async def not_understood(update: Update, context: BotContext):
    t = await tr(update, context)
    await reply_with_menu(update, context, t._(texts.NOT_UNDERSTOOD), t)


async def stale_button(update: Update, context: BotContext):
    await answer(update.callback_query, (await tr(update, context))._(texts.BUTTON_EXPIRED))


def start_conversation():
    return conversation(
        "start",
        entry_points=[CommandHandler("start", start)],
        states={ASK_LANGUAGE: [CallbackQueryHandler(chose_first_language, pattern=keyboards.LANGUAGE_PATTERN)],
                ASK_PPPOKER: [MessageHandler(keyboards.FREE_TEXT, got_pppoker_id)]},
        data_key="start",
    )


def menu_handlers() -> list:
    return [
        MessageHandler(keyboards.pressed(keyboards.ACCOUNT), my_account),
        CommandHandler("account", my_account),
        MessageHandler(keyboards.pressed(keyboards.HELP), show_help),
        CommandHandler("help", show_help),
        MessageHandler(keyboards.pressed(keyboards.LANGUAGE), ask_language),
        CommandHandler("language", ask_language),
        CallbackQueryHandler(chose_language, pattern=keyboards.LANGUAGE_PATTERN),
        CommandHandler("cancel", nothing_to_cancel),
        CallbackQueryHandler(nothing_to_cancel, pattern=keyboards.CANCEL_ANY),
    ]


def catch_all_handlers(known_commands: set[str], relay=None) -> list:
    """Last of all: only what no flow and no screen claimed gets here. `relay` takes a text or photo
    first (live support; it answers "not understood" itself when its sender is in no session)."""
    commands = "|".join(sorted(known_commands))
    known = keyboards.MENU_KEYS | (filters.COMMAND & filters.Regex(rf"^/({commands})(@\w+)?(\s|$)"))
    relayed = [MessageHandler(~known & ~filters.COMMAND & (filters.TEXT | filters.PHOTO), relay)] if relay else []
    return [
        *relayed,
        MessageHandler(~known & (filters.TEXT | filters.PHOTO | filters.Document.ALL), not_understood),
        CallbackQueryHandler(stale_button),
    ]
