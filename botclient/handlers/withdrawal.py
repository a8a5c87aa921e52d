"""Withdrawal: the rules up front -> method -> amount -> account number or wallet -> PPPoker id ->
summary -> Confirm.

Whether the player may withdraw (minimum, payout name, one pending at a time) is the backend's
call: it is asked first (withdrawalEligibility), so a player who may not withdraw learns it before
typing anything, and one who may reads the minimum and the payout name before choosing.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from botclient import keyboards, texts
from botclient.handlers import flow
from botclient.handlers.common import END, BotContext, consumed, conversation, ensure_user, reply, reply_with_menu, tr

FLOW = flow.RequestFlow("withdrawal", "wd")
PREFIX = FLOW.prefix


async def start(update: Update, context: BotContext):
    t = await tr(update, context)
    await ensure_user(update, context)
    eligibility = await context.api.withdrawal_eligibility(update.effective_user.id)
    if not eligibility.eligible:
        await reply_with_menu(update, context, texts.withdrawal_refused_up_front(t, eligibility), t)
        return END
    return await FLOW.begin(update, context, texts.withdrawal_rules(t, eligibility), minimum=eligibility.minimum)


@consumed
async def chose_method(update: Update, context: BotContext):
    return await FLOW.choose_method(update, context, texts.ask_withdrawal_amount)


@consumed
async def got_amount(update: Update, context: BotContext):
    return await FLOW.take_amount(update, context, lambda t: texts.ask_account_number(t, FLOW.method(context)))


@consumed
async def got_account_number(update: Update, context: BotContext):
    number = flow.clean_text(update.message.text)
    if not number:
        await reply(update, (await tr(update, context))._(texts.BAD_TEXT))
        return None
    FLOW.data(context)["account_number"] = number  # its length is the backend's rule
    return await FLOW.ask_pppoker(update, context)


def summary(t, context: BotContext) -> str:
    data = FLOW.data(context)
    return texts.withdrawal_summary(t, FLOW.method(context), data, data.get("account_name", ""))


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
        entry_points=[MessageHandler(keyboards.pressed(keyboards.WITHDRAW), start),
                      CommandHandler("withdraw", start)],
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
