"""Free Spins: the balance, buttons for what the player can afford, one summary per batch, the odds.

No conversation is needed: each spin menu carries a nonce in its callback
data, and the idempotency key is built from it, so a double tap (or a retry
after the backend was away) spends the spins once and shows the same result.
"""
from __future__ import annotations

import secrets

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from botclient import keyboards, texts
from botclient.api import BackendRefusal, BackendUnavailable
from botclient.handlers.common import BotContext, answer, drop_buttons, ensure_user, reply, tr
from botclient.i18n import Translator


def spin_menu(t: Translator, available: int, context: BotContext):
    """Nothing to press without spins, but the wheel where there is one: it shows the odds and the
    fairness details too."""
    url = context.config.miniapp_url
    return keyboards.spin_choices(t, available, secrets.token_hex(4), url) if available or url else None


async def show(update: Update, context: BotContext):
    user = await ensure_user(update, context)
    t = await tr(update, context)
    available = user.spin_account.available_spins if user.spin_account else 0
    await reply(update, texts.spins_menu(t, available), spin_menu(t, available, context))


async def spin(update: Update, context: BotContext):
    query = update.callback_query
    nonce, wanted = keyboards.SPIN_PATTERN.match(query.data).groups()
    user_id = update.effective_user.id
    t = await tr(update, context)
    count = None if wanted == "all" else int(wanted)
    try:
        batch = await context.api.process_spin(user_id, count, f"spin:{user_id}:{nonce}:{wanted}")
    except BackendUnavailable:
        await answer(query, t._(texts.UNAVAILABLE), alert=True)  # the buttons stay: the same press retries safely
        return
    except BackendRefusal as refusal:
        await answer(query)
        await drop_buttons(query)
        account = await context.api.spin_account(user_id)
        available = account.available_spins if account else 0
        told = texts.refusal(t, refusal, hours=context.config.counter_hours)
        await reply(update, f"{told}\n{texts.spins_menu(t, available)}",
                    spin_menu(t, available, context))
        return
    await answer(query)
    await drop_buttons(query)
    spun = len(batch.spins)
    await reply(update, texts.spin_result(t, spun, batch.wins, batch.chips_won, batch.spins_left),
                spin_menu(t, batch.spins_left, context))


async def odds(update: Update, context: BotContext):
    await answer(update.callback_query)
    version, prizes = await context.api.prize_table()
    await reply(update, texts.odds(await tr(update, context), prizes, version))


async def fairness(update: Update, context: BotContext):
    """The Verify screen; `/fair <seed>` first sets the player's own client seed."""
    t = await tr(update, context)
    user_id = update.effective_user.id
    if update.callback_query:
        await answer(update.callback_query)
    await ensure_user(update, context)
    try:
        if context.args:
            fair = await context.api.set_client_seed(user_id, " ".join(context.args))
        else:
            fair = await context.api.fairness(user_id)
    except BackendUnavailable:
        await reply(update, t._(texts.UNAVAILABLE))
        return
    except BackendRefusal as refusal:
        await reply(update, texts.refusal(t, refusal))
        return
    await reply(update, texts.fairness(t, fair), keyboards.fairness(t))


async def reveal(update: Update, context: BotContext):
    query = update.callback_query
    t = await tr(update, context)
    try:
        fair = await context.api.rotate_server_seed(update.effective_user.id)
    except BackendUnavailable:
        await answer(query, t._(texts.UNAVAILABLE), alert=True)
        return
    except BackendRefusal as refusal:
        await answer(query, texts.refusal(t, refusal), alert=True)
        return
    await answer(query)
    await drop_buttons(query)
    await reply(update, texts.fairness(t, fair), keyboards.fairness(t))


async def close(update: Update, context: BotContext):
    await answer(update.callback_query)
    await drop_buttons(update.callback_query)


def spin_handlers() -> list:
    return [
        MessageHandler(keyboards.pressed(keyboards.SPINS), show),
        CommandHandler("spins", show),
        CallbackQueryHandler(spin, pattern=keyboards.SPIN_PATTERN),
        CallbackQueryHandler(odds, pattern=f"^{keyboards.ODDS}$"),
        CommandHandler("fair", fairness),
        CallbackQueryHandler(fairness, pattern=f"^{keyboards.FAIRNESS}$"),
        CallbackQueryHandler(reveal, pattern=f"^{keyboards.REVEAL_SEED}$"),
        CallbackQueryHandler(close, pattern=f"^{keyboards.CLOSE_SPINS}$"),
    ]
