"""Keyboards and the callback data they carry.

Callback data stays well under Telegram's 64 bytes: "<what>:<action>:<id>",
e.g. "d:a:123" approves deposit 123.
"""
from __future__ import annotations

import re

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, WebAppInfo
from telegram.ext import filters

from botclient.i18n import LANGUAGE_NAMES, LANGUAGES, N_, Translator, gettext_in
from botclient.records import PaymentMethod, Spin

DEPOSIT = N_("💰 Deposit")
WITHDRAW = N_("💸 Withdraw")
SPINS = N_("🎰 Free Spins")
SEAT = N_("🪑 Seat")
RECOVERY = N_("💎 Recovery")
JOIN = N_("🎮 Join Club")
ACCOUNT = N_("👤 My account")
HELP = N_("❓ Help")
LANGUAGE = N_("🌐 Language")
SUPPORT = N_("💬 Support")
ADMIN = "🛠 Admin"  # admins read English
MENU_BUTTONS = (DEPOSIT, WITHDRAW, SEAT, SPINS, RECOVERY, JOIN, ACCOUNT, HELP, LANGUAGE, SUPPORT, ADMIN)


def labels(button: str) -> list[str]:
    """A menu key in every language: a keyboard sent before a switch of language still works after it."""
    return sorted({gettext_in(language, button) for language in LANGUAGES})


def pressed(button: str) -> filters.MessageFilter:
    return filters.Text(labels(button))


CANCEL_LABEL = N_("✖️ Cancel")
# A Cancel button names its flow ("x:deposit"), so a stale one left on an old prompt cannot end another flow.
CANCEL_ANY = r"^x(:\w+)?$"
CONFIRM = "ok"
LANGUAGE_PATTERN = re.compile(rf"^lang:({'|'.join(LANGUAGES)})$")

# A press of a main-menu key (or a command) inside a flow ends that flow and is never taken as input.
MENU_KEYS = filters.Text([label for button in MENU_BUTTONS for label in labels(button)])
MENU_PRESS = MENU_KEYS | filters.COMMAND
FREE_TEXT = filters.TEXT & ~MENU_PRESS


def main_menu(t: Translator, is_admin: bool = False) -> ReplyKeyboardMarkup:
    rows = [[t._(DEPOSIT), t._(WITHDRAW)], [t._(SEAT), t._(SPINS)], [t._(RECOVERY), t._(JOIN)],
            [t._(ACCOUNT), t._(HELP)], [t._(LANGUAGE), t._(SUPPORT)]]
    if is_admin:
        rows[-1].append(ADMIN)
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def languages() -> InlineKeyboardMarkup:
    """Each language named in itself, so whoever cannot read one still finds the other."""
    return InlineKeyboardMarkup([[Button(LANGUAGE_NAMES[code], callback_data=f"lang:{code}")
                                  for code in LANGUAGES]])


def cancel_data(flow: str) -> str:
    return f"x:{flow}"


def cancel_row(t: Translator, flow: str) -> list[Button]:
    return [Button(t._(CANCEL_LABEL), callback_data=cancel_data(flow))]


def only_cancel(t: Translator, flow: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([cancel_row(t, flow)])


def methods(t: Translator, flow: str, prefix: str, payment_methods: list[PaymentMethod]) -> InlineKeyboardMarkup:
    buttons = [Button(m.label, callback_data=f"{prefix}:m:{m.code}") for m in payment_methods]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup([*rows, cancel_row(t, flow)])


def use_saved_pppoker(t: Translator, flow: str, prefix: str, pppoker_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button(t._("Use {pppoker_id}").format(pppoker_id=pppoker_id),
                                         callback_data=f"{prefix}:pp")], cancel_row(t, flow)])


def confirm(t: Translator, flow: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button(t._("✅ Confirm"), callback_data=CONFIRM), *cancel_row(t, flow)]])


# --- paying a credit ----------------------------------------------------------------------

# "pay:<credit id>:<method code>": starts the deposit flow that settles that credit.
PAY_PATTERN = re.compile(r"^pay:(\d+):(\w+)$")


def pay_credit(t: Translator, payment_methods: list[PaymentMethod], credit_id: int) -> InlineKeyboardMarkup | None:
    """A Pay button per open payment method, each starting the deposit flow for that credit."""
    buttons = [Button(t._("Pay with {method}").format(method=m.label), callback_data=f"pay:{credit_id}:{m.code}")
               for m in payment_methods]
    return InlineKeyboardMarkup([buttons[i:i + 2] for i in range(0, len(buttons), 2)]) if buttons else None


# --- spins ----------------------------------------------------------------------------

SPIN_COUNTS = (1, 10, 25, 50, 100)
SPIN_PATTERN = re.compile(r"^sp:([0-9a-f]{8}):(\d+|all)$")
ODDS = "sp:odds"
CLOSE_SPINS = "sp:close"
FAIRNESS = "sp:fair"
REVEAL_SEED = "sp:reveal"


def spin_choices(t: Translator, available: int, nonce: str, miniapp_url: str = "") -> InlineKeyboardMarkup:
    """Only what the player can afford; the nonce makes a double tap of one button one spin. With a
    Mini App URL, the wheel first: the same spins, on a wheel."""
    rows = [[Button(t._("🎡 Wheel"), web_app=WebAppInfo(miniapp_url))]] if miniapp_url else []
    counts = [Button(t.number(n), callback_data=f"sp:{nonce}:{n}") for n in SPIN_COUNTS if n <= available]
    rows += [counts[i:i + 5] for i in range(0, len(counts), 5)]
    if available:
        rows.append([Button(t._("All ({count})").format(count=t.number(available)),
                            callback_data=f"sp:{nonce}:all")])
    rows.append([Button(t._("🎯 Odds"), callback_data=ODDS), Button(t._("🔐 Verify"), callback_data=FAIRNESS),
                 Button(t._("✖️ Close"), callback_data=CLOSE_SPINS)])
    return InlineKeyboardMarkup(rows)


def fairness(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button(t._("🔄 Reveal the seed, start a new one"), callback_data=REVEAL_SEED)]])


# --- admins ---------------------------------------------------------------------------

KIND_LETTERS = {"deposit": "d", "withdrawal": "w", "spin": "s", "seat": "t", "credit": "k", "cashback": "c",
                "join": "j"}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}
# Spin buttons carry the player too: after a decision the bot redraws the player's batch of wins.
# A credit has no Approve: its one decision, Clear, goes the way of a rejection (it asks a reason).
DECIDE_PATTERN = re.compile(r"^([dwtcj]):a:(\d+)$|^(s):a:(\d+):(\d+)$")
REJECT_PATTERN = re.compile(r"^([dwtkcj]):r:(\d+)$|^(s):r:(\d+):(\d+)$")
APPROVE_ALL_PATTERN = re.compile(r"^sa:(\d+)$")
CREDITS_MENU_PATTERN = re.compile(r"^adm:(seats|credits)$")


def decide(kind: str, request_id: int) -> InlineKeyboardMarkup:
    letter = KIND_LETTERS[kind]
    return InlineKeyboardMarkup([[Button("✅ Approve", callback_data=f"{letter}:a:{request_id}"),
                                  Button("❌ Reject", callback_data=f"{letter}:r:{request_id}")]])


def clear_credit(credit_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("🧹 Clear (asks a reason)", callback_data=f"k:r:{credit_id}")]])


def parse_decision(match: re.Match) -> tuple[str, int, int | None]:
    """(kind, request id, player id or None) from a DECIDE_PATTERN or REJECT_PATTERN match."""
    letter, request_id, s_letter, spin_id, player_id = match.groups()
    if s_letter:
        return "spin", int(spin_id), int(player_id)
    return LETTER_KINDS[letter], int(request_id), None


def decide_spins(spins: list[Spin], player_id: int, *, approve_all: bool = True) -> InlineKeyboardMarkup | None:
    """A row per pending win, and one button approving every pending win of the player."""
    pending = [s for s in spins if s.status == "PENDING"]
    if not pending:
        return None
    rows = [[Button(f"✅ #{s.id} {s.prize}", callback_data=f"s:a:{s.id}:{player_id}"),
             Button(f"❌ #{s.id}", callback_data=f"s:r:{s.id}:{player_id}")] for s in pending[:8]]
    if approve_all:
        rows.append([Button("✅ Approve all pending of this player", callback_data=f"sa:{player_id}")])
    return InlineKeyboardMarkup(rows)


# --- the admin panel (handlers/panel.py): every callback starts with "p:" ----------------------

PANEL = "p:home"
PANEL_PATTERN = re.compile(r"^p:home$")
QUEUE_PATTERN = re.compile(r"^p:q:([a-z]+):(\d+)$")  # kind, offset
OPEN_PATTERN = re.compile(r"^p:o:([a-z]+):(\d+)$")  # kind, request id
METHODS = "p:m"
METHODS_PATTERN = re.compile(r"^p:m$")
METHOD_PATTERN = re.compile(r"^p:m:(\w+)$")
METHOD_EDIT_PATTERN = re.compile(r"^p:me:(\w+):(number|holder|rate)$")
METHOD_ACTIVE_PATTERN = re.compile(r"^p:ma:(\w+):([01])$")
ADMINS = "p:a"
ADMINS_PATTERN = re.compile(r"^p:a$")
ADMIN_ADD = "p:aa"
ADMIN_ADD_PATTERN = re.compile(r"^p:aa$")
ADMIN_REMOVE_PATTERN = re.compile(r"^p:ar:(\d+)$")
REPORTS = "p:r"
REPORTS_PATTERN = re.compile(r"^p:r$")
REPORT_PATTERN = re.compile(r"^p:r:([A-Z_]+)$")
COUNTER = "p:c"
COUNTER_PATTERN = re.compile(r"^p:c$")
COUNTER_SET_PATTERN = re.compile(r"^p:c:(OPEN|CLOSED)$")
NO_ANNOUNCEMENT = "p:cn"
NO_ANNOUNCEMENT_PATTERN = re.compile(r"^p:cn$")
BROADCAST = "p:b"
BROADCAST_PATTERN = re.compile(r"^p:b$")
BROADCAST_CANCEL_PATTERN = re.compile(r"^p:bx:(\d+)$")
# The nonce ties Confirm to the one change it was shown for.
PROMOTIONS = "p:pr"
PROMOTIONS_PATTERN = re.compile(r"^p:pr$")
PROMOTION_NEW_PATTERN = re.compile(r"^p:pn:(DEPOSIT_BONUS|CASHBACK)$")
PROMOTION_END_PATTERN = re.compile(r"^p:pe:(\d+)$")
CONFIRM_CHANGE_PATTERN = re.compile(r"^p:ok:([0-9a-f]{8})$")
PANEL_FLOW = "panel"  # its Cancel button is "x:panel"


def _rows(buttons: list[Button], width: int) -> list[list[Button]]:
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


def to_panel() -> list[Button]:
    return [Button("🛠 Panel", callback_data=PANEL)]


def panel_home(queues: list[tuple[str, str, int]], counter_open: bool = True) -> InlineKeyboardMarkup:
    """queues: (key, button label, count) of each pending queue."""
    queue_buttons = [Button(f"{label} ({count})", callback_data=f"p:q:{key}:0") for key, label, count in queues]
    return InlineKeyboardMarkup([*_rows(queue_buttons, 2),
                                 [Button("💳 Payment methods", callback_data=METHODS),
                                  Button("👥 Admins", callback_data=ADMINS)],
                                 [Button("📊 Reports", callback_data=REPORTS),
                                  Button("🧾 Open credits", callback_data="adm:credits")],
                                 [Button("🟢 Counter: open" if counter_open else "🔴 Counter: closed",
                                         callback_data=COUNTER),
                                  Button("📣 Broadcast", callback_data=BROADCAST)],
                                 [Button("🎁 Promotions", callback_data=PROMOTIONS)]])


def promotions(endable: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """endable: (promotion id, how its End button names it), for those not over yet."""
    rows = [[Button(f"⏹ End {label}", callback_data=f"p:pe:{promotion_id}")] for promotion_id, label in endable]
    return InlineKeyboardMarkup([*rows, [Button("➕ Deposit bonus", callback_data="p:pn:DEPOSIT_BONUS"),
                                         Button("➕ Recovery", callback_data="p:pn:CASHBACK")], to_panel()])


def counter(is_open: bool) -> InlineKeyboardMarkup:
    toggle = (Button("🔴 Close the counter", callback_data=f"{COUNTER}:CLOSED") if is_open
              else Button("🟢 Open the counter", callback_data=f"{COUNTER}:OPEN"))
    return InlineKeyboardMarkup([[toggle], to_panel()])


def no_announcement() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("🔕 No announcement", callback_data=NO_ANNOUNCEMENT),
                                  Button("✖️ Cancel", callback_data=cancel_data(PANEL_FLOW))]])


def queue_page(key: str, items: list[tuple[int, str]], offset: int, previous: int | None,
               following: int | None) -> InlineKeyboardMarkup:
    """items: (request id, Open button label); previous/following: those pages' offsets, or None."""
    rows = [[Button(label, callback_data=f"p:o:{key}:{item_id}")] for item_id, label in items]
    paging = []
    if previous is not None:
        paging.append(Button("⬅️ Prev", callback_data=f"p:q:{key}:{previous}"))
    if following is not None:
        paging.append(Button("Next ➡️", callback_data=f"p:q:{key}:{following}"))
    if paging:
        rows.append(paging)
    rows.append([Button("🔄 Refresh", callback_data=f"p:q:{key}:{offset}"), *to_panel()])
    return InlineKeyboardMarkup(rows)


def reports(periods: dict[str, str]) -> InlineKeyboardMarkup:
    buttons = [Button(label, callback_data=f"p:r:{period}") for period, label in periods.items()]
    return InlineKeyboardMarkup([*_rows(buttons, 3), to_panel()])


def payment_methods(methods: list[PaymentMethod]) -> InlineKeyboardMarkup:
    buttons = [Button(f"{m.code} {'✅' if m.is_active else '⏸'}", callback_data=f"p:m:{m.code}") for m in methods]
    return InlineKeyboardMarkup([*_rows(buttons, 2), to_panel()])


def payment_method(method: PaymentMethod) -> InlineKeyboardMarkup:
    code = method.code
    rows = [[Button("✏️ Account number", callback_data=f"p:me:{code}:number"),
             Button("✏️ Holder", callback_data=f"p:me:{code}:holder")]]
    if method.currency != "MVR":  # an MVR method converts at 1 by definition
        rows.append([Button("✏️ Rate", callback_data=f"p:me:{code}:rate")])
    rows.append([Button("⏸ Deactivate", callback_data=f"p:ma:{code}:0") if method.is_active
                 else Button("▶️ Activate", callback_data=f"p:ma:{code}:1")])
    rows.append([Button("⬅️ Methods", callback_data=METHODS), *to_panel()])
    return InlineKeyboardMarkup(rows)


def admins(entries: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """entries: (telegram id, how the button names them). Every admin has Remove: the backend says who stays."""
    rows = [[Button(f"➖ Remove {label}", callback_data=f"p:ar:{telegram_id}")] for telegram_id, label in entries]
    return InlineKeyboardMarkup([*rows, [Button("➕ Add admin", callback_data=ADMIN_ADD), *to_panel()]])


def confirm_change(nonce: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("✅ Confirm", callback_data=f"p:ok:{nonce}"),
                                  Button("✖️ Cancel", callback_data=cancel_data(PANEL_FLOW))]])


def panel_cancel() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("✖️ Cancel", callback_data=cancel_data(PANEL_FLOW))]])


def after_change(back: str, back_label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button(back_label, callback_data=back), *to_panel()]])


# --- live support: "sup:<action>:<session id>" -------------------------------------------------------

SUPPORT_REPLY_PATTERN = re.compile(r"^sup:r:(\d+)$")  # an admin takes the session
SUPPORT_END_PATTERN = re.compile(r"^sup:e:(\d+)$")  # an admin ends it
SUPPORT_LEAVE_PATTERN = re.compile(r"^sup:x:(\d+)$")  # the player ends it
SUPPORT_TAKEN_PATTERN = re.compile(r"^sup:t:(\d+)$")  # says who took it; does nothing


def support_waiting(session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("💬 Reply", callback_data=f"sup:r:{session_id}"),
                                  Button("✖️ End", callback_data=f"sup:e:{session_id}")]])


def support_agent(session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("✖️ End", callback_data=f"sup:e:{session_id}")]])


def support_taken_by(session_id: int, agent: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button(f"✋ Taken by {agent}"[:60], callback_data=f"sup:t:{session_id}")]])


def support_player(t: Translator, session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button(t._(SUPPORT_END), callback_data=f"sup:x:{session_id}")]])


SUPPORT_END = N_("✖️ End support")


def broadcast_progress(broadcast_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[Button("⏹ Cancel the broadcast", callback_data=f"p:bx:{broadcast_id}")]])
