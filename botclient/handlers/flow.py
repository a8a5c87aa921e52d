"""Steps that deposits, withdrawals and seats share: method, amount, PPPoker id, confirmation.

Each flow keeps its answers in its own slot of user_data (user_data["deposit"]),
so the flow a menu press ends cannot wipe the one it starts. The idempotency
key is made once, when the summary is shown: pressing Confirm again after the
backend was unreachable sends the same key, so the request exists at most once.
"""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation

from telegram import Update

from botclient import keyboards, texts
from botclient.api import BackendRefusal, BackendUnavailable
from botclient.handlers.common import (
    END, BotContext, answer, drop_buttons, ensure_user, logger, reply, reply_with_menu, tr,
)
from botclient.i18n import Translator
from botclient.records import PaymentMethod

METHOD, AMOUNT, DETAIL, PROOF, PPPOKER, CONFIRM = "method", "amount", "detail", "proof", "pppoker", "confirm"


def parse_amount(text: str) -> Decimal | None:
    """The number the player typed ("1,500.50"), or None for text that is no number at all.

    Which numbers are valid amounts (positive, two decimals, not too large) is the backend's rule:
    it refuses the request with INVALID on `amount`, and the player reads why.
    """
    try:
        amount = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def clean_text(text: str) -> str:
    return " ".join(text.split())


class RequestFlow:
    def __init__(self, kind: str, prefix: str):
        self.kind, self.prefix = kind, prefix  # prefix: of this flow's callback data, e.g. "dep:m:BML"

    def data(self, context: BotContext) -> dict:
        return context.user_data.setdefault(self.kind, {})

    def method(self, context: BotContext) -> PaymentMethod:
        flow = self.data(context)
        return flow["methods"][flow["method"]]

    def end(self, context: BotContext) -> None:
        context.user_data.pop(self.kind, None)

    async def begin(self, update: Update, context: BotContext, prompt: str, **extra) -> str:
        t = await tr(update, context)
        payment_methods = await context.api.payment_methods()
        user = await ensure_user(update, context)
        if not payment_methods:
            await reply_with_menu(update, context, t._(texts.NO_METHODS), t)
            return END
        context.user_data[self.kind] = {"methods": {m.code: m for m in payment_methods},
                                        "saved_pppoker": user.pppoker_id, "account_name": user.account_name,
                                        **extra}
        await reply(update, prompt, keyboards.methods(t, self.kind, self.prefix, payment_methods))
        return METHOD

    async def choose_method(self, update: Update, context: BotContext,
                            text_for: Callable[[Translator, PaymentMethod], str]) -> str | None:
        query = update.callback_query
        t = await tr(update, context)
        code = query.data.split(":", 2)[2]
        flow = self.data(context)
        if code not in flow.get("methods", {}):
            await answer(query, t._(texts.BUTTON_EXPIRED))
            return None
        await answer(query)
        flow["method"] = code
        await query.edit_message_text(text_for(t, flow["methods"][code]),
                                      reply_markup=keyboards.only_cancel(t, self.kind))
        return AMOUNT

    async def take_amount(self, update: Update, context: BotContext, next_prompt: Callable[[Translator], str]
                          ) -> str | None:
        t = await tr(update, context)
        amount = parse_amount(update.message.text)
        if amount is None:
            await reply(update, t._(texts.BAD_AMOUNT))
            return None
        self.data(context)["amount"] = amount
        await reply(update, next_prompt(t), keyboards.only_cancel(t, self.kind))
        return DETAIL

    async def ask_pppoker(self, update: Update, context: BotContext) -> str:
        t = await tr(update, context)
        saved = self.data(context).get("saved_pppoker", "")
        markup = (keyboards.use_saved_pppoker(t, self.kind, self.prefix, saved) if saved
                  else keyboards.only_cancel(t, self.kind))
        await reply(update, texts.ask_pppoker(t, saved), markup)
        return PPPOKER

    async def take_pppoker(self, update: Update, context: BotContext,
                           summary: Callable[[Translator, BotContext], str]) -> str | None:
        """The saved id (button) or a typed one (the backend checks it); then the summary, with a fresh
        idempotency key."""
        t = await tr(update, context)
        flow = self.data(context)
        if update.callback_query:
            await answer(update.callback_query)
            await drop_buttons(update.callback_query)
            flow["pppoker_id"] = flow.get("saved_pppoker", "")
        else:
            flow["pppoker_id"] = update.message.text.strip()
        flow["key"] = uuid.uuid4().hex
        await reply(update, summary(t, context), keyboards.confirm(t, self.kind))
        return CONFIRM

    async def submit(self, update: Update, context: BotContext, create: Callable[[dict], Awaitable[object]],
                     done: Callable[[Translator, object], str],
                     refused: Callable[[Translator, BackendRefusal], str] | None = None) -> str | None:
        """Confirm pressed: create the request with the summary's key; keep the state if the backend is away.

        `refused` words a refusal where this kind of request needs its own sentence."""
        query = update.callback_query
        t = await tr(update, context)
        flow = self.data(context)
        try:
            created = await create(flow)
        except BackendUnavailable as error:
            logger.warning("backend unavailable at confirmation (state and key kept): %s", error)
            await answer(query, t._(texts.NOT_SENT_YET))
            await drop_buttons(query)
            await reply(update, t._(texts.UNAVAILABLE_RETRY), keyboards.confirm(t, self.kind))
            return None
        except BackendRefusal as refusal:
            await answer(query)
            await drop_buttons(query)
            self.end(context)
            hours = context.config.counter_hours
            if refused and refusal.code != "COUNTER_CLOSED":
                text = refused(t, refusal)
            else:
                text = texts.refusal(t, refusal, minimum=flow.get("minimum"), hours=hours)
            await reply_with_menu(update, context, text, t)
            return END
        await answer(query, t._("Sent ✅"))
        await drop_buttons(query)
        self.end(context)
        if not flow.get("saved_pppoker"):  # remember the id the player just used for next time
            try:
                await context.api.upsert_user(update.effective_user.id, pppoker_id=flow["pppoker_id"])
            except (BackendUnavailable, BackendRefusal):
                pass  # the request went through; the profile can wait
        await reply_with_menu(update, context, done(t, created), t)
        return END
