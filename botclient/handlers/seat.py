"""Seat on credit: amount -> summary -> Confirm -> "sent"; the chips are loaded when an admin approves.

Who may ask (a PPPoker id on file, no open credit, one pending at a time) is the backend's rule; what
the bot can know before the player types anything (no PPPoker id, a credit still open) it says up
front, and whatever the backend refuses at Confirm is told from its code. Paying for an approved seat
is the deposit flow (handlers/deposit.py, the Pay buttons).
"""
from __future__ import annotations

import uuid

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from botclient import keyboards, texts
from botclient.handlers import flow
from botclient.handlers.common import END, BotContext, consumed, conversation, ensure_user, reply, reply_with_menu, tr

FLOW = flow.RequestFlow("seat", "seat")


async def start(update: Update, context: BotContext):
    t = await tr(update, context)
    user = await ensure_user(update, context)
    if not user.pppoker_id:
        await reply_with_menu(update, context, t._(texts.SEAT_NEEDS_PPPOKER), t)
        return END
    if user.open_credit is not None:
        methods = await context.api.payment_methods()
        text = texts.credit_open(t, user.open_credit) + "\n\n" + texts.accounts(t, methods)
        await reply(update, text, keyboards.pay_credit(t, methods, user.open_credit.id))
        return END
    # saved_pppoker: the id is on file already, so the shared submit step has nothing to remember.
    context.user_data[FLOW.kind] = {"pppoker_id": user.pppoker_id, "saved_pppoker": user.pppoker_id}
    await reply(update, t._(texts.ASK_SEAT_AMOUNT), keyboards.only_cancel(t, FLOW.kind))
    return flow.AMOUNT


@consumed
async def got_amount(update: Update, context: BotContext):
    t = await tr(update, context)
    amount = flow.parse_amount(update.message.text)
    if amount is None:
        await reply(update, t._(texts.BAD_AMOUNT))
        return None
    data = FLOW.data(context)
    data["amount"] = amount
    data["key"] = uuid.uuid4().hex  # made with the summary: pressing Confirm again sends the same request
    await reply(update, texts.seat_summary(t, data), keyboards.confirm(t, FLOW.kind))
    return flow.CONFIRM


@consumed
async def confirmed(update: Update, context: BotContext):
    user_id = update.effective_user.id

    async def create(data: dict):
        return await context.api.create_seat_request(telegram_id=user_id, amount=data["amount"],
                                                     idempotency_key=f"seat:{user_id}:{data['key']}")

    return await FLOW.submit(update, context, create, texts.seat_submitted, refused=texts.seat_refusal)


def seat_conversation():
    return conversation(
        FLOW.kind,
        entry_points=[MessageHandler(keyboards.pressed(keyboards.SEAT), start), CommandHandler("seat", start)],
        states={
            flow.AMOUNT: [MessageHandler(keyboards.FREE_TEXT, got_amount)],
            flow.CONFIRM: [CallbackQueryHandler(confirmed, pattern=rf"^{keyboards.CONFIRM}$")],
        },
        data_key=FLOW.kind,
    )
