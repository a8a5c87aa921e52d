"""Deposit: method -> account details and rate -> amount -> account name -> slip photo
(or TXID for USDT) -> PPPoker id -> summary -> Confirm.

A Pay button of an open credit (keyboards.pay_credit) starts the same flow with the method chosen and
the amount set to what the credit owes, and the deposit names the credit: approving it settles it."""
from __future__ import annotations

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.api import BackendUnavailable
from botclient.handlers import flow
from botclient.handlers.common import END, BotContext, answer, consumed, conversation, ensure_user, reply, tr

FLOW = flow.RequestFlow("deposit", "dep")
PREFIX = FLOW.prefix


async def start(update: Update, context: BotContext):
    return await FLOW.begin(update, context, (await tr(update, context))._(texts.CHOOSE_DEPOSIT_METHOD))


@consumed
async def pay_credit(update: Update, context: BotContext):
    query = update.callback_query
    credit_id, code = keyboards.PAY_PATTERN.match(query.data).groups()
    t = await tr(update, context)
    user = await ensure_user(update, context)
    credit = user.open_credit
    if credit is None or credit.id != int(credit_id):  # paid or cleared since the button was sent
        await answer(query, t._(texts.CREDIT_NOT_OPEN), alert=True)
        return END
    methods = {m.code: m for m in await context.api.payment_methods()}
    amount = await context.api.credit_amount_in(credit.id, code) if code in methods else None
    if amount is None:
        await answer(query, t._(texts.BUTTON_EXPIRED), alert=True)
        return END
    await answer(query)
    context.user_data[FLOW.kind] = {"methods": methods, "method": code, "amount": amount, "credit_id": credit.id,
                                    "credit_amount": credit.amount, "saved_pppoker": user.pppoker_id,
                                    "account_name": user.account_name}
    await reply(update, texts.ask_credit_payment(t, methods[code], credit, amount),
                keyboards.only_cancel(t, FLOW.kind))
    return flow.DETAIL


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
    file_id = update.message.photo[-1].file_id  # the largest size
    FLOW.data(context)["proof"] = file_id
    FLOW.data(context)["slip"] = {"file_id": file_id, "filename": "slip.jpg"}
    return await FLOW.ask_pppoker(update, context)


@consumed
async def got_image_file(update: Update, context: BotContext):
    """An image sent as a file: uncompressed, so the slip reads better; the backend checks what it is."""
    if FLOW.method(context).takes_txid:
        await reply(update, (await tr(update, context))._(texts.TXID_NOT_PHOTO))
        return None
    document = update.message.document
    FLOW.data(context)["proof"] = document.file_id
    FLOW.data(context)["slip"] = {"file_id": document.file_id, "filename": document.file_name or "slip"}
    return await FLOW.ask_pppoker(update, context)


async def slip_bytes(context: BotContext, file_id: str) -> bytes:
    """The slip from Telegram, fetched at confirmation (user_data keeps its id, not megabytes)."""
    try:
        telegram_file = await context.bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())
    except NetworkError as error:  # TimedOut too: the same as the backend being away, so the state is kept
        raise BackendUnavailable(f"downloading the slip: {error}") from error


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
        if data.get("slip"):
            return await context.api.create_slip_deposit(
                telegram_id=user_id, amount=data["amount"], method=data["method"],
                account_name=data["account_name_paid"], slip=await slip_bytes(context, data["slip"]["file_id"]),
                filename=data["slip"]["filename"], file_id=data["slip"]["file_id"], pppoker_id=data["pppoker_id"],
                idempotency_key=f"deposit:{user_id}:{data['key']}", credit_id=data.get("credit_id"))
        return await context.api.create_deposit(
            telegram_id=user_id, amount=data["amount"], method=data["method"],
            account_name=data["account_name_paid"], proof=data["proof"], pppoker_id=data["pppoker_id"],
            idempotency_key=f"deposit:{user_id}:{data['key']}", credit_id=data.get("credit_id"))

    return await FLOW.submit(update, context, create, texts.deposit_submitted)


def deposit_conversation():
    return conversation(
        FLOW.kind,
        entry_points=[MessageHandler(keyboards.pressed(keyboards.DEPOSIT), start), CommandHandler("deposit", start),
                      CallbackQueryHandler(pay_credit, pattern=keyboards.PAY_PATTERN)],
        states={
            flow.METHOD: [CallbackQueryHandler(chose_method, pattern=rf"^{PREFIX}:m:\w+$")],
            flow.AMOUNT: [MessageHandler(keyboards.FREE_TEXT, got_amount)],
            flow.DETAIL: [MessageHandler(keyboards.FREE_TEXT, got_account_name)],
            flow.PROOF: [MessageHandler(filters.PHOTO, got_photo),
                         MessageHandler(filters.Document.IMAGE, got_image_file),
                         MessageHandler(keyboards.FREE_TEXT, got_text_proof)],
            flow.PPPOKER: [CallbackQueryHandler(got_pppoker, pattern=rf"^{PREFIX}:pp$"),
                           MessageHandler(keyboards.FREE_TEXT, got_pppoker)],
            flow.CONFIRM: [CallbackQueryHandler(confirmed, pattern=rf"^{keyboards.CONFIRM}$")],
        },
        data_key=FLOW.kind,
    )
