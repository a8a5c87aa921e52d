"""Steps that deposits and withdrawals share: method, amount, PPPoker id, confirmation.

Each flow keeps its answers in its own slot of user_data (user_data["deposit"]),
so the flow a menu press ends cannot wipe the one it starts. The idempotency
key is made once, when the summary is shown: pressing Confirm again after the
backend was unreachable sends the same key, so the request exists at most once.
"""
from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Awaitable, Callable

from telegram import Update

from botclient import keyboards, texts
from botclient.api import BackendRefusal, BackendUnavailable
from botclient.handlers.common import (
    END, BotContext, answer, drop_buttons, ensure_user, logger, reply, reply_with_menu,
)
from botclient.handlers.player import looks_like_pppoker_id
from botclient.records import PaymentMethod

METHOD, AMOUNT, DETAIL, PROOF, PPPOKER, CONFIRM = "method", "amount", "detail", "proof", "pppoker", "confirm"
CENT = Decimal("0.01")


def parse_amount(text: str) -> Decimal | None:
    """A positive amount with at most two decimals, else None (so the step can be asked again)."""
    try:
        amount = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        return None
    return amount.quantize(CENT)


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

    async def begin(self, update: Update, context: BotContext, prompt: str) -> str:
        payment_methods = await context.api.payment_methods()
        user = await ensure_user(update, context)
        if not payment_methods:
            await reply_with_menu(update, context, texts.NO_METHODS)
            return END
        context.user_data[self.kind] = {"methods": {m.code: m for m in payment_methods},
                                        "saved_pppoker": user.pppoker_id, "account_name": user.account_name}
        await reply(update, prompt, keyboards.methods(self.kind, self.prefix, payment_methods))
        return METHOD

    async def choose_method(self, update: Update, context: BotContext,
                            text_for: Callable[[PaymentMethod], str]) -> str | None:
        query = update.callback_query
        code = query.data.split(":", 2)[2]
        flow = self.data(context)
        if code not in flow.get("methods", {}):
            await answer(query, texts.BUTTON_EXPIRED)
            return None
        await answer(query)
        flow["method"] = code
        await query.edit_message_text(text_for(flow["methods"][code]), reply_markup=keyboards.only_cancel(self.kind))
        return AMOUNT

    async def take_amount(self, update: Update, context: BotContext, next_prompt: str) -> str | None:
        amount = parse_amount(update.message.text)
        if amount is None:
            await reply(update, texts.BAD_AMOUNT)
            return None
        self.data(context)["amount"] = amount
        await reply(update, next_prompt, keyboards.only_cancel(self.kind))
        return DETAIL

    async def ask_pppoker(self, update: Update, context: BotContext) -> str:
        saved = self.data(context).get("saved_pppoker", "")
        markup = (keyboards.use_saved_pppoker(self.kind, self.prefix, saved) if saved
                  else keyboards.only_cancel(self.kind))
        await reply(update, texts.ask_pppoker(saved), markup)
        return PPPOKER

    async def take_pppoker(self, update: Update, context: BotContext,
                           summary: Callable[[BotContext], str]) -> str | None:
        """The saved id (button) or a typed one; then the summary, with a fresh idempotency key."""
        flow = self.data(context)
        if update.callback_query:
            await answer(update.callback_query)
            await drop_buttons(update.callback_query)
            flow["pppoker_id"] = flow.get("saved_pppoker", "")
        else:
            typed = update.message.text.strip()
            if not looks_like_pppoker_id(typed):
                await reply(update, texts.BAD_PPPOKER)
                return None
            flow["pppoker_id"] = typed
        flow["key"] = uuid.uuid4().hex
        await reply(update, summary(context), keyboards.confirm(self.kind))
        return CONFIRM

    async def submit(self, update: Update, context: BotContext, create: Callable[[dict], Awaitable[object]],
                     done: Callable[[object], str]) -> str | None:
        """Confirm pressed: create the request with the summary's key; keep the state if the backend is away."""
        query = update.callback_query
        flow = self.data(context)
        try:
            created = await create(flow)
        except BackendUnavailable as error:
            logger.warning("backend unavailable at confirmation (state and key kept): %s", error)
            await answer(query, "Not sent yet: please try again in a minute.")
            await drop_buttons(query)
            await reply(update, texts.UNAVAILABLE_RETRY, keyboards.confirm(self.kind))
            return None
        except BackendRefusal as refusal:
            await answer(query)
            await drop_buttons(query)
            self.end(context)
            await reply_with_menu(update, context, texts.refusal(refusal))
            return END
        await answer(query, "Sent ✅")
        await drop_buttons(query)
        self.end(context)
        if not flow.get("saved_pppoker"):  # remember the id the player just used for next time
            try:
                await context.api.upsert_user(update.effective_user.id, pppoker_id=flow["pppoker_id"])
            except (BackendUnavailable, BackendRefusal):
                pass  # the request went through; the profile can wait
        await reply_with_menu(update, context, done(created))
        return END
