"""Recovery (cashback) and joining the club: PPPoker id -> summary -> Confirm -> "sent".

Whether a player may claim recovery, and how much, is the backend's rule: it is asked first
(cashbackEligibility), so a player who may not claim learns why, with the figures, before typing
anything. The offer's figures go to the summary as they were shown; the backend counts them again
at Confirm and refuses NOT_ELIGIBLE if they changed meanwhile.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from botclient import keyboards, texts
from botclient.handlers import flow
from botclient.handlers.common import END, BotContext, consumed, conversation, ensure_user, reply, reply_with_menu, tr

RECOVERY = flow.RequestFlow("recovery", "cb")
JOIN = flow.RequestFlow("join", "jn")


def _pppoker_markup(t, request_flow: flow.RequestFlow, saved: str):
    return (keyboards.use_saved_pppoker(t, request_flow.kind, request_flow.prefix, saved) if saved
            else keyboards.only_cancel(t, request_flow.kind))


# --- recovery ----------------------------------------------------------------------------

async def start_recovery(update: Update, context: BotContext):
    t = await tr(update, context)
    user = await ensure_user(update, context)
    eligibility = await context.api.cashback_eligibility(update.effective_user.id)
    if not eligibility.eligible:
        await reply_with_menu(update, context, texts.cashback_not_eligible(t, eligibility), t)
        return END
    saved = user.pppoker_id or ""
    context.user_data[RECOVERY.kind] = {"saved_pppoker": saved, "amount": eligibility.amount,
                                        "percentage": eligibility.percentage, "deposits": eligibility.deposits}
    await reply(update, texts.cashback_offer(t, eligibility, saved), _pppoker_markup(t, RECOVERY, saved))
    return flow.PPPOKER


@consumed
async def got_recovery_pppoker(update: Update, context: BotContext):
    return await RECOVERY.take_pppoker(update, context, lambda t, c: texts.cashback_summary(t, RECOVERY.data(c)))


@consumed
async def recovery_confirmed(update: Update, context: BotContext):
    user_id = update.effective_user.id

    async def create(data: dict):
        return await context.api.create_cashback_claim(telegram_id=user_id, pppoker_id=data["pppoker_id"],
                                                       idempotency_key=f"cashback:{user_id}:{data['key']}")

    return await RECOVERY.submit(update, context, create, texts.cashback_submitted, refused=texts.cashback_refusal)


def recovery_conversation():
    return _conversation(RECOVERY, keyboards.RECOVERY, "recovery", start_recovery, got_recovery_pppoker,
                         recovery_confirmed)


# --- joining the club -----------------------------------------------------------------------

async def start_join(update: Update, context: BotContext):
    t = await tr(update, context)
    user = await ensure_user(update, context)
    saved = user.pppoker_id or ""
    context.user_data[JOIN.kind] = {"saved_pppoker": saved}
    prompt = t._(texts.ASK_JOIN) + "\n\n" + texts.ask_join_pppoker(t, saved)
    await reply(update, prompt, _pppoker_markup(t, JOIN, saved))
    return flow.PPPOKER


@consumed
async def got_join_pppoker(update: Update, context: BotContext):
    return await JOIN.take_pppoker(update, context, lambda t, c: texts.join_summary(t, JOIN.data(c)))


@consumed
async def join_confirmed(update: Update, context: BotContext):
    user_id = update.effective_user.id

    async def create(data: dict):
        return await context.api.create_join_request(telegram_id=user_id, pppoker_id=data["pppoker_id"],
                                                     idempotency_key=f"join:{user_id}:{data['key']}")

    return await JOIN.submit(update, context, create, texts.join_submitted, refused=texts.join_refusal)


def join_conversation():
    return _conversation(JOIN, keyboards.JOIN, "join", start_join, got_join_pppoker, join_confirmed)


def _conversation(request_flow: flow.RequestFlow, button: str, command: str, start, got_pppoker, confirmed):
    return conversation(
        request_flow.kind,
        entry_points=[MessageHandler(keyboards.pressed(button), start), CommandHandler(command, start)],
        states={
            flow.PPPOKER: [CallbackQueryHandler(got_pppoker, pattern=rf"^{request_flow.prefix}:pp$"),
                           MessageHandler(keyboards.FREE_TEXT, got_pppoker)],
            flow.CONFIRM: [CallbackQueryHandler(confirmed, pattern=rf"^{keyboards.CONFIRM}$")],
        },
        data_key=request_flow.kind,
    )
