"""Deposit: method -> account details and rate -> amount -> account name -> slip photo
(or TXID for USDT) -> PPPoker id -> summary -> Confirm."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.handlers import flow
from botclient.handlers.common import BotContext, consumed, conversation, reply, tr

FLOW = flow.RequestFlow("deposit", "dep")
PREFIX = FLOW.prefix


async def start(update: Update, context: BotContext):
    return await FLOW.begin(update, context, (await tr(update, context))._(texts.CHOOSE_DEPOSIT_METHOD))


@consumed
async def chose_method(update: Update, context: BotContext):
    return await FLOW.choose_method(update, context, texts.ask_deposit_amount)


@consumed
async def got_amount(update: Update, context: BotContext):
    return await FLOW.take_amount(update, context, lambda t: t._(texts.ASK_ACCOUNT_NAME))


@consumed
async def got_account_name(update: Update, context: BotContext):
    t = await tr(update, context)
    name = flow.clean_text(update.message.text)
    if not name:
        await reply(update, t._(texts.BAD_TEXT))
        return None
    FLOW.data(context)["account_name_paid"] = name  # its length is the backend's rule
    prompt = texts.ASK_TXID if FLOW.method(context).takes_txid else texts.ASK_SLIP
    await reply(update, t._(prompt), keyboards.only_cancel(t, FLOW.kind))
    return flow.PROOF


@consumed
async def got_photo(update: Update, context: BotContext):
    if FLOW.method(context).takes_txid:
        await reply(update, (await tr(update, context))._(texts.TXID_NOT_PHOTO))
        return None
    FLOW.data(context)["proof"] = update.message.photo[-1].file_id  # the largest size
    return await FLOW.ask_pppoker(update, context)


@consumed
async def got_text_proof(update: Update, context: BotContext):
    t = await tr(update, context)
    if not FLOW.method(context).takes_txid:
        await reply(update, t._(texts.SLIP_NOT_TEXT))
        return None
    txid = update.message.text.strip()
    if not txid or " " in txid:
        await reply(update, t._(texts.ASK_TXID))
        return None
    FLOW.data(context)["proof"] = txid
    return await FLOW.ask_pppoker(update, context)


def summary(t, context: BotContext) -> str:
    data = FLOW.data(context)
    return texts.deposit_summary(t, FLOW.method(context), {**data, "account_name": data["account_name_paid"]})


@consumed
async def got_pppoker(update: Update, context: BotContext):
    return await FLOW.take_pppoker(update, context, summary)


@consumed
async def confirmed(update: Update, context: BotContext):
    user_id = update.effective_user.id

    async def create(data: dict):
        return await context.api.create_deposit(
            telegram_id=user_id, amount=data["amount"], method=data["method"],
            account_name=data["account_name_paid"], proof=data["proof"], pppoker_id=data["pppoker_id"],
            idempotency_key=f"deposit:{user_id}:{data['key']}")

    return await FLOW.submit(update, context, create, texts.deposit_submitted)


def deposit_conversation():
    return conversation(
        FLOW.kind,
        entry_points=[MessageHandler(keyboards.pressed(keyboards.DEPOSIT), start), CommandHandler("deposit", start)],
        states={
            flow.METHOD: [CallbackQueryHandler(chose_method, pattern=rf"^{PREFIX}:m:\w+$")],
            flow.AMOUNT: [MessageHandler(keyboards.FREE_TEXT, got_amount)],
            flow.DETAIL: [MessageHandler(keyboards.FREE_TEXT, got_account_name)],
            flow.PROOF: [MessageHandler(filters.PHOTO, got_photo),
                         MessageHandler(keyboards.FREE_TEXT, got_text_proof)],
            flow.PPPOKER: [CallbackQueryHandler(got_pppoker, pattern=rf"^{PREFIX}:pp$"),
                           MessageHandler(keyboards.FREE_TEXT, got_pppoker)],
            flow.CONFIRM: [CallbackQueryHandler(confirmed, pattern=rf"^{keyboards.CONFIRM}$")],
        },
        data_key=FLOW.kind,
    )
