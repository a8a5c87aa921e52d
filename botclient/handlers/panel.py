"""The admin panel: one menu (🛠 Admin, /admin) for the pending queues, payment methods, admins and
reports; /stats is the reports' shortcut.

Every screen is read from the backend when it is drawn, and a button press redraws the message it
is on, so paging through a queue or moving between screens keeps one message. Only what needs a
message of its own gets one: a request's card (Open), and the question after an admin typed a value.

A change (a method's account number, holder, rate or status; adding or removing an admin; ending a
promotion) shows before → after and waits for Confirm; a new promotion shows its summary first.
Whether the admin may make it, whether the value is valid (a promotion's percentage, days, overlap) and
that the super admin stays are the backend's calls: its refusal is shown by its code. The periods
of the reports are the backend's too (report(period)); the bot computes no figure.
"""
from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from botclient import keyboards, texts
from botclient.api import BackendRefusal, BackendUnavailable
from botclient.board import View
from botclient.handlers.common import END, BotContext, admin_only, answer, consumed, conversation, reply
from botclient.handlers.flow import clean_text, parse_amount
from botclient.queues import BY_KEY, PAGE_SIZE, QUEUES, Queue, last_page, page_offsets

VALUE, CONFIRM = "panel.value", "panel.confirm"
DATA_KEY = "panel"
FIELD_ARGUMENTS = {"number": "account_number", "holder": "account_holder", "rate": "rate_to_base",
                   "active": "is_active"}


async def show(update: Update, text: str, markup=None) -> None:
    """Redraw the pressed message; a command (or a message that cannot become text) gets a new one."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():  # Refresh with nothing new
                return
            # e.g. a slip photo's caption cannot become the panel: it is sent below instead
    await reply(update, text, markup)


async def _pressed(update: Update, context: BotContext) -> bool:
    """An admin's press or command, answered; False (and told) for anyone else."""
    if not await admin_only(update, context):
        return False
    if update.callback_query:
        await answer(update.callback_query)
    return True


# --- home and the queues ---------------------------------------------------------------------------

async def home(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return
    counts = await context.api.pending_counts()
    counter = await context.api.counter()
    await show(update, texts.panel_home(context.english, QUEUES, counts),
               keyboards.panel_home([(q.key, q.button, q.count(counts)) for q in QUEUES], counter.is_open))


async def counter(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return
    state = await context.api.counter()
    await show(update, texts.counter_card(context.english, state), keyboards.counter(state.is_open))


async def _page(context: BotContext, queue: Queue, offset: int) -> tuple[int, int, list]:
    total, rows = await context.api.pending_page(queue.operation, queue.count_field, queue.list_field,
                                                 first=PAGE_SIZE, offset=offset)
    if not rows and total and offset:  # decided meanwhile, the page is past the end: show the last one
        offset = last_page(total)
        total, rows = await context.api.pending_page(queue.operation, queue.count_field, queue.list_field,
                                                     first=PAGE_SIZE, offset=offset)
    return offset, total, [queue.parse(row) for row in rows]


async def queue_page(update: Update, context: BotContext):
    key, offset = keyboards.QUEUE_PATTERN.match(update.callback_query.data).groups()
    queue = BY_KEY.get(key)
    if queue is None:
        await answer(update.callback_query, texts.ITEM_GONE)
        return
    if not await _pressed(update, context):
        return
    en = context.english
    offset, total, items = await _page(context, queue, int(offset))
    previous, following = page_offsets(offset, total)
    await show(update, texts.queue_page(en, queue, items, offset, total),
               keyboards.queue_page(queue.key, [(item.id, queue.label(en, item)) for item in items], offset,
                                    previous, following))


async def open_item(update: Update, context: BotContext):
    """The request's own card below the page, with its decision buttons (a deposit's slip is a photo)."""
    query = update.callback_query
    key, item_id = keyboards.OPEN_PATTERN.match(query.data).groups()
    queue = BY_KEY.get(key)
    if not await admin_only(update, context):
        return
    item = await queue.get(context.api, int(item_id)) if queue else None
    if item is None:
        await answer(query, texts.ITEM_GONE)
        return
    await answer(query)
    await context.board.send(update.effective_chat.id, queue.card(context.board, item))


# --- reports ---------------------------------------------------------------------------------------

async def reports(update: Update, context: BotContext):
    if await _pressed(update, context):
        await show(update, texts.REPORTS_MENU, keyboards.reports(texts.PERIODS))


async def _report(update: Update, context: BotContext, period: str) -> None:
    data = await context.api.report(period, actor=update.effective_user.id)
    await show(update, texts.report(context.english, period, data), keyboards.reports(texts.PERIODS))


async def report(update: Update, context: BotContext):
    period = keyboards.REPORT_PATTERN.match(update.callback_query.data).group(1)
    if await _pressed(update, context):
        await _report(update, context, period)


async def stats(update: Update, context: BotContext):
    """/stats [period]: the reports, as a message of its own whose buttons switch the period in place."""
    if not await admin_only(update, context):
        return
    period = texts.PERIOD_WORDS.get((context.args or ["today"])[0].lower())
    if period is None:
        await reply(update, texts.STATS_USAGE)
        return
    await _report(update, context, period)


# --- payment methods and admins ------------------------------------------------------------------

async def _method(context: BotContext, code: str):
    return next((m for m in await context.api.all_payment_methods() if m.code == code), None)


async def methods(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return
    found = await context.api.all_payment_methods()
    await show(update, texts.methods_list(context.english, found), keyboards.payment_methods(found))


async def method(update: Update, context: BotContext):
    code = keyboards.METHOD_PATTERN.match(update.callback_query.data).group(1)
    if not await admin_only(update, context):
        return
    found = await _method(context, code)
    if found is None:
        await answer(update.callback_query, texts.NO_SUCH_METHOD)
        return
    await answer(update.callback_query)
    await show(update, texts.method_card(context.english, found), keyboards.payment_method(found))


async def admins(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return
    entries = await context.api.admins(actor=update.effective_user.id)
    await show(update, texts.admins_list(context.english, entries),
               keyboards.admins([(e.telegram_id, f"@{e.username}" if e.username else str(e.telegram_id))
                                 for e in entries]))


async def _promotions_screen(context: BotContext) -> tuple[str, object]:
    found = await context.api.promotions()
    endable = [(p.id, texts.promotion_label(p)) for p in found if p.state != "ENDED"]
    return texts.promotions_list(found), keyboards.promotions(endable)


async def promotions(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return
    await show(update, *await _promotions_screen(context))


# --- changes: the value, before -> after, Confirm --------------------------------------------------

def _method_change(code: str, field: str, before: str) -> dict:
    return {"op": "method", "code": code, "field": field, "what": texts.method_what(code, field), "before": before,
            "back": f"p:m:{code}", "back_label": f"⬅️ {code}"}


@consumed
async def ask_method_value(update: Update, context: BotContext):
    code, field = keyboards.METHOD_EDIT_PATTERN.match(update.callback_query.data).groups()
    if not await admin_only(update, context):
        return END
    found = await _method(context, code)
    if found is None:
        await answer(update.callback_query, texts.NO_SUCH_METHOD)
        return END
    await answer(update.callback_query)
    context.user_data[DATA_KEY] = _method_change(code, field, texts.method_value(found, field))
    await show(update, texts.ask_method_value(found, field), keyboards.panel_cancel())
    return VALUE


@consumed
async def ask_admin_id(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return END
    context.user_data[DATA_KEY] = {"op": "add_admin", "before": "not an admin", "after": "admin",
                                   "back": keyboards.ADMINS, "back_label": "⬅️ Admins"}
    await show(update, texts.ASK_ADMIN_ID, keyboards.panel_cancel())
    return VALUE


@consumed
async def ask_counter_announcement(update: Update, context: BotContext):
    """Opening or closing the counter: first the optional announcement, then before -> after and Confirm."""
    state = keyboards.COUNTER_SET_PATTERN.match(update.callback_query.data).group(1)
    if not await _pressed(update, context):
        return END
    before = "open" if state == "CLOSED" else "closed"
    context.user_data[DATA_KEY] = {"op": "counter", "state": state, "what": "the counter", "before": before,
                                   "back": keyboards.COUNTER, "back_label": "🏪 Counter"}
    await show(update, texts.ask_announcement(state), keyboards.no_announcement())
    return VALUE


@consumed
async def without_announcement(update: Update, context: BotContext):
    change = context.user_data.get(DATA_KEY)
    if not change or change.get("op") != "counter":
        await answer(update.callback_query, texts.STALE_CONFIRM)
        return END
    if not await _pressed(update, context):
        return END
    change.update(value="", after=texts.counter_after(change["state"], ""))
    return await _ask_confirm(update, context, change)


@consumed
async def ask_promotion(update: Update, context: BotContext):
    kind = keyboards.PROMOTION_NEW_PATTERN.match(update.callback_query.data).group(1)
    if not await _pressed(update, context):
        return END
    context.user_data[DATA_KEY] = {"op": "promotion", "kind": kind, "back": keyboards.PROMOTIONS,
                                   "back_label": "🎁 Promotions"}
    await show(update, texts.ask_promotion(kind), keyboards.panel_cancel())
    return VALUE


def _typed_promotion(text: str) -> tuple[tuple[Decimal, date, date] | None, str]:
    """(percentage, first day, last day) as typed, or None and what is wrong with the form; the backend
    judges the values (the range, the order of the days, an overlap)."""
    parts = text.split()
    if len(parts) != 3:
        return None, f"That is {len(parts)} value(s); send three: the percentage, the first day and the last day."
    percentage = parse_amount(parts[0].rstrip("%"))
    if percentage is None:
        return None, f"“{parts[0]}” is not a percentage."
    days = []
    for part in parts[1:]:
        try:
            days.append(date.fromisoformat(part))
        except ValueError:
            return None, f"“{part}” is not a day as YYYY-MM-DD."
    return (percentage, days[0], days[1]), ""


@consumed
async def ask_end_promotion(update: Update, context: BotContext):
    promotion_id = int(keyboards.PROMOTION_END_PATTERN.match(update.callback_query.data).group(1))
    if not await _pressed(update, context):
        return END
    found = next((p for p in await context.api.promotions() if p.id == promotion_id), None)
    what = texts.esc(texts.promotion_label(found)) if found else f"promotion #{promotion_id}"
    before = texts.promotion_state(found) if found else "running"
    change = {"op": "end_promotion", "id": promotion_id, "what": what, "before": before, "after": "⏹ ended",
              "back": keyboards.PROMOTIONS, "back_label": "🎁 Promotions"}
    return await _ask_confirm(update, context, change)


@consumed
async def ask_broadcast(update: Update, context: BotContext):
    if not await _pressed(update, context):
        return END
    context.user_data[DATA_KEY] = {"op": "broadcast", "what": "a broadcast", "back": keyboards.PANEL,
                                   "back_label": "🛠 Panel"}
    await show(update, texts.ASK_BROADCAST, keyboards.panel_cancel())
    return VALUE


@consumed
async def got_broadcast_photo(update: Update, context: BotContext):
    change = context.user_data.get(DATA_KEY)
    if not change or change["op"] != "broadcast":
        await reply(update, texts.ASK_BROADCAST if change else texts.STALE_CONFIRM)
        return None if change else END
    change.update(text=(update.message.caption or "").strip(), photo=update.message.photo[-1].file_id)
    return await _ask_confirm(update, context, change)


async def cancel_broadcast(update: Update, context: BotContext):
    broadcast_id = int(keyboards.BROADCAST_CANCEL_PATTERN.match(update.callback_query.data).group(1))
    if not await admin_only(update, context):
        return
    try:
        await context.api.cancel_broadcast(broadcast_id, update.effective_user.id)
    except BackendRefusal as refusal:
        await answer(update.callback_query, texts.admin_refusal(refusal), alert=True)
    else:
        await answer(update.callback_query, "Cancelled ⏹")
    await context.broadcaster.refresh(broadcast_id)


def _typed_method_value(field: str, text: str) -> str | None:
    """What the admin typed, as the service takes it (None: not even a number); the backend judges it."""
    if field == "rate":
        number = parse_amount(text)
        return None if number is None else str(number)
    value = clean_text(text)
    return "" if value == "-" else value


@consumed
async def got_value(update: Update, context: BotContext):
    change = context.user_data.get(DATA_KEY)
    if not change:
        return END
    if change["op"] == "broadcast":
        change.update(text=update.message.text.strip(), photo="")
    elif change["op"] == "counter":
        change["value"] = update.message.text.strip()
        change["after"] = texts.counter_after(change["state"], change["value"])
    elif change["op"] == "promotion":
        typed, problem = _typed_promotion(update.message.text)
        if typed is None:
            await reply(update, texts.bad_promotion(change["kind"], problem))
            return None
        change["percentage"], change["starts_on"], change["ends_on"] = typed
        change["what"] = f"{texts.PROMOTION_KINDS[change['kind']]} {texts.rate(typed[0])}% " \
                         f"{typed[1].isoformat()} – {typed[2].isoformat()}"
    elif change["op"] == "method":
        value = _typed_method_value(change["field"], update.message.text)
        if value is None:
            await reply(update, texts.BAD_RATE)
            return None
        change["value"] = value
        change["after"] = texts.rate(parse_amount(value)) if change["field"] == "rate" else (value or "(empty)")
    else:
        digits = update.message.text.strip()
        if not (digits.isascii() and digits.isdigit()):
            await reply(update, texts.BAD_ADMIN_ID)
            return None
        telegram_id = int(digits)
        try:
            known = await context.api.user(telegram_id)  # only to name them in the question
        except BackendRefusal as refusal:  # not a Telegram id at all (too large): the backend says so
            await reply(update, texts.esc(texts.admin_refusal(refusal)) + "\n" + texts.BAD_ADMIN_ID)
            return None
        change["telegram_id"] = telegram_id
        change["what"] = "admin " + (texts.admin_name(telegram_id, known.username, known.first_name) if known
                                     else str(telegram_id))
    return await _ask_confirm(update, context, change)


@consumed
async def ask_active(update: Update, context: BotContext):
    code, active = keyboards.METHOD_ACTIVE_PATTERN.match(update.callback_query.data).groups()
    if not await admin_only(update, context):
        return END
    found = await _method(context, code)
    if found is None:
        await answer(update.callback_query, texts.NO_SUCH_METHOD)
        return END
    await answer(update.callback_query)
    change = _method_change(code, "active", texts.method_value(found, "active"))
    change.update(value=active == "1", after="active" if active == "1" else "inactive")
    return await _ask_confirm(update, context, change)


@consumed
async def ask_remove(update: Update, context: BotContext):
    telegram_id = int(keyboards.ADMIN_REMOVE_PATTERN.match(update.callback_query.data).group(1))
    if not await _pressed(update, context):
        return END
    entry = next((e for e in await context.api.admins(actor=update.effective_user.id)
                  if e.telegram_id == telegram_id), None)
    what = "admin " + (texts.admin_name(telegram_id, entry.username) if entry else str(telegram_id))
    change = {"op": "remove_admin", "telegram_id": telegram_id, "what": what, "before": "admin",
              "after": "not an admin", "back": keyboards.ADMINS, "back_label": "⬅️ Admins"}
    return await _ask_confirm(update, context, change)


async def _ask_confirm(update: Update, context: BotContext, change: dict) -> str:
    change["nonce"] = secrets.token_hex(4)
    context.user_data[DATA_KEY] = change
    if change["op"] == "broadcast":
        question = texts.confirm_broadcast(change["text"], change["photo"])
    elif change["op"] == "promotion":
        question = texts.confirm_promotion(change["what"])
    else:
        question = texts.confirm_change(change["what"], change["before"], change["after"])
    await show(update, question, keyboards.confirm_change(change["nonce"]))
    return CONFIRM


async def _apply(context: BotContext, change: dict, actor: int) -> str:
    """Make the change; the text saying what it did, with `after` as the backend now has it."""
    if change["op"] == "method":
        field = change["field"]
        updated = await context.api.update_payment_method(change["code"], actor,
                                                          **{FIELD_ARGUMENTS[field]: change["value"]})
        return texts.changed(change["what"], change["before"], texts.method_value(updated, field))
    if change["op"] == "broadcast":
        return await _start_broadcast(context, change, actor)
    if change["op"] == "counter":
        updated = await context.api.set_counter(change["state"], actor, change["value"] or None)
        return texts.changed(change["what"], change["before"], texts.counter_after(updated.state, change["value"]))
    if change["op"] == "promotion":
        await context.api.create_promotion(change["kind"], change["percentage"], change["starts_on"],
                                           change["ends_on"], actor)
        return texts.promotion_created(change["what"])
    if change["op"] == "end_promotion":
        await context.api.end_promotion(change["id"], actor)
        return texts.changed(change["what"], change["before"], change["after"])
    if change["op"] == "add_admin":
        await context.api.add_admin(change["telegram_id"], actor)
        context.admins.forget()
        await context.board.send(change["telegram_id"], View(texts.YOU_ARE_ADMIN))
    else:
        await context.api.remove_admin(change["telegram_id"], actor)
        context.admins.forget()
    return texts.changed(change["what"], change["before"], change["after"])


async def _start_broadcast(context: BotContext, change: dict, actor: int) -> str:
    """Made in the backend (a second Confirm of the same question makes no second one); the feed's
    broadcast.created starts the delivery, and this message becomes its progress."""
    broadcast = await context.api.create_broadcast(change["text"], actor, photo=change["photo"] or None,
                                                   idempotency_key=f"broadcast:{actor}:{change['nonce']}")
    change["broadcast_id"] = broadcast.id
    return texts.broadcast_progress(broadcast)


@consumed
async def confirmed(update: Update, context: BotContext):
    query = update.callback_query
    change = context.user_data.get(DATA_KEY)
    if not change or change.get("nonce") != keyboards.CONFIRM_CHANGE_PATTERN.match(query.data).group(1):
        await answer(query, texts.STALE_CONFIRM)  # an older question's Confirm: this one stays open
        return None
    if not await admin_only(update, context):
        return END
    try:
        done = await _apply(context, change, update.effective_user.id)
    except BackendUnavailable:
        await answer(query, texts.UNAVAILABLE, alert=True)
        return None  # the change is kept: Confirm again once the backend is back
    except BackendRefusal as refusal:
        await answer(query)
        done = (texts.promotion_not_created(change["what"], refusal) if change["op"] == "promotion"
                else texts.not_changed(change["what"], refusal))
    else:
        await answer(query, "Changed ✅")
    context.user_data.pop(DATA_KEY, None)
    if change.get("broadcast_id"):
        await _show_progress(update, context, change["broadcast_id"], done)
        return END
    if change["op"] in ("promotion", "end_promotion"):  # the list as it is now, under what was done
        listing, markup = await _promotions_screen(context)
        await show(update, f"{done}\n\n{listing}", markup)
        return END
    await show(update, done, keyboards.after_change(change["back"], change["back_label"]))
    return END


async def _show_progress(update: Update, context: BotContext, broadcast_id: int, text: str) -> None:
    """The question's message turns into the broadcast's progress, recorded so the sender edits it."""
    await show(update, text, keyboards.broadcast_progress(broadcast_id))
    message = update.callback_query.message
    await context.api.record_admin_messages("broadcast", broadcast_id, [(message.chat.id, message.message_id)])
    await context.broadcaster.refresh(broadcast_id)  # it may have finished before the message was recorded


def panel_conversation():
    return conversation(
        keyboards.PANEL_FLOW,
        entry_points=[CallbackQueryHandler(ask_method_value, pattern=keyboards.METHOD_EDIT_PATTERN),
                      CallbackQueryHandler(ask_active, pattern=keyboards.METHOD_ACTIVE_PATTERN),
                      CallbackQueryHandler(ask_admin_id, pattern=keyboards.ADMIN_ADD_PATTERN),
                      CallbackQueryHandler(ask_remove, pattern=keyboards.ADMIN_REMOVE_PATTERN),
                      CallbackQueryHandler(ask_counter_announcement, pattern=keyboards.COUNTER_SET_PATTERN),
                      CallbackQueryHandler(ask_broadcast, pattern=keyboards.BROADCAST_PATTERN),
                      CallbackQueryHandler(ask_promotion, pattern=keyboards.PROMOTION_NEW_PATTERN),
                      CallbackQueryHandler(ask_end_promotion, pattern=keyboards.PROMOTION_END_PATTERN)],
        states={VALUE: [MessageHandler(keyboards.FREE_TEXT, got_value),
                        MessageHandler(filters.PHOTO, got_broadcast_photo),
                        CallbackQueryHandler(without_announcement, pattern=keyboards.NO_ANNOUNCEMENT_PATTERN)],
                CONFIRM: [CallbackQueryHandler(confirmed, pattern=keyboards.CONFIRM_CHANGE_PATTERN)]},
        data_key=DATA_KEY,
        leave_on_press="",  # any other button (another screen, a decision) ends the change
    )


def panel_handlers() -> list:
    return [
        MessageHandler(keyboards.pressed(keyboards.ADMIN), home),
        CommandHandler(["admin", "pending"], home),
        CommandHandler("stats", stats),
        CallbackQueryHandler(home, pattern=keyboards.PANEL_PATTERN),
        CallbackQueryHandler(queue_page, pattern=keyboards.QUEUE_PATTERN),
        CallbackQueryHandler(open_item, pattern=keyboards.OPEN_PATTERN),
        CallbackQueryHandler(reports, pattern=keyboards.REPORTS_PATTERN),
        CallbackQueryHandler(report, pattern=keyboards.REPORT_PATTERN),
        CallbackQueryHandler(methods, pattern=keyboards.METHODS_PATTERN),
        CallbackQueryHandler(method, pattern=keyboards.METHOD_PATTERN),
        CallbackQueryHandler(admins, pattern=keyboards.ADMINS_PATTERN),
        CallbackQueryHandler(counter, pattern=keyboards.COUNTER_PATTERN),
        CallbackQueryHandler(promotions, pattern=keyboards.PROMOTIONS_PATTERN),
        CallbackQueryHandler(cancel_broadcast, pattern=keyboards.BROADCAST_CANCEL_PATTERN),
    ]


PANEL_COMMANDS = {"admin", "pending", "stats"}
