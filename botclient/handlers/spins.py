"""Free Spins: the balance, buttons for what the player can afford, one summary per batch, the odds.

No conversation is needed: each spin menu carries a nonce in its callback
data, and the idempotency key is built from it, so a double tap (or a retry
after the backend was away) spends the spins once and shows the same result.
"""
from __future__ import annotations

import secrets

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.api import BackendRefusal, BackendUnavailable
from botclient.handlers.common import BotContext, answer, drop_buttons, ensure_user, reply


def spin_menu(available: int):
    return keyboards.spin_choices(available, secrets.token_hex(4)) if available else None


async def show(update: Update, context: BotContext):
    user = await ensure_user(update, context)
    available = user.spin_account.available_spins if user.spin_account else 0
    await reply(update, texts.spins_menu(available), spin_menu(available))


async def spin(update: Update, context: BotContext):
    query = update.callback_query
    nonce, wanted = keyboards.SPIN_PATTERN.match(query.data).groups()
    user_id = update.effective_user.id
    count = None if wanted == "all" else int(wanted)
    try:
        batch = await context.api.process_spin(user_id, count, f"spin:{user_id}:{nonce}:{wanted}")
    except BackendUnavailable:
        await answer(query, texts.UNAVAILABLE, alert=True)  # the buttons stay: the same press retries safely
        return
    except BackendRefusal as refusal:
        await answer(query)
        await drop_buttons(query)
        account = await context.api.spin_account(user_id)
        available = account.available_spins if account else 0
        await reply(update, f"{texts.refusal(refusal)}\n{texts.spins_menu(available)}", spin_menu(available))
        return
    await answer(query)
    await drop_buttons(query)
    spun = len(batch.spins)
    await reply(update, texts.spin_result(spun, batch.wins, batch.chips_won, batch.spins_left),
                spin_menu(batch.spins_left))


async def odds(update: Update, context: BotContext):
    await answer(update.callback_query)
    await reply(update, texts.odds(await context.api.prize_table()))


async def close(update: Update, context: BotContext):
    await answer(update.callback_query)
    await drop_buttons(update.callback_query)


def spin_handlers() -> list:
    return [
        MessageHandler(filters.Text([keyboards.SPINS]), show),
        CommandHandler("spins", show),
        CallbackQueryHandler(spin, pattern=keyboards.SPIN_PATTERN),
        CallbackQueryHandler(odds, pattern=f"^{keyboards.ODDS}$"),
        CallbackQueryHandler(close, pattern=f"^{keyboards.CLOSE_SPINS}$"),
    ]
