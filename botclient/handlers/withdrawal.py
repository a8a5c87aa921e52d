"""Withdrawal: method -> amount -> account number or wallet -> PPPoker id -> summary -> Confirm.

Whether the player may withdraw (minimum, payout name) is the backend's call;
the summary shows the payout name the backend holds.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.handlers import flow
from botclient.handlers.common import BotContext, consumed, conversation, reply

FLOW = flow.RequestFlow("withdrawal", "wd")
PREFIX = FLOW.prefix


async def start(update: Update, context: BotContext):
    return await FLOW.begin(update, context, texts.CHOOSE_WITHDRAWAL_METHOD)


@consumed
async def chose_method(update: Update, context: BotContext):
    return await FLOW.choose_method(update, context, texts.ask_withdrawal_amount)


@consumed
async def got_amount(update: Update, context: BotContext):
    return await FLOW.take_amount(update, context, texts.ask_account_number(FLOW.method(context)))


@consumed
async def got_account_number(update: Update, context: BotContext):
    number = flow.clean_text(update.message.text)
    if not number:
        await reply(update, texts.BAD_TEXT)
        return None
    FLOW.data(context)["account_number"] = number[:128]
    return await FLOW.ask_pppoker(update, context)


def summary(context: BotContext) -> str:
    data = FLOW.data(context)
    return texts.withdrawal_summary(FLOW.method(context), data, data.get("account_name", ""))


@consumed
async def got_pppoker(update: Update, context: BotContext):
    return await FLOW.take_pppoker(update, context, summary)


@consumed
async def confirmed(update: Update, context: BotContext):
    user_id = update.effective_user.id

    async def create(data: dict):
        return await context.api.create_withdrawal(
            telegram_id=user_id, amount=data["amount"], method=data["method"],
            account_number=data["account_number"], pppoker_id=data["pppoker_id"],
            idempotency_key=f"withdrawal:{user_id}:{data['key']}")

    return await FLOW.submit(update, context, create, texts.withdrawal_submitted)


def withdrawal_conversation():
    return conversation(
        FLOW.kind,
        entry_points=[MessageHandler(filters.Text([keyboards.WITHDRAW]), start), CommandHandler("withdraw", start)],
        states={
            flow.METHOD: [CallbackQueryHandler(chose_method, pattern=rf"^{PREFIX}:m:\w+$")],
            flow.AMOUNT: [MessageHandler(keyboards.FREE_TEXT, got_amount)],
            flow.DETAIL: [MessageHandler(keyboards.FREE_TEXT, got_account_number)],
            flow.PPPOKER: [CallbackQueryHandler(got_pppoker, pattern=rf"^{PREFIX}:pp$"),
                           MessageHandler(keyboards.FREE_TEXT, got_pppoker)],
            flow.CONFIRM: [CallbackQueryHandler(confirmed, pattern=rf"^{keyboards.CONFIRM}$")],
        },
        data_key=FLOW.kind,
    )
