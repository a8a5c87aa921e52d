"""Deposit: method -> account details and rate -> amount -> account name -> slip photo
(or TXID for USDT) -> PPPoker id -> summary -> Confirm."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.handlers import flow
from botclient.handlers.common import BotContext, consumed, conversation, reply

FLOW = flow.RequestFlow("deposit", "dep")
PREFIX = FLOW.prefix


async def start(update: Update, context: BotContext):
    return await FLOW.begin(update, context, texts.CHOOSE_DEPOSIT_METHOD)


@consumed
async def chose_method(update: Update, context: BotContext):
    return await FLOW.choose_method(update, context, texts.ask_deposit_amount)


@consumed
async def got_amount(update: Update, context: BotContext):
    return await FLOW.take_amount(update, context, texts.ASK_ACCOUNT_NAME)


@consumed
async def got_account_name(update: Update, context: BotContext):
    name = flow.clean_text(update.message.text)
    if not name:
        await reply(update, texts.BAD_TEXT)
        return None
    FLOW.data(context)["account_name_paid"] = name[:128]
    prompt = texts.ASK_TXID if FLOW.method(context).takes_txid else texts.ASK_SLIP
    await reply(update, prompt, keyboards.only_cancel("deposit"))
    return flow.PROOF


@consumed
async def got_photo(update: Update, context: BotContext):
    if FLOW.method(context).takes_txid:
        await reply(update, texts.TXID_NOT_PHOTO)
        return None
    FLOW.data(context)["proof"] = update.message.photo[-1].file_id  # the largest size
    return await FLOW.ask_pppoker(update, context)


@consumed
async def got_text_proof(update: Update, context: BotContext):
    if not FLOW.method(context).takes_txid:
        await reply(update, texts.SLIP_NOT_TEXT)
        return None
    txid = update.message.text.strip()
    if not txid or " " in txid:
        await reply(update, texts.ASK_TXID)
        return None
    FLOW.data(context)["proof"] = txid
    return await FLOW.ask_pppoker(update, context)


def summary(context: BotContext) -> str:
    data = FLOW.data(context)
    return texts.deposit_summary(FLOW.method(context), {**data, "account_name": data["account_name_paid"]})


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
        entry_points=[MessageHandler(filters.Text([keyboards.DEPOSIT]), start), CommandHandler("deposit", start)],
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
