"""Every sentence the bot says, in one place. Messages are HTML: anything that
came from a person (names, reasons, account names) goes through `esc`.

What players read is translated: a function takes the player's `Translator` (`t`), and a
constant is marked with `N_` and translated where it is sent (`t._(texts.CANCELLED)`). English is
the source language (the msgids); botclient/locale/dv/LC_MESSAGES/bot.po holds the Dhivehi.
What admins read stays English and is not in the catalog; it still formats numbers and times
through an English `Translator`.
"""
from __future__ import annotations

import html
from datetime import datetime
from decimal import Decimal

from botclient.api import BackendRefusal
from botclient.i18n import N_, Translator
from botclient.records import (
    AdminEntry, CashbackClaim, CashbackEligibility, CounterStatus, Credit, Deposit, Eligibility, JoinRequest,
    MethodTotal, PaymentMethod, Person, Prize, Promotion, Report, SeatRequest, Spin, User, Withdrawal,
)

UNAVAILABLE = N_("The club's system is not answering right now. Please try again in a minute, nothing was lost.")
UNAVAILABLE_RETRY = N_("The club's system is not answering right now, so nothing was sent yet. "
                       "Please try again in a minute (press Confirm again), nothing was lost.")
NOT_SENT_YET = N_("Not sent yet: please try again in a minute.")
UNEXPECTED = N_("Something went wrong on our side. Please try again in a minute, nothing was lost.")

# One sentence per code of the schema's enum ErrorCode (tests/test_bot_texts.py checks them all).
REFUSALS = {
    "FORBIDDEN": N_("You are not allowed to do that."),
    "NOT_FOUND": N_("I could not find that. If you are new here, send /start first."),
    "INVALID": N_("That does not look right, please check it and try again."),
    "DUPLICATE_PENDING": N_("You already have a request waiting for an admin; please wait until it is decided "
                            "before sending another one."),
    "ALREADY_DECIDED": N_("This request was already decided, so nothing changed."),
    "INSUFFICIENT_SPINS": N_("You do not have enough free spins for that."),
    "BELOW_MINIMUM": N_("That is below the minimum withdrawal."),
    "ACCOUNT_NAME_MISMATCH": N_("Withdrawals are paid only to the account name of your first approved deposit, "
                                "and you have no approved deposit yet."),
    "IDEMPOTENCY_CONFLICT": N_("This request was already sent with different details; please start it again."),
    "UNAVAILABLE": UNAVAILABLE,
    "COUNTER_CLOSED": N_("The counter is closed right now. Please try again later."),
    "CREDIT_OPEN": N_("You still have an open credit; please settle it first."),
    "NOT_ELIGIBLE": N_("You are not eligible for this yet."),
    "RATE_LIMITED": N_("Too many requests at once. Please wait a moment and try again."),
}
COUNTER_CLOSED = REFUSALS["COUNTER_CLOSED"]
UNKNOWN_REFUSAL = N_("The club's system refused this request.")
# What an INVALID refusal means for the field it names; the backend's own words are English.
INVALID_FIELDS = {
    "amount": N_("That amount was not accepted: send a number greater than zero, with at most two decimals."),
    "pppokerId": N_("That PPPoker id was not accepted: it is the number (digits only) shown in your "
                    "PPPoker profile."),
    "accountName": N_("That account name was not accepted; please send it as plain text."),
    "accountNumber": N_("That account number or wallet address was not accepted; please check it."),
    "proof": N_("That slip or TXID was not accepted; please check it."),
    "method": N_("That payment method is not open any more. Please choose another one."),
    "clientSeed": N_("That client seed was not accepted: use 1 to 64 letters, digits or signs, without spaces."),
}


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def refusal(t: Translator, error: BackendRefusal, *, minimum: Decimal | None = None, hours: str = "") -> str:
    """The player's sentence for a refusal: from its code (and field), never the backend's English words.

    `hours`: the counter's opening hours, said with COUNTER_CLOSED when the club set them."""
    if error.code == "COUNTER_CLOSED":
        return counter_closed(t, hours)
    if error.code == "INVALID" and error.field in INVALID_FIELDS:
        return t._(INVALID_FIELDS[error.field])
    if error.code == "BELOW_MINIMUM" and minimum is not None:
        return t._("That is below the minimum withdrawal of {minimum}.").format(minimum=t.money(minimum, "MVR"))
    return t._(REFUSALS.get(error.code, UNKNOWN_REFUSAL))


def counter_closed(t: Translator, hours: str = "") -> str:
    text = t._(COUNTER_CLOSED)
    if hours:
        text += "\n" + t._("Opening hours: {hours}").format(hours=esc(hours))
    return text


def person(who: Person) -> str:
    name = " ".join(part for part in (who.first_name, who.last_name) if part) or "Player"
    handle = f" @{who.username}" if who.username else ""
    return f"{esc(name)}{esc(handle)} (<code>{who.telegram_id}</code>)"


# --- general ------------------------------------------------------------------------

CHOOSE_LANGUAGE = "🌐 Choose your language · ބަހެއް ޚިޔާރުކުރައްވާ"  # both at once: nothing is chosen yet
ASK_PPPOKER = N_("Welcome to the club! 🎲\nPlease send your <b>PPPoker id</b> (digits only) so admins know "
                 "where to load your chips.")
MENU_HINT = N_("Choose from the menu below.")
CANCELLED = N_("Cancelled. Nothing was sent.")
CANCELLED_TOAST = N_("Cancelled")
NOTHING_TO_CANCEL = N_("There is nothing to cancel.")
NOT_UNDERSTOOD = N_("I did not get that. Please use the menu below, or /help.")
USE_BUTTONS = N_("Please use the buttons above, or /cancel.")
BUTTON_EXPIRED = N_("This button is no longer active.")
NOT_ADMIN = N_("This is for admins only.")
LANGUAGE_SAVED = N_("Done: I will write to you in English.")


def welcome(t: Translator, user: User) -> str:
    return t._("Welcome back, {name}! Your PPPoker id is <code>{pppoker_id}</code>.").format(
        name=esc(user.first_name or user.username or t._("player")), pppoker_id=esc(user.pppoker_id)) + \
        "\n" + t._(MENU_HINT)


def pppoker_saved(t: Translator, pppoker_id: str) -> str:
    return t._("Saved: your PPPoker id is <code>{pppoker_id}</code>.").format(pppoker_id=esc(pppoker_id)) + \
        "\n" + t._(MENU_HINT)


# The commands, as /help lists them and as Telegram's command menu shows them (in each language).
COMMANDS = (
    ("start", N_("Register, or show the menu")),
    ("deposit", N_("Load chips")),
    ("withdraw", N_("Cash out")),
    ("seat", N_("A seat on credit: play now, pay later")),
    ("spins", N_("Free spins")),
    ("recovery", N_("Recovery: a share of your deposits back")),
    ("join", N_("Join the club")),
    ("fair", N_("Check that the spins are fair")),
    ("account", N_("My account")),
    ("language", N_("English or Dhivehi")),
    ("help", N_("How it works")),
    ("cancel", N_("Stop what you are doing")),
)


def help_text(t: Translator, *, admin: bool) -> str:
    lines = [
        t._("<b>How it works</b>"),
        t._("💰 <b>Deposit</b>: pick a payment method, transfer to the account shown, then send the amount, "
            "the account name you paid from and the slip photo (or the TXID for USDT). An admin checks it and "
            "loads your chips."),
        t._("💸 <b>Withdraw</b>: payouts go to the account name of your first approved deposit."),
        t._("🪑 <b>Seat</b>: ask for chips on credit; once an admin approves they are loaded, and you pay right "
            "away with the Pay button (a deposit that settles the credit)."),
        t._("🎰 <b>Free Spins</b>: deposits earn spins; wins are loaded after an admin approves them."),
        t._("💎 <b>Recovery</b>: while a recovery promotion runs, claim a share of your deposits since your last "
            "withdrawal; an admin approves it and the chips are loaded."),
        t._("🎮 <b>Join Club</b>: send your PPPoker id; once an admin approves, I send you the club's id and link."),
        t._("👤 <b>My account</b>: your profile, spins and recent requests."),
        t._("💬 <b>Support</b>: write to the club's admins right here; press End when you are done."),
        "",
        t._("<b>Commands</b>"),
        *(f"/{command}: {t._(description)}" for command, description in COMMANDS),
    ]
    if admin:
        lines += ["", ADMIN_HELP]
    return "\n".join(lines)


ADMIN_HELP = (
    "<b>Admin</b>\n"
    "🛠 <b>Admin</b>: the panel: pending queues, payment methods, admins, reports, the counter and broadcasts.\n"
    "💬 Support: Reply under a player's message takes their session; then what you write goes to them.\n"
    "/admin or /pending: the same panel.\n"
    "/credits: open credits, each with Clear.\n"
    "/addspins &lt;telegram id&gt; &lt;n&gt; &lt;reason&gt;: give free spins.\n"
    "/stats today|week|month|6months|year|lifetime: the club's report, in club time."
)

# --- deposits -----------------------------------------------------------------------

CHOOSE_DEPOSIT_METHOD = N_("How did you pay? Choose a payment method:")
NO_METHODS = N_("No payment method is open right now. Please try again later.")
ASK_ACCOUNT_NAME = N_("What is the <b>name on the account</b> you paid from?")
ASK_SLIP = N_("Please send a <b>photo of the transfer slip</b>.")
ASK_TXID = N_("Please send the <b>TXID</b> (transaction hash) of your USDT transfer as text.")
SLIP_NOT_TEXT = N_("Please send the slip as a <b>photo</b>, or /cancel.")
TXID_NOT_PHOTO = N_("For USDT please send the <b>TXID</b> as text, not a photo.")
BAD_AMOUNT = N_("Please send the amount as a number, e.g. <code>500</code> or <code>25.50</code>.")
BAD_TEXT = N_("Please send it as text, or /cancel.")


def method_details(t: Translator, method: PaymentMethod) -> str:
    if method.takes_txid:
        account = t._("Wallet address: <code>{number}</code>")
    else:
        account = t._("Account number: <code>{number}</code>")
    lines = [f"<b>{esc(method.label)}</b>",
             account.format(number=esc(method.account_number or "-")),
             t._("Account holder: {holder}").format(holder=esc(method.account_holder or "-"))]
    if method.unit != "MVR":
        lines.append(t._("Rate: 1 {unit} = {rate}").format(unit=esc(method.unit),
                                                          rate=t.money(method.rate_to_base, "MVR")))
    return "\n".join(lines)


def ask_deposit_amount(t: Translator, method: PaymentMethod) -> str:
    return (t._("Transfer to:") + "\n" + method_details(t, method) + "\n\n"
            + t._("Then send the <b>amount</b> you transferred, in {unit}.").format(unit=esc(method.unit)))


def ask_pppoker(t: Translator, saved: str) -> str:
    if saved:
        return t._("Which <b>PPPoker id</b> should get the chips? Press the button to use "
                   "<code>{pppoker_id}</code>, or send another one.").format(pppoker_id=esc(saved))
    return t._("Please send your <b>PPPoker id</b> (digits only).")


CONFIRM_HINT = N_("Press <b>Confirm</b> to send it to the admins.")


def deposit_summary(t: Translator, method: PaymentMethod, data: dict) -> str:
    if method.takes_txid:
        proof = t._("TXID: <code>{txid}</code>").format(txid=esc(data["proof"]))
    else:
        proof = t._("Slip: photo attached ✅")
    pays = []
    if data.get("credit_id"):
        pays = [t._("🪑 Pays credit #{id} ({owed})").format(id=data["credit_id"],
                                                           owed=t.money(data["credit_amount"], "MVR"))]
    return "\n".join([
        t._("<b>Please check your deposit</b>"),
        *pays,
        t._("Method: {method}").format(method=esc(method.label)),
        t._("Amount: {amount}").format(amount=t.money(data["amount"], method.unit)),
        t._("Account name: {name}").format(name=esc(data["account_name"])),
        proof,
        t._("PPPoker id: <code>{pppoker_id}</code>").format(pppoker_id=esc(data["pppoker_id"])),
        "",
        t._(CONFIRM_HINT),
    ])


def deposit_submitted(t: Translator, deposit: Deposit) -> str:
    if deposit.credit is not None:
        return t._("✅ Payment <b>#{id}</b> of {amount} for your credit #{credit} was sent. An admin will check it "
                   "soon; I will tell you when it is approved.").format(
            id=deposit.id, amount=t.money(deposit.amount, deposit.currency), credit=deposit.credit.id)
    return t._("✅ Deposit <b>#{id}</b> of {amount} was sent. An admin will check it soon; I will tell you when "
               "it is decided.").format(id=deposit.id, amount=t.money(deposit.amount, deposit.currency))


# --- seats on credit ------------------------------------------------------------------

SEAT_NEEDS_PPPOKER = N_("🪑 A seat on credit needs your PPPoker id on file, so admins know where to load the "
                        "chips. Send /start to add it, then ask again.")
ASK_SEAT_AMOUNT = N_("🪑 <b>Seat on credit</b>: the chips are loaded as soon as an admin approves, and you pay "
                     "right after.\nHow many chips do you want, in MVR?")
CREDIT_NOT_OPEN = N_("This credit is already paid or cleared: there is nothing to pay.")
# What a refusal of a seat request means, where the general sentence would not say it.
SEAT_REFUSALS = {
    "DUPLICATE_PENDING": N_("🪑 Your last seat request is still waiting for an admin. You can ask again once it "
                            "is decided; I will tell you when it is."),
    "CREDIT_OPEN": N_("🪑 You still owe for an earlier seat. Please pay that credit before asking for another "
                      "seat."),
}


def seat_refusal(t: Translator, error: BackendRefusal) -> str:
    if error.code == "INVALID" and error.field == "pppokerId":
        return t._(SEAT_NEEDS_PPPOKER)
    if error.code in SEAT_REFUSALS:
        return t._(SEAT_REFUSALS[error.code])
    return refusal(t, error)


def seat_summary(t: Translator, data: dict) -> str:
    amount = t.money(data["amount"], "MVR")
    return "\n".join([
        t._("<b>Please check your seat request</b>"),
        t._("Chips on credit: {amount}").format(amount=amount),
        t._("PPPoker id: <code>{pppoker_id}</code>").format(pppoker_id=esc(data["pppoker_id"])),
        t._("Once an admin approves, you pay {amount} with a deposit.").format(amount=amount),
        "",
        t._(CONFIRM_HINT),
    ])


def seat_submitted(t: Translator, seat: SeatRequest) -> str:
    return t._("✅ Seat request <b>#{id}</b> for {amount} was sent. An admin will decide soon; I will tell you "
               "when it is decided.").format(id=seat.id, amount=t.money(seat.amount, "MVR"))


# --- promotions: recovery (cashback) and joining the club --------------------------------

def _percent(percentage: Decimal | None) -> str:
    # Not t.number: it rounds to whole numbers, and a promotion may give 7.5%.
    return f"{(percentage or Decimal(0)).normalize():f}%"


def cashback_offer(t: Translator, eligibility: CashbackEligibility, saved_pppoker: str) -> str:
    """Eligible: the figures of the claim, then which PPPoker id gets the chips."""
    return "\n".join([
        t._("💎 <b>Recovery</b>: you can claim {percentage} of your deposits since your last withdrawal or "
            "recovery.").format(percentage=_percent(eligibility.percentage)),
        t._("Deposits counted: {deposits}").format(deposits=t.money(eligibility.deposits, "MVR")),
        t._("Recovery: <b>{amount}</b> in chips").format(amount=t.money(eligibility.amount, "MVR")),
        "",
        ask_pppoker(t, saved_pppoker),
    ])


# Why a player may not claim recovery now, one sentence per CashbackRule of the schema.
CASHBACK_RULES = {
    "NO_PROMOTION": N_("💎 There is no recovery promotion running right now. I will be glad to help when there "
                       "is one."),
    "PENDING_CLAIM": N_("💎 Your recovery claim is still waiting for an admin; I will tell you when it is "
                        "decided."),
    "ALREADY_CLAIMED": N_("💎 You already received your recovery in this promotion."),
    "CREDIT_OPEN": N_("💎 Recovery is not paid while you owe for a seat. Please pay that credit first."),
}


def cashback_not_eligible(t: Translator, eligibility: CashbackEligibility) -> str:
    if eligibility.rule == "BELOW_MINIMUM":
        return t._("💎 Recovery needs at least {minimum} of deposits since your last withdrawal or recovery; you "
                   "have {deposits}. Deposit {missing} more to claim it.").format(
            minimum=t.money(eligibility.minimum, "MVR"), deposits=t.money(eligibility.deposits, "MVR"),
            missing=t.money(eligibility.missing, "MVR"))
    return t._(CASHBACK_RULES.get(eligibility.rule, REFUSALS["NOT_ELIGIBLE"]))


def cashback_summary(t: Translator, data: dict) -> str:
    return "\n".join([
        t._("<b>Please check your recovery claim</b>"),
        t._("Recovery: <b>{amount}</b> in chips ({percentage} of {deposits})").format(
            amount=t.money(data["amount"], "MVR"), percentage=_percent(data["percentage"]),
            deposits=t.money(data["deposits"], "MVR")),
        t._("PPPoker id: <code>{pppoker_id}</code>").format(pppoker_id=esc(data["pppoker_id"])),
        "",
        t._(CONFIRM_HINT),
    ])


def cashback_submitted(t: Translator, claim: CashbackClaim) -> str:
    return t._("✅ Recovery claim <b>#{id}</b> for {amount} was sent. An admin will decide soon; I will tell you "
               "when it is decided.").format(id=claim.id, amount=t.money(claim.amount, "MVR"))


def cashback_refusal(t: Translator, error: BackendRefusal) -> str:
    """At Confirm the figures may have changed since the offer: the backend's NOT_ELIGIBLE says so."""
    if error.code == "NOT_ELIGIBLE":
        return t._("💎 Your recovery can no longer be claimed as shown: your deposits or claims changed "
                   "meanwhile. Press 💎 Recovery again to see where you stand.")
    return refusal(t, error)


ASK_JOIN = N_("🎮 <b>Join the club</b>: an admin adds your PPPoker account to the club's table, and I send you "
              "the club's id and link.")
JOIN_DUPLICATE = N_("🎮 Your request to join the club is still waiting for an admin; I will tell you when it is "
                    "decided.")


def ask_join_pppoker(t: Translator, saved: str) -> str:
    if saved:
        return t._("Which <b>PPPoker id</b> should join the club? Press the button to use <code>{pppoker_id}</code>, "
                   "or send another one.").format(pppoker_id=esc(saved))
    return ask_pppoker(t, saved)


def join_refusal(t: Translator, error: BackendRefusal) -> str:
    if error.code == "DUPLICATE_PENDING":
        return t._(JOIN_DUPLICATE)
    return refusal(t, error)


def join_summary(t: Translator, data: dict) -> str:
    return "\n".join([
        t._("<b>Please check your request to join the club</b>"),
        t._("PPPoker id: <code>{pppoker_id}</code>").format(pppoker_id=esc(data["pppoker_id"])),
        "",
        t._(CONFIRM_HINT),
    ])


def join_submitted(t: Translator, join: JoinRequest) -> str:
    return t._("✅ Request <b>#{id}</b> to join the club was sent. An admin will decide soon; I will tell you "
               "when it is decided.").format(id=join.id)


def _join_approved(t: Translator, payload: dict) -> str:
    club_id, link = str(payload.get("club_id") or "").strip(), str(payload.get("club_link") or "").strip()
    lines = [t._("✅ Welcome to the club! Your request #{id} was approved.").format(id=payload.get("join_request_id"))]
    if club_id:
        lines.append(t._("Club id: <code>{club_id}</code>").format(club_id=esc(club_id)))
    if link:
        lines.append(t._("Club link: {link}").format(link=esc(link)))
    if not (club_id and link):  # the club has not set them: the player is not left guessing
        lines.append(t._("An admin will send you what is missing to find the club in PPPoker; write to 💬 "
                         "Support if you need it sooner."))
    return "\n".join(lines)


def promotion_notice(t: Translator, kind: str, payload: dict) -> str | None:
    mvr = {**payload, "currency": "MVR"}  # recovery is in MVR
    reason = esc(payload.get("reason", ""))
    if kind == "cashback.approved":
        return t._("✅ Your recovery claim #{id} was approved: <b>{amount}</b> in chips are being loaded.").format(
            id=payload.get("cashback_claim_id"), amount=_amount(t, mvr))
    if kind == "cashback.rejected":
        return t._("❌ Your recovery claim #{id} for {amount} was rejected.\nReason: {reason}").format(
            id=payload.get("cashback_claim_id"), amount=_amount(t, mvr), reason=reason)
    if kind == "join.approved":
        return _join_approved(t, payload)
    if kind == "join.rejected":
        return t._("❌ Your request #{id} to join the club was rejected.\nReason: {reason}").format(
            id=payload.get("join_request_id"), reason=reason)
    return None  # *.created: the player was told "sent" already


def credit_open(t: Translator, credit: Credit) -> str:
    """Told instead of asking for a seat, and in My account: what is owed, and how to pay it."""
    return t._("🪑 You owe <b>{amount}</b> for your seat (credit #{id}). Transfer it to one of the accounts "
               "below, then press the button of the one you paid to.").format(
        amount=t.money(credit.amount, "MVR"), id=credit.id)


def accounts(t: Translator, payment_methods: list[PaymentMethod]) -> str:
    if not payment_methods:
        return t._(NO_METHODS)
    return "\n\n".join(method_details(t, method) for method in payment_methods)


def ask_credit_payment(t: Translator, method: PaymentMethod, credit: Credit, amount: Decimal) -> str:
    return "\n".join([
        t._("🪑 Paying credit #{id}: {owed}").format(id=credit.id, owed=t.money(credit.amount, "MVR")),
        t._("Transfer <b>{amount}</b> to:").format(amount=t.money(amount, method.unit)),
        method_details(t, method),
        "",
        t._(ASK_ACCOUNT_NAME),
    ])


# --- withdrawals --------------------------------------------------------------------

def withdrawal_rules(t: Translator, eligibility: Eligibility) -> str:
    """Told before the player types anything."""
    return t._("💸 The minimum withdrawal is <b>{minimum}</b>, and it is paid only to <b>{name}</b>, the name "
               "of your first approved deposit.").format(minimum=t.money(eligibility.minimum, "MVR"),
                                                        name=esc(eligibility.payout_name)) + "\n" + \
        t._("How do you want to be paid? Choose a method:")


def withdrawal_refused_up_front(t: Translator, eligibility: Eligibility) -> str:
    if eligibility.code == "ACCOUNT_NAME_MISMATCH":
        return t._("💸 You can withdraw after your first deposit is approved: payouts go only to the account name "
                   "of that deposit. The minimum withdrawal is {minimum}.").format(
            minimum=t.money(eligibility.minimum, "MVR"))
    if eligibility.code == "DUPLICATE_PENDING":
        return t._("💸 Your last withdrawal is still waiting for an admin. You can ask for another one once it "
                   "is decided; I will tell you when it is.")
    return t._(REFUSALS.get(eligibility.code or "", UNKNOWN_REFUSAL))


def ask_withdrawal_amount(t: Translator, method: PaymentMethod) -> str:
    return t._("How much do you want to withdraw, in {unit}?").format(unit=esc(method.unit))


def ask_account_number(t: Translator, method: PaymentMethod) -> str:
    if method.takes_txid:
        return t._("Please send the <b>USDT wallet address</b> to pay to.")
    return t._("Please send the <b>account number</b> to pay to.")


def withdrawal_summary(t: Translator, method: PaymentMethod, data: dict, account_name: str) -> str:
    name = esc(account_name) if account_name else t._("<i>the name of your first approved deposit</i>")
    to = t._("To wallet: <code>{number}</code> ({name})") if method.takes_txid else \
        t._("To account: <code>{number}</code> ({name})")
    return "\n".join([
        t._("<b>Please check your withdrawal</b>"),
        t._("Method: {method}").format(method=esc(method.label)),
        t._("Amount: {amount}").format(amount=t.money(data["amount"], method.unit)),
        to.format(number=esc(data["account_number"]), name=name),
        t._("PPPoker id: <code>{pppoker_id}</code>").format(pppoker_id=esc(data["pppoker_id"])),
        "",
        t._(CONFIRM_HINT),
    ])


def withdrawal_submitted(t: Translator, withdrawal: Withdrawal) -> str:
    return t._("✅ Withdrawal <b>#{id}</b> of {amount} was sent. An admin will process it soon; I will tell you "
               "when it is decided.").format(id=withdrawal.id,
                                             amount=t.money(withdrawal.amount, withdrawal.currency))


# --- spins --------------------------------------------------------------------------

def spins_menu(t: Translator, available: int) -> str:
    if not available:
        return t._("🎰 You have no free spins right now. Approved deposits earn free spins.")
    return t.ngettext("🎰 You have <b>{count}</b> free spin. How many do you want to spin?",
                      "🎰 You have <b>{count}</b> free spins. How many do you want to spin?",
                      available).format(count=t.number(available))


def spin_result(t: Translator, count: int, wins: list[Spin], chips: int, spins_left: int) -> str:
    spun = t.ngettext("🎰 {count} spin", "🎰 {count} spins", count).format(count=t.number(count))
    if not wins:
        head = t._("{spun}: no win this time.").format(spun=spun)
    else:
        won = t.ngettext("{count} win", "{count} wins", len(wins)).format(count=t.number(len(wins)))
        head = t._("{spun}: {won}, {chips} chips — waiting for admin approval").format(
            spun=spun, won=won, chips=t.number(chips))
    lines = [head, *(f"• {esc(spin.prize)}" for spin in wins),
             t._("Spins left: {count}").format(count=t.number(spins_left))]
    return "\n".join(lines)


def odds(t: Translator, prizes: list[Prize], version: int) -> str:
    lines = [t._("🎯 <b>The real odds of every spin</b>")]
    lines += [f"{esc(p.label)}: {t.percent(p.probability)}" for p in prizes]
    lines.append(t._("Prize table version {version}").format(version=t.number(version)))
    return "\n".join(lines)


def fairness(t: Translator, fair) -> str:
    """The Verify screen: what a player needs to recompute their spins, and how."""
    lines = [t._("🔐 <b>Provably fair spins</b>"),
             t._("Every spin is fixed in advance by a secret server seed, your client seed and the spin's "
                 "number (nonce). The server seed's SHA-256 fingerprint, shown before you spin:"),
             f"<code>{esc(fair.server_seed_hash)}</code>",
             t._("Your client seed: <code>{seed}</code>").format(seed=esc(fair.client_seed)),
             t._("Next spin's nonce: {nonce}").format(nonce=t.number(fair.nonce))]
    if fair.previous_server_seed:
        lines += ["", t._("Last revealed server seed: <code>{seed}</code>").format(seed=esc(fair.previous_server_seed)),
                  t._("Its fingerprint: <code>{hash}</code>").format(hash=esc(fair.previous_server_seed_hash))]
    lines += ["", t._("To check: press Reveal. The secret seed is shown (it must match the fingerprint) and a new "
                      "one starts. Each spin's prize is HMAC-SHA256(key: the seed, message: \"client seed:nonce\"); "
                      "its first 13 hex digits, times the total weight of the prizes, divided by 2^52, pick the "
                      "prize in the odds table's order. Anyone can recompute it."),
              t._("Choose your own client seed: /fair followed by a word of yours (no spaces).")]
    return "\n".join(lines)


# --- my account ---------------------------------------------------------------------

STATUS_ICONS = {"PENDING": "⏳", "APPROVED": "✅", "REJECTED": "❌", "AUTO": "·"}


def _request_line(t: Translator, request) -> str:
    # The method is named only where the currency does not already say it ("100.00 USD", not "USD USD").
    via = f" {esc(request.method)}" if request.method.upper() != request.currency.upper() else ""
    return (f"{STATUS_ICONS.get(request.status, '')} #{request.id} {t.money(request.amount, request.currency)}"
            f"{via} · {t.time(request.created_at)}")


def account(t: Translator, overview) -> str:
    user, spin_account = overview.user, overview.user.spin_account
    none_yet = t._("none yet")
    lines = [f"👤 <b>{person(user)}</b>"]
    if user.open_credit is not None:
        lines.append(t._("🪑 <b>Open credit</b>: {amount} (#{id}, since {time}): please pay it with the buttons "
                         "below.").format(amount=t.money(user.open_credit.amount, "MVR"), id=user.open_credit.id,
                                          time=t.time(user.open_credit.created_at)))
    lines += [
        t._("PPPoker id: <code>{pppoker_id}</code>").format(pppoker_id=esc(user.pppoker_id or "-")),
        t._("Payout name: {name}").format(
            name=esc(user.account_name) if user.account_name else t._("- (set by your first approved deposit)")),
        t._("Member since: {time}").format(time=t.time(user.created_at))]
    if spin_account:
        lines.append(t._("🎰 Spins: {available} available, {used} used; chips won {won}, approved {approved}").format(
            available=t.number(spin_account.available_spins), used=t.number(spin_account.total_spins_used),
            won=t.number(spin_account.total_chips_won), approved=t.number(spin_account.total_chips_approved)))
    lines.append("\n" + t._("<b>Recent deposits</b>"))
    lines += [_request_line(t, d) for d in overview.deposits] or [none_yet]
    lines.append("\n" + t._("<b>Recent withdrawals</b>"))
    lines += [_request_line(t, w) for w in overview.withdrawals] or [none_yet]
    wins = [s for s in overview.spins if s.chips][:5]
    lines.append("\n" + t._("<b>Recent wins</b>"))
    lines += [f"{STATUS_ICONS.get(s.status, '')} {esc(s.prize)} · {t.time(s.created_at)}" for s in wins] or [none_yet]
    return "\n".join(lines)


# --- notifications to players -------------------------------------------------------

def _amount(t: Translator, payload: dict) -> str:
    try:
        return t.money(Decimal(str(payload.get("amount"))), payload.get("currency", ""))
    except ArithmeticError:
        return esc(payload.get("amount", ""))


def _decimal_or_none(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None


def _deposit_approved(t: Translator, payload: dict) -> str:
    if payload.get("settled_credit_id"):  # the chips were loaded with the seat: this paid for them
        text = t._("✅ Your payment #{id} of {amount} was approved: your credit #{credit} is settled. Thank "
                   "you!").format(id=payload.get("deposit_id"), amount=_amount(t, payload),
                                  credit=payload["settled_credit_id"])
    else:
        text = t._("✅ Your deposit #{id} of {amount} was approved; your chips are being loaded.").format(
            id=payload.get("deposit_id"), amount=_amount(t, payload))
    if payload.get("bonus_amount"):
        text += " " + t._("With it comes a <b>{bonus}</b> deposit bonus ({percentage}), loaded with your "
                          "chips 🎁.").format(bonus=_amount(t, {"amount": payload["bonus_amount"], "currency": "MVR"}),
                                             percentage=_percent(_decimal_or_none(payload.get("bonus_percentage"))))
    spins = payload.get("spins_granted") or 0
    if spins:
        text += " " + t.ngettext("You earned <b>{count}</b> free spin 🎰.", "You earned <b>{count}</b> free "
                                 "spins 🎰.", spins).format(count=t.number(spins))
    return text


def player_notice(t: Translator, kind: str, payload: dict) -> str | None:
    """What the player is told about an event of the feed; None: nothing to tell."""
    reason = esc(payload.get("reason", ""))
    if kind == "deposit.approved":
        return _deposit_approved(t, payload)
    if kind == "deposit.rejected":
        return t._("❌ Your deposit #{id} of {amount} was rejected.\nReason: {reason}").format(
            id=payload.get("deposit_id"), amount=_amount(t, payload), reason=reason)
    if kind == "withdrawal.approved":
        return t._("✅ Your withdrawal #{id} of {amount} was approved and paid out.").format(
            id=payload.get("withdrawal_id"), amount=_amount(t, payload))
    if kind == "withdrawal.rejected":
        return t._("❌ Your withdrawal #{id} of {amount} was rejected.\nReason: {reason}").format(
            id=payload.get("withdrawal_id"), amount=_amount(t, payload), reason=reason)
    if kind == "spins.granted":
        spins = payload.get("spins") or 0
        available = payload.get("available_spins")
        return t.ngettext("🎁 You received <b>{count}</b> free spin ({reason}). You now have {available}. Press "
                          "🎰 Free Spins to play.",
                          "🎁 You received <b>{count}</b> free spins ({reason}). You now have {available}. Press "
                          "🎰 Free Spins to play.", spins).format(
            count=t.number(spins), reason=reason, available=t.number(available) if available is not None else "?")
    if kind == "spin.approved":
        return t._("✅ Your spin wins were approved: <b>{chips} chips</b> are being loaded.").format(
            chips=t.number(payload.get("chips", 0)))
    if kind == "spin.rejected":
        return t._("❌ Your spin win of {chips} chips was rejected.\nReason: {reason}").format(
            chips=t.number(payload.get("chips", 0)), reason=reason)
    if kind.startswith(("cashback.", "join.")):
        return promotion_notice(t, kind, payload)
    return seat_notice(t, kind, payload)


# Notices that come with the payment accounts and a Pay button per method (pay_notice).
PAY_NOW_KINDS = ("seat.approved", "credit.reminder")


def seat_notice(t: Translator, kind: str, payload: dict) -> str | None:
    mvr = {**payload, "currency": "MVR"}  # seats and credits are in MVR
    if kind == "seat.rejected":
        return t._("❌ Your seat request #{id} for {amount} was rejected.\nReason: {reason}").format(
            id=payload.get("seat_request_id"), amount=_amount(t, mvr), reason=esc(payload.get("reason", "")))
    if kind == "seat.expired":
        return t._("⌛ Your seat request #{id} for {amount} expired: no admin could decide it in time. You can "
                   "ask again.").format(id=payload.get("seat_request_id"), amount=_amount(t, mvr))
    if kind == "credit.cleared":
        return t._("✅ Your credit #{id} of {amount} was cleared by an admin: you owe nothing for it.\n"
                   "Reason: {reason}").format(id=payload.get("credit_id"), amount=_amount(t, mvr),
                                              reason=esc(payload.get("reason", "")))
    # credit.settled: the deposit's approval that settled it tells the player (deposit.approved).
    return None


def pay_notice(t: Translator, kind: str, payload: dict, payment_methods: list[PaymentMethod]) -> str:
    """An approved seat, or a reminder to pay for one, with the accounts to pay to."""
    mvr = {**payload, "currency": "MVR"}
    if kind == "seat.approved":
        head = t._("✅ Your seat request #{id} was approved: <b>{amount}</b> in chips are being loaded on credit.\n"
                   "Please pay {amount} now: transfer it to one of these accounts, then press the button of the "
                   "one you paid to.").format(id=payload.get("seat_request_id"), amount=_amount(t, mvr))
    else:
        head = t._("⏰ Reminder {reminder} of {reminders}: you owe <b>{amount}</b> for your seat (credit #{id}). "
                   "Please pay it now: transfer it to one of these accounts, then press the button of the one you "
                   "paid to.").format(reminder=payload.get("reminder"), reminders=payload.get("reminders"),
                                      amount=_amount(t, mvr), id=payload.get("credit_id"))
    return head + "\n\n" + accounts(t, payment_methods)


# --- admins (English) ---------------------------------------------------------------

OUTCOME_ICONS = {"APPROVED": "✅ Approved", "REJECTED": "❌ Rejected"}


def admin_refusal(error: BackendRefusal) -> str:
    """Plain text for admins (also button toasts): the English sentence and the backend's own words."""
    sentence = REFUSALS.get(error.code, UNKNOWN_REFUSAL)
    return f"{sentence} ({error.message})" if error.message else sentence


def outcome(en: Translator, status: str, decided_by: str | None, decided_at: datetime | None, reason: str) -> str:
    if status == "PENDING":
        return "⏳ <b>Pending</b>"
    line = f"<b>{OUTCOME_ICONS.get(status, esc(status))}</b> by {esc(decided_by or 'an admin')}"
    if decided_at:
        line += f" at {en.time(decided_at)}"
    if status == "REJECTED" and reason:
        # Short enough that a slip photo's caption (1024 characters at most) always fits.
        line += f"\nReason: {esc(reason if len(reason) <= 200 else reason[:199] + '…')}"
    return line


def _deposit_in_mvr(en: Translator, deposit: Deposit) -> str:
    """" = 1,610.00 MVR" for a foreign currency: fixed at approval, at the method's rate now until then."""
    if deposit.currency == "MVR" or deposit.value_base is None:
        return ""
    rate_now = " at today's rate" if deposit.status == "PENDING" else ""
    return f" = {en.money(deposit.value_base, 'MVR')}{rate_now}"


def admin_deposit(en: Translator, deposit: Deposit, *, proof_as_photo: bool) -> str:
    proof = "Slip: photo above" if proof_as_photo else f"Proof/TXID: <code>{esc(deposit.proof)}</code>"
    return (f"💰 <b>Deposit #{deposit.id}</b>\n"
            f"Player: {person(deposit.user)}\n"
            f"Amount: <b>{en.money(deposit.amount, deposit.currency)}</b> via {esc(deposit.method)}"
            f"{_deposit_in_mvr(en, deposit)}\n"
            f"Account name: {esc(deposit.account_name)}\n"
            f"{proof}\n"
            f"PPPoker id: <code>{esc(deposit.pppoker_id)}</code>\n"
            + (f"🪑 Pays credit #{deposit.credit.id} ({en.money(deposit.credit.amount, 'MVR')} owed, "
               f"{deposit.credit.status.lower()})\n" if deposit.credit else "")
            + slip_hints(en, deposit)
            + deposit_bonus_line(en, deposit)
            + f"Requested: {en.time(deposit.created_at)}\n"
            + outcome(en, deposit.status, deposit.decided_by, deposit.decided_at, deposit.rejection_reason))


def deposit_bonus_line(en: Translator, deposit: Deposit) -> str:
    """What the admin loads when a deposit bonus came with the approval: the deposit's chips and the bonus."""
    if deposit.bonus_amount is None:
        return ""
    chips = deposit.value_base if deposit.value_base is not None else deposit.amount_base
    return (f"🎁 Load <b>{en.money(chips, 'MVR')} + bonus {en.money(deposit.bonus_amount, 'MVR')}</b> "
            f"({_percent(deposit.bonus_percentage)} deposit bonus)\n")


def slip_hints(en: Translator, deposit: Deposit) -> str:
    """What the backend read on the slip, and its warnings: hints for the admin, who still decides."""
    reading = deposit.slip_reading
    if reading is None:
        return ""
    if not reading.done:
        return "🔎 Slip: being read…\n"
    read = [part for part in (
        en.money(reading.amount, deposit.currency) if reading.amount is not None else "",
        f"ref <code>{esc(reading.reference)}</code>" if reading.reference else "",
        f"to {esc(' '.join(p for p in (reading.receiver_name, reading.receiver_account) if p))}"
        if reading.receiver_name or reading.receiver_account else "") if part]
    lines = [f"🔎 Slip read: {', '.join(read)}" if read else "🔎 Slip: nothing readable"]
    lines += [f"⚠️ {esc(warning)}" for warning in reading.warnings]
    return "\n".join(lines) + "\n"


def admin_withdrawal(en: Translator, withdrawal: Withdrawal) -> str:
    return (f"💸 <b>Withdrawal #{withdrawal.id}</b>\n"
            f"Player: {person(withdrawal.user)}\n"
            f"Amount: <b>{en.money(withdrawal.amount, withdrawal.currency)}</b> via {esc(withdrawal.method)}"
            + (f" (= {en.money(withdrawal.amount_base, 'MVR')})" if withdrawal.currency != "MVR" else "") + "\n"
            f"Pay to: <code>{esc(withdrawal.account_number)}</code> ({esc(withdrawal.account_name)})\n"
            f"PPPoker id: <code>{esc(withdrawal.pppoker_id)}</code>\n"
            f"Requested: {en.time(withdrawal.created_at)}\n"
            + outcome(en, withdrawal.status, withdrawal.decided_by, withdrawal.decided_at,
                      withdrawal.rejection_reason))


def admin_seat(en: Translator, seat: SeatRequest) -> str:
    lines = [f"🪑 <b>Seat request #{seat.id}</b>",
             f"Player: {person(seat.user)}",
             f"Chips on credit: <b>{en.money(seat.amount, 'MVR')}</b>",
             f"PPPoker id: <code>{esc(seat.pppoker_id)}</code>",
             f"Requested: {en.time(seat.created_at)}",
             outcome(en, seat.status, seat.decided_by, seat.decided_at, seat.rejection_reason)]
    if seat.credit is not None:
        lines.append(f"Credit #{seat.credit.id}: {en.money(seat.credit.amount, 'MVR')}, {seat.credit.status.lower()}")
    return "\n".join(lines)


def admin_cashback(en: Translator, claim: CashbackClaim) -> str:
    return "\n".join([
        f"💎 <b>Recovery claim #{claim.id}</b>",
        f"Player: {person(claim.user)}",
        f"Load: <b>{en.money(claim.amount, 'MVR')}</b> in chips ({_percent(claim.percentage)} of deposits "
        f"{en.money(claim.deposits, 'MVR')})",
        f"PPPoker id: <code>{esc(claim.pppoker_id)}</code>",
        f"Requested: {en.time(claim.created_at)}",
        outcome(en, claim.status, claim.decided_by, claim.decided_at, claim.rejection_reason)])


def admin_join(en: Translator, join: JoinRequest) -> str:
    return "\n".join([
        f"🎮 <b>Join request #{join.id}</b>",
        f"Player: {person(join.user)}",
        f"PPPoker id: <code>{esc(join.pppoker_id)}</code>: add it to the club's table, then approve",
        f"Requested: {en.time(join.created_at)}",
        outcome(en, join.status, join.decided_by, join.decided_at, join.rejection_reason)])


CREDIT_OUTCOMES = {"OPEN": "⏳ <b>Open</b>: owed", "SETTLED": "✅ <b>Settled</b>", "CLEARED": "🧹 <b>Cleared</b>"}


def admin_credit(en: Translator, credit: Credit) -> str:
    lines = [f"💳 <b>Credit #{credit.id}</b>",
             f"Player: {person(credit.user) if credit.user else '-'}",
             f"Owed: <b>{en.money(credit.amount, 'MVR')}</b> for seat request #{credit.seat_request_id}",
             f"Opened: {en.time(credit.created_at)}, reminders sent: {credit.reminders_sent}"]
    state = CREDIT_OUTCOMES.get(credit.status, esc(credit.status))
    if credit.status != "OPEN":
        state += f" by {esc(credit.closed_by or 'an admin')} at {en.time(credit.closed_at)}"
    if credit.settlement_id:
        state += f" (deposit #{credit.settlement_id})"
    if credit.reason:
        state += f"\nReason: {esc(credit.reason if len(credit.reason) <= 200 else credit.reason[:199] + '…')}"
    lines.append(state)
    return "\n".join(lines)


def _wins(count: int) -> str:
    return f"{count} win{'s' * (count != 1)}"


def admin_spins(en: Translator, player: Person, spins: list[Spin]) -> str:
    chips = sum(s.chips for s in spins)
    lines = [f"🎰 <b>Spin wins</b> of {person(player)}",
             f"PPPoker id: <code>{esc(player.pppoker_id or '-')}</code>",
             f"{_wins(len(spins))}, {en.number(chips)} chips"]
    if spins and spins[0].created_at:
        lines.append(f"Spun: {en.time(spins[0].created_at)}")
    for spin in spins:
        lines.append(f"#{spin.id} {esc(spin.prize)}: "
                     + outcome(en, spin.status, spin.decided_by, spin.decided_at, spin.rejection_reason))
    return "\n".join(lines)


# The other kinds are named as they are.
KIND_NAMES = {"seat": "seat request", "cashback": "recovery claim", "join": "join request"}


def ask_reason(kind: str, request_id: int) -> str:
    if kind == "credit":
        return f"Why is credit #{request_id} cleared (paid another way, written off)? Send the reason the player " \
               "will see, or /cancel."
    return f"Why is {KIND_NAMES.get(kind, kind)} #{request_id} rejected? Send the reason the player will see, " \
           "or /cancel."


def already_decided(status: str, decided_by: str | None) -> str:
    word = {"APPROVED": "approved", "REJECTED": "rejected", "SETTLED": "settled", "CLEARED": "cleared"}.get(
        status, status.lower())
    return f"Already {word} by {decided_by or 'an admin'}"


def decided_toast(status: str) -> str:
    return {"APPROVED": "Approved ✅", "REJECTED": "Rejected ❌"}.get(status, "Done")


NO_PENDING = {"deposit": "No pending deposits. 🎉", "withdrawal": "No pending withdrawals. 🎉",
              "spin": "No pending spin rewards. 🎉", "seat": "No pending seat requests. 🎉",
              "credit": "No open credits. 🎉", "cashback": "No pending recovery claims. 🎉",
              "join": "No pending join requests. 🎉"}
REASON_AGAIN = "\nSend the reason again when it is back, or /cancel."
ANOTHER_REASON = "\nSend another reason, or /cancel."


def rejected(kind: str, request_id: int) -> str:
    if kind == "credit":
        return f"🧹 Credit #{request_id} cleared."
    return f"❌ {KIND_NAMES.get(kind, kind).capitalize()} #{request_id} rejected."


def pending_footer(kind: str, shown: int) -> str:
    return f"Showing {shown} pending {kind}{'s' * (shown != 1)} (oldest first)."


def open_credits_footer(shown: int) -> str:
    return f"Showing {shown} open credit{'s' * (shown != 1)} (newest first)."


def rewards_approved(en: Translator, count: int, chips: int) -> str:
    if not count:
        return "There were no pending wins left to approve."
    return f"✅ Approved {_wins(count)}, {en.number(chips)} chips."


ADDSPINS_USAGE = "Usage: /addspins &lt;telegram id&gt; &lt;number of spins&gt; &lt;reason&gt;"


def spins_granted(en: Translator, telegram_id: int, spins: int, available: int) -> str:
    return f"🎁 Granted {en.number(spins)} spins to <code>{telegram_id}</code>; they now have {en.number(available)}."


# --- the admin panel (English) ---------------------------------------------------------------

def _queue_line(en: Translator, request, what: str) -> str:
    return f"#{request.id} · {what} · {person(request.user)} · {en.time(request.created_at)}"


def queue_deposit_line(en: Translator, deposit: Deposit) -> str:
    return _queue_line(en, deposit, f"{en.money(deposit.amount, deposit.currency)} {esc(deposit.method)}"
                       + _deposit_in_mvr(en, deposit))


def queue_withdrawal_line(en: Translator, withdrawal: Withdrawal) -> str:
    return _queue_line(en, withdrawal, f"{en.money(withdrawal.amount, withdrawal.currency)} "
                                       f"{esc(withdrawal.method)}")


def queue_spin_line(en: Translator, spin: Spin) -> str:
    return _queue_line(en, spin, esc(spin.prize))


def queue_seat_line(en: Translator, seat: SeatRequest) -> str:
    return _queue_line(en, seat, f"{en.money(seat.amount, 'MVR')} on credit")


def queue_cashback_line(en: Translator, claim: CashbackClaim) -> str:
    return _queue_line(en, claim, f"{en.money(claim.amount, 'MVR')} recovery")


def queue_join_line(en: Translator, join: JoinRequest) -> str:
    return _queue_line(en, join, f"PPPoker <code>{esc(join.pppoker_id)}</code>")


def panel_home(en: Translator, queues, counts: dict[str, int]) -> str:
    waiting = [f"{en.number(queue.count(counts))} {queue.noun(queue.count(counts))}" for queue in queues]
    return "🛠 <b>Admin panel</b>\nWaiting for a decision: " + " · ".join(waiting)


def queue_page(en: Translator, queue, items: list, offset: int, total: int) -> str:
    if not items:
        return f"<b>{queue.title}</b>\nNone waiting. 🎉"
    first, last = offset + 1, offset + len(items)
    lines = [f"<b>{queue.title}</b>: {en.number(first)}–{en.number(last)} of {en.number(total)}, oldest first"]
    lines += [f"{offset + n}. {queue.line(en, item)}" for n, item in enumerate(items, start=1)]
    lines.append("Open one to decide it.")
    return "\n".join(lines)


ITEM_GONE = "That request is not there any more."
# --- the counter ---


def counter_card(en: Translator, counter: CounterStatus) -> str:
    state = ("🟢 The counter is <b>open</b>." if counter.is_open
             else "🔴 The counter is <b>closed</b>: players' new requests are refused.")
    text = f"🏪 <b>Counter</b>\n{state}"
    if counter.changed_at:
        text += f"\nLast changed {esc(en.time(counter.changed_at))} by {esc(counter.changed_by)}."
    return text


def ask_announcement(state: str) -> str:
    action = "closing" if state == "CLOSED" else "opening"
    return (f"Send the announcement for every player about {action} the counter (text), or press "
            "<b>No announcement</b>.")


def counter_after(state: str, announce: str) -> str:
    after = state.lower()
    return f"{after}, announcing: {announce}" if announce else f"{after}, no announcement"


STALE_CONFIRM = "That question is no longer open: confirm the newest one."
NO_SUCH_METHOD = "That payment method is not there any more."

# --- reports ---

PERIODS = {"TODAY": "Today", "WEEK": "This week", "MONTH": "This month", "SIX_MONTHS": "Last 6 months",
           "YEAR": "This year", "LIFETIME": "Lifetime"}
# What /stats takes, as admins type it.
PERIOD_WORDS = {"today": "TODAY", "week": "WEEK", "month": "MONTH", "6months": "SIX_MONTHS",
                "six_months": "SIX_MONTHS", "year": "YEAR", "lifetime": "LIFETIME"}
STATS_USAGE = "Usage: /stats today|week|month|6months|year|lifetime"
REPORTS_MENU = "📊 <b>Reports</b>: which period? (club time)"


def _totals(en: Translator, label: str, total: Decimal, rows: list[MethodTotal]) -> list[str]:
    lines = [f"{label}: <b>{en.money(total, 'MVR')}</b>"]
    for row in rows:
        line = f"  • {esc(row.method)}: {en.number(row.count)}, {en.money(row.amount, row.currency)}"
        if row.currency != "MVR":
            line += f" = {en.money(row.amount_base, 'MVR')}"
        lines.append(line)
    return lines


def report_figures(en: Translator, report: Report) -> list[str]:
    chips = f"🎰 Spin chips approved: {en.number(report.spin_chips_approved)}"
    if report.spin_chips_base is not None:
        chips += f" ({en.money(report.spin_chips_base, 'MVR')})"
    return [
        *_totals(en, "💰 Deposits", report.deposits_base, report.deposits),
        *_totals(en, "💸 Withdrawals", report.withdrawals_base, report.withdrawals),
        chips,
        f"🎁 Bonuses: {en.money(report.bonuses_base, 'MVR')}",
        f"♻️ Recovery: {en.money(report.cashback_base, 'MVR')}",
        f"<b>Net: {en.money(report.net_base, 'MVR')}</b>",
    ]


def report(en: Translator, period: str, data: Report) -> str:
    span = f"{en.time(data.start)} – {en.time(data.end)}" if data.start else f"until {en.time(data.end)}"
    return "\n".join([f"📊 <b>Report: {PERIODS.get(period, esc(period))}</b>", span, *report_figures(en, data),
                      f"🪑 Open credits now: {en.number(data.open_credits)}, "
                      f"{en.money(data.open_credits_base, 'MVR')}"])


def daily_report(en: Translator, day: str, yesterday: Report, month: Report) -> str:
    return "\n".join([f"🗓 <b>Daily report for {esc(day)}</b>", "", "<b>Yesterday</b>",
                      *report_figures(en, yesterday), "", "<b>This month so far</b>", *report_figures(en, month),
                      "", f"🪑 Open credits: {en.number(month.open_credits)}, "
                          f"{en.money(month.open_credits_base, 'MVR')}"])


# --- payment methods ---

METHOD_FIELDS = {"number": "account number", "holder": "account holder", "rate": "rate to MVR", "active": "status"}


def rate(value: Decimal | None) -> str:
    """A rate as admins typed it: 15.40, 16.1234; never 15.4000 nor 1E+1."""
    if value is None:
        return "-"
    text = f"{value.normalize():f}"
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def method_value(method: PaymentMethod, field: str) -> str:
    """One setting of a method as the before / after of a change shows it."""
    if field == "number":
        return method.account_number or "(empty)"
    if field == "holder":
        return method.account_holder or "(empty)"
    if field == "rate":
        return rate(method.rate_to_base)
    return "active" if method.is_active else "inactive"


def method_what(code: str, field: str) -> str:
    return f"{esc(code)}: {METHOD_FIELDS[field]}"


def methods_list(en: Translator, methods: list[PaymentMethod]) -> str:
    lines = ["💳 <b>Payment methods</b> (players see the active ones)"]
    for method in methods:
        state = "✅ active" if method.is_active else "⏸ inactive"
        line = f"• <b>{esc(method.code)}</b> {esc(method.account_number or '-')} · {esc(method.account_holder or '-')}"
        if method.currency != "MVR":
            line += f" · 1 {esc(method.currency)} = {rate(method.rate_to_base)} MVR"
        lines.append(f"{line} · {state}")
    return "\n".join(lines)


def method_card(en: Translator, method: PaymentMethod) -> str:
    lines = [f"💳 <b>{esc(method.code)}</b> · {esc(method.label)} ({esc(method.currency)})",
             f"Account number: <code>{esc(method.account_number or '-')}</code>",
             f"Account holder: {esc(method.account_holder or '-')}"]
    if method.currency != "MVR":
        lines.append(f"Rate: 1 {esc(method.currency)} = {rate(method.rate_to_base)} MVR")
    lines.append("Status: ✅ active" if method.is_active else "Status: ⏸ inactive (players do not see it)")
    return "\n".join(lines)


def ask_method_value(method: PaymentMethod, field: str) -> str:
    now = esc(method_value(method, field))
    if field == "rate":
        return (f"Send the new rate of <b>{esc(method.code)}</b>: how many MVR one {esc(method.currency)} is "
                f"(now {now}), e.g. <code>15.42</code>. Or /cancel.")
    return (f"Send the new {METHOD_FIELDS[field]} of <b>{esc(method.code)}</b> (now {now}), or <code>-</code> "
            f"to leave it empty. Or /cancel.")


BAD_RATE = "Please send the rate as a number, e.g. <code>15.42</code>, or /cancel."

# --- promotions ---

PROMOTION_KINDS = {"DEPOSIT_BONUS": "Deposit bonus", "CASHBACK": "Recovery"}
PROMOTION_FORMAT = "<code>10 2026-12-01 2026-12-31</code>"


def promotion_label(promotion: Promotion) -> str:
    return (f"{PROMOTION_KINDS.get(promotion.kind, promotion.kind)} {rate(promotion.percentage)}% "
            f"{promotion.starts_on.isoformat()} – {promotion.ends_on.isoformat()}")


PROMOTION_STATES = {"UPCOMING": "⏳ upcoming", "ACTIVE": "🟢 active", "ENDED": "⏹ ended"}


def promotion_state(promotion: Promotion) -> str:
    return PROMOTION_STATES.get(promotion.state, promotion.state)


def promotions_list(promotions: list[Promotion]) -> str:
    lines = ["🎁 <b>Promotions</b> (newest first)"]
    lines += [f"• #{p.id} {esc(promotion_label(p))} · {promotion_state(p)}" for p in promotions]
    if not promotions:
        lines.append("None yet.")
    return "\n".join(lines)


def ask_promotion(kind: str) -> str:
    return (f"New <b>{PROMOTION_KINDS[kind].lower()}</b>: send the percentage, the first day and the last day "
            f"in one message, e.g. {PROMOTION_FORMAT} (days as YYYY-MM-DD, both included). Or /cancel.")


def bad_promotion(kind: str, problem: str) -> str:
    return f"{esc(problem)}\n{ask_promotion(kind)}"


def confirm_promotion(label: str) -> str:
    return f"Start the promotion <b>{esc(label)}</b>?\nPress <b>Confirm</b> to create it."


def promotion_created(label: str) -> str:
    return f"✅ Created the promotion <b>{esc(label)}</b>."


def promotion_not_created(label: str, error: BackendRefusal) -> str:
    return f"❌ The promotion <b>{esc(label)}</b> was not created: {esc(admin_refusal(error))}"


# --- admins ---

ASK_ADMIN_ID = ("Send the <b>Telegram id</b> of the new admin (digits; they can see it in @userinfobot), "
                "or /cancel.")
BAD_ADMIN_ID = "Please send the Telegram id as digits, e.g. <code>123456789</code>, or /cancel."
YOU_ARE_ADMIN = "🛠 You are now an admin of the club's bot: /admin opens the admin panel (send /start for the button)."


def admin_name(telegram_id: int, username: str = "", name: str = "") -> str:
    shown = " ".join(part for part in (esc(name), f"@{esc(username)}" if username else "") if part)
    return f"{shown} ({telegram_id})" if shown else str(telegram_id)


def admins_list(en: Translator, admins: list[AdminEntry]) -> str:
    lines = [f"👥 <b>Admins</b> ({en.number(len(admins))})"]
    for entry in admins:
        marks = []
        if entry.is_super_admin:
            marks.append("super admin")
        if entry.from_environment:
            marks.append("from ADMIN_USER_ID")
        else:
            added = f"added by {esc(entry.added_by or '-')}"
            if entry.added_at:
                added += f" at {en.time(entry.added_at)}"
            marks.append(added)
        icon = "👑" if entry.is_super_admin else "•"
        lines.append(f"{icon} {admin_name(entry.telegram_id, entry.username)} · {' · '.join(marks)}")
    return "\n".join(lines)


# --- a change: before -> after, then Confirm ---

def confirm_change(what: str, before: str, after: str) -> str:
    return f"Change <b>{what}</b>?\n{esc(before)} → {esc(after)}\nPress <b>Confirm</b> to apply it."


def changed(what: str, before: str, after: str) -> str:
    return f"✅ Changed <b>{what}</b>: {esc(before)} → {esc(after)}"


def not_changed(what: str, error: BackendRefusal) -> str:
    return f"❌ <b>{what}</b> was not changed: {esc(admin_refusal(error))}"


# --- live support ---
# The player's side is translated; the admins' side is English, as every admin text.

SUPPORT_OPENED = N_("💬 You are talking to support now. Write your message here (text or a photo) and an admin "
                    "will answer in this chat. Press <b>End</b> when you are done.")
SUPPORT_STILL_OPEN = N_("💬 You are still talking to support: just write your message here.")
SUPPORT_ENDED_BY_PLAYER = N_("💬 Support session ended. Choose from the menu below.")
SUPPORT_ENDED_BY_ADMIN = N_("💬 The admin ended the support session. Press 💬 Support to write again.")
SUPPORT_ENDED_IDLE = N_("💬 The support session closed because there was no answer for a while. Press 💬 Support "
                        "to write again.")
SUPPORT_GONE = N_("💬 This support session has ended. Press 💬 Support to open a new one.")


def support_taken(t: Translator, agent: str) -> str:
    return t._("💬 {agent} from the club is answering you now.").format(agent=esc(agent))


def support_reply(t: Translator, text: str) -> str:
    """An admin's message as the player reads it (a photo's caption too)."""
    return t._("💬 <b>Support</b>: {text}").format(text=esc(text)) if text else t._("💬 <b>Support</b>")


def support_ended(t: Translator, by: str) -> str:
    return t._({"player": SUPPORT_ENDED_BY_PLAYER, "admin": SUPPORT_ENDED_BY_ADMIN}.get(by, SUPPORT_ENDED_IDLE))


def admin_support_opened(session_id: int, who: Person) -> str:
    return f"💬 <b>Support #{session_id}</b>: {person(who)} opened a session. Reply takes it."


def admin_support_message(session_id: int, who: Person, text: str) -> str:
    said = f"\n{esc(text)}" if text else ""
    return f"💬 <b>Support #{session_id}</b> · {person(who)}:{said}"


def admin_support_taken(session_id: int, who: Person) -> str:
    return (f"💬 You took <b>support #{session_id}</b> with {person(who)}: what you write here now goes to them. "
            "End closes the session.")


def admin_support_closed(session_id: int, closed_by: str) -> str:
    return f"💬 Support #{session_id} was closed by {esc(closed_by)}."


SUPPORT_NOTHING_OPEN = "You have no support session open: press Reply under a player's message first."


# --- broadcasts (admins) ---

ASK_BROADCAST = ("📣 Send the <b>message for every player</b>: a text, or a photo with its caption. Players read it "
                 "exactly as you write it.")


def confirm_broadcast(text: str, photo: str) -> str:
    shown = f"\n\n{esc(text)}" if text else ""
    with_photo = " (with your photo)" if photo else ""
    return f"📣 Send this to every player{with_photo}?{shown}\n\nPress <b>Confirm</b> to start sending."


def broadcast_progress(broadcast) -> str:
    words = {"SENDING": "sending…", "DONE": "done ✅", "CANCELLED": "cancelled"}
    return (f"📣 <b>Broadcast #{broadcast.id}</b>: {words.get(broadcast.state, broadcast.state.lower())}\n"
            f"{broadcast.done} of {broadcast.total} handled: {broadcast.sent} sent, {broadcast.blocked} blocked the "
            f"bot, {broadcast.failed} failed.")
