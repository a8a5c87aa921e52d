"""Admins: Approve / Reject on request messages, and /addspins (the panel is in handlers/panel.py).

Who is an admin, and whether a request is still pending, is the backend's
call: a decision is always sent with actorTelegramId and the backend refuses
(FORBIDDEN, ALREADY_DECIDED) however many admins press at once. The bot only
redraws every admin's message afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from botclient import keyboards, texts
from botclient.api import BackendRefusal, BackendUnavailable
from botclient.handlers.common import END, BotContext, admin_only, answer, consumed, conversation, reply

REASON = "reject.reason"


def _here(update: Update) -> tuple[int, int] | None:
    message = update.callback_query.message if update.callback_query else None
    return (message.chat_id, message.message_id) if message else None


# What still waits for a decision: a pending request, an open credit.
UNDECIDED = ("PENDING", "OPEN", "UNKNOWN")


@dataclass(frozen=True)
class Decidable:
    """A kind of request admins decide, by the LedgerApi methods that read, approve and reject it."""
    get: str
    approve: str | None  # None: no Approve (a credit's one decision, Clear, asks a reason like a rejection)
    reject: str


# A new kind of request is one row here (and its card in board.py, its letter in keyboards.py).
DECIDABLE = {
    "deposit": Decidable("deposit", "approve_deposit", "reject_deposit"),
    "withdrawal": Decidable("withdrawal", "approve_withdrawal", "reject_withdrawal"),
    "spin": Decidable("spin", "approve_spin_reward", "reject_spin_reward"),
    "seat": Decidable("seat_request", "approve_seat_request", "reject_seat_request"),
    "credit": Decidable("credit", None, "clear_credit"),
    "cashback": Decidable("cashback_claim", "approve_cashback_claim", "reject_cashback_claim"),
    "join": Decidable("join_request", "approve_join_request", "reject_join_request"),
}


async def _status(context: BotContext, kind: str, request_id: int):
    """(status, decided_by) of a request (or credit) as the backend has it now."""
    if kind == "credit":
        credit = await context.api.credit(request_id)
        return (credit.status, credit.closed_by) if credit else ("UNKNOWN", None)
    request = await getattr(context.api, DECIDABLE[kind].get)(request_id)
    return (request.status, request.decided_by) if request else ("UNKNOWN", None)


def _shown_spins(update: Update) -> list[int]:
    """The wins a pressed spin message shows buttons for: their ids are in its callback data."""
    message = update.callback_query.message if update.callback_query else None
    markup = message.reply_markup if message else None
    return [int(b.callback_data.split(":")[2]) for row in (markup.inline_keyboard if markup else ())
            for b in row if (b.callback_data or "").startswith("s:a:")]


async def _redraw(context: BotContext, kind: str, request_id: int, player_id: int | None, here,
                  shown: list[int] | None = None) -> None:
    if kind == "spin":
        await context.board.refresh_spins(player_id, [request_id], also=here,
                                          also_ids=sorted({request_id, *(shown or [])}))
    else:
        await context.board.refresh(kind, request_id, also=here)


# --- approve --------------------------------------------------------------------------

async def approve(update: Update, context: BotContext):
    query = update.callback_query
    kind, request_id, player_id = keyboards.parse_decision(keyboards.DECIDE_PATTERN.match(query.data))
    if not await admin_only(update, context):
        return
    admin = update.effective_user.id
    call = getattr(context.api, DECIDABLE[kind].approve)
    try:
        await call(request_id, admin)
        toast = texts.decided_toast("APPROVED")
    except BackendUnavailable:
        await answer(query, texts.UNAVAILABLE, alert=True)
        return
    except BackendRefusal as refusal:
        if refusal.code == "ALREADY_DECIDED":
            toast = texts.already_decided(*await _status(context, kind, request_id))
        else:
            toast = texts.admin_refusal(refusal)
    await answer(query, toast)
    # Every admin's copy is redrawn again when the decision event arrives; this one cannot wait for it.
    await _redraw(context, kind, request_id, player_id, _here(update), _shown_spins(update))


async def approve_all(update: Update, context: BotContext):
    query = update.callback_query
    player_id = int(keyboards.APPROVE_ALL_PATTERN.match(query.data).group(1))
    if not await admin_only(update, context):
        return
    try:
        spins, chips = await context.api.approve_spin_rewards(player_id, update.effective_user.id)
    except BackendUnavailable:
        await answer(query, texts.UNAVAILABLE, alert=True)
        return
    except BackendRefusal as refusal:
        await answer(query, texts.admin_refusal(refusal), alert=True)
        return
    await answer(query, texts.rewards_approved(context.english, len(spins), chips))
    shown = _shown_spins(update)
    await context.board.refresh_spins(player_id, [*(s.id for s in spins), *shown], also=_here(update),
                                      also_ids=shown)


# --- reject: ask for the reason, then decide ------------------------------------------

@consumed
async def ask_reason(update: Update, context: BotContext):
    query = update.callback_query
    kind, request_id, player_id = keyboards.parse_decision(keyboards.REJECT_PATTERN.match(query.data))
    if not await admin_only(update, context):
        return END
    status, decided_by = await _status(context, kind, request_id)
    if status not in UNDECIDED:
        await answer(query, texts.already_decided(status, decided_by))
        await _redraw(context, kind, request_id, player_id, _here(update), _shown_spins(update))
        return END
    await answer(query)
    context.user_data["reject"] = {"kind": kind, "id": request_id, "player": player_id, "here": _here(update),
                                   "shown": _shown_spins(update)}
    await reply(update, texts.ask_reason(kind, request_id), keyboards.only_cancel(context.english, "reject"))
    return REASON


@consumed
async def got_reason(update: Update, context: BotContext):
    job = context.user_data.get("reject")
    if not job:
        return END
    reason = " ".join(update.message.text.split())
    kind, request_id = job["kind"], job["id"]
    call = getattr(context.api, DECIDABLE[kind].reject)
    try:
        await call(request_id, reason, update.effective_user.id)
    except BackendUnavailable:
        await reply(update, texts.UNAVAILABLE + texts.REASON_AGAIN)
        return None
    except BackendRefusal as refusal:
        if refusal.code != "ALREADY_DECIDED":
            await reply(update, texts.esc(texts.admin_refusal(refusal)) + texts.ANOTHER_REASON)
            return None
        status, decided_by = await _status(context, kind, request_id)
        await reply(update, texts.esc(texts.already_decided(status, decided_by)))
    else:
        await reply(update, texts.rejected(kind, request_id))
    context.user_data.pop("reject", None)
    await _redraw(context, kind, request_id, job["player"], tuple(job["here"]) if job.get("here") else None,
                  job.get("shown"))
    return END


def reject_conversation():
    return conversation(
        "reject",
        entry_points=[CallbackQueryHandler(ask_reason, pattern=keyboards.REJECT_PATTERN)],
        states={REASON: [MessageHandler(keyboards.FREE_TEXT, got_reason)]},
        data_key="reject",
        leave_on_press=r"^p:",  # the admin went to the panel: what they type next is not a reason
    )


# --- /addspins ---------------------------------------------------------------------------------

async def add_spins(update: Update, context: BotContext):
    if not await admin_only(update, context):
        return
    args = context.args or []
    try:
        telegram_id, spins, reason = int(args[0]), int(args[1]), " ".join(args[2:]).strip()
    except (IndexError, ValueError):
        telegram_id = spins = reason = None
    if not reason:
        await reply(update, texts.ADDSPINS_USAGE)
        return
    try:
        account = await context.api.grant_spins(telegram_id, spins, reason, update.effective_user.id)
    except BackendRefusal as refusal:
        await reply(update, texts.esc(texts.admin_refusal(refusal)))
        return
    await reply(update, texts.spins_granted(context.english, telegram_id, spins, account.available_spins))


def admin_handlers() -> list:
    return [
        CallbackQueryHandler(approve, pattern=keyboards.DECIDE_PATTERN),
        CallbackQueryHandler(approve_all, pattern=keyboards.APPROVE_ALL_PATTERN),
        CommandHandler("addspins", add_spins),
    ]


ADMIN_COMMANDS = {"addspins"}
