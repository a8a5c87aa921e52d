"""Every sentence the bot says, in one place. Messages are HTML: anything that
came from a person (names, reasons, account names) goes through `esc`."""
from __future__ import annotations

import html
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from botclient.api import BackendRefusal
from botclient.records import Deposit, PaymentMethod, Person, Prize, Spin, Stats, User, Withdrawal

UNAVAILABLE = "The club's system is not answering right now. Please try again in a minute, nothing was lost."
UNAVAILABLE_RETRY = ("The club's system is not answering right now, so nothing was sent yet. "
                     "Please try again in a minute (press Confirm again), nothing was lost.")
UNEXPECTED = "Something went wrong on our side. Please try again in a minute, nothing was lost."

# One sentence per refusal code of the API contract.
REFUSALS = {
    "FORBIDDEN": "You are not allowed to do that.",
    "NOT_FOUND": "I could not find that. If you are new here, send /start first.",
    "INVALID": "That does not look right, please check it and try again.",
    "DUPLICATE_PENDING": "You already have a request waiting for an admin; please wait until it is decided "
                         "before sending another one.",
    "ALREADY_DECIDED": "This request was already decided, so nothing changed.",
    "INSUFFICIENT_SPINS": "You do not have enough free spins for that.",
    "BELOW_MINIMUM": "That is below the minimum withdrawal.",
    "ACCOUNT_NAME_MISMATCH": "Withdrawals are paid only to the account name of your first approved deposit, "
                             "and you have no approved deposit yet.",
    "IDEMPOTENCY_CONFLICT": "This request was already sent with different details; please start it again.",
}
UNKNOWN_REFUSAL = "The club's system refused this request."
# The backend's own wording adds what the player needs (which field, the minimum, the balance).
DETAILED_CODES = {"INVALID", "BELOW_MINIMUM", "INSUFFICIENT_SPINS"}


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def refusal(error: BackendRefusal) -> str:
    sentence = REFUSALS.get(error.code, UNKNOWN_REFUSAL)
    if error.code in DETAILED_CODES and error.message:
        return f"{sentence}\n<i>{esc(error.message)}</i>"
    return sentence


def local_time(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return "-"
    return f"{amount:,.2f} {currency}".strip()


def person(who: Person) -> str:
    name = " ".join(part for part in (who.first_name, who.last_name) if part) or "Player"
    handle = f" @{who.username}" if who.username else ""
    return f"{esc(name)}{esc(handle)} (<code>{who.telegram_id}</code>)"


# --- general ------------------------------------------------------------------------

ASK_PPPOKER = ("Welcome to the club! 🎲\nPlease send your <b>PPPoker id</b> (digits only) so admins know "
               "where to load your chips.")
BAD_PPPOKER = "A PPPoker id is digits only, at least 3. Please send it again, or /cancel."
MENU_HINT = "Choose from the menu below."
CANCELLED = "Cancelled. Nothing was sent."
NOTHING_TO_CANCEL = "There is nothing to cancel."
NOT_UNDERSTOOD = "I did not get that. Please use the menu below, or /help."
BUTTON_EXPIRED = "This button is no longer active."
NOT_ADMIN = "This is for admins only."


def welcome(user: User) -> str:
    return (f"Welcome back, {esc(user.first_name or user.username or 'player')}! "
            f"Your PPPoker id is <code>{esc(user.pppoker_id)}</code>.\n{MENU_HINT}")


def pppoker_saved(pppoker_id: str) -> str:
    return f"Saved: your PPPoker id is <code>{esc(pppoker_id)}</code>.\n{MENU_HINT}"


HELP = (
    "<b>How it works</b>\n"
    "💰 <b>Deposit</b>: pick a payment method, transfer to the account shown, then send the amount, "
    "the account name you paid from and the slip photo (or the TXID for USDT). An admin checks it and "
    "loads your chips.\n"
    "💸 <b>Withdraw</b>: payouts go to the account name of your first approved deposit.\n"
    "🎰 <b>Free Spins</b>: deposits earn spins; wins are loaded after an admin approves them.\n"
    "👤 <b>My account</b>: your profile, spins and recent requests.\n"
    "/cancel stops whatever you are doing."
)
ADMIN_HELP = (
    "\n\n<b>Admin</b>\n"
    "🛠 <b>Admin</b>: pending deposits, withdrawals and spin rewards.\n"
    "/addspins &lt;telegram id&gt; &lt;n&gt; &lt;reason&gt;: give free spins.\n"
    "/stats today|week|month: totals in club time."
)

# --- deposits -----------------------------------------------------------------------

CHOOSE_DEPOSIT_METHOD = "How did you pay? Choose a payment method:"
NO_METHODS = "No payment method is open right now. Please try again later."
ASK_ACCOUNT_NAME = "What is the <b>name on the account</b> you paid from?"
ASK_SLIP = "Please send a <b>photo of the transfer slip</b>."
ASK_TXID = "Please send the <b>TXID</b> (transaction hash) of your USDT transfer as text."
SLIP_NOT_TEXT = "Please send the slip as a <b>photo</b>, or /cancel."
TXID_NOT_PHOTO = "For USDT please send the <b>TXID</b> as text, not a photo."
BAD_AMOUNT = "Please send the amount as a number greater than zero, e.g. <code>500</code> or <code>25.50</code>."
BAD_TEXT = "Please send it as text, or /cancel."


def method_details(method: PaymentMethod) -> str:
    lines = [f"<b>{esc(method.label)}</b> ({esc(method.currency)})",
             f"Account number: <code>{esc(method.account_number or '-')}</code>",
             f"Account holder: {esc(method.account_holder or '-')}"]
    if method.currency != "MVR":
        lines.append(f"Rate: 1 {esc(method.currency)} = {method.rate_to_base:,.2f} MVR")
    return "\n".join(lines)


def ask_deposit_amount(method: PaymentMethod) -> str:
    return (f"Transfer to:\n{method_details(method)}\n\n"
            f"Then send the <b>amount</b> you transferred, in {esc(method.currency)}.")


def ask_pppoker(saved: str) -> str:
    if saved:
        return (f"Which <b>PPPoker id</b> should get the chips? Press the button to use "
                f"<code>{esc(saved)}</code>, or send another one.")
    return "Please send your <b>PPPoker id</b> (digits only)."


def deposit_summary(method: PaymentMethod, data: dict) -> str:
    proof = "TXID: <code>" + esc(data["proof"]) + "</code>" if method.takes_txid else "Slip: photo attached ✅"
    return ("<b>Please check your deposit</b>\n"
            f"Method: {esc(method.label)}\n"
            f"Amount: {money(data['amount'], method.currency)}\n"
            f"Account name: {esc(data['account_name'])}\n"
            f"{proof}\n"
            f"PPPoker id: <code>{esc(data['pppoker_id'])}</code>\n\n"
            "Press <b>Confirm</b> to send it to the admins.")


def deposit_submitted(deposit: Deposit) -> str:
    return (f"✅ Deposit <b>#{deposit.id}</b> of {money(deposit.amount, deposit.currency)} was sent. "
            "An admin will check it soon; I will tell you when it is decided.")


# --- withdrawals --------------------------------------------------------------------

CHOOSE_WITHDRAWAL_METHOD = "How do you want to be paid? Choose a method:"


def ask_withdrawal_amount(method: PaymentMethod) -> str:
    return f"How much do you want to withdraw, in {esc(method.currency)}?"


def ask_account_number(method: PaymentMethod) -> str:
    what = "wallet address" if method.takes_txid else "account number"
    return f"Please send the <b>{what}</b> to pay to."


def withdrawal_summary(method: PaymentMethod, data: dict, account_name: str) -> str:
    name = esc(account_name) if account_name else "<i>the name of your first approved deposit</i>"
    return ("<b>Please check your withdrawal</b>\n"
            f"Method: {esc(method.label)}\n"
            f"Amount: {money(data['amount'], method.currency)}\n"
            f"To account: <code>{esc(data['account_number'])}</code> ({name})\n"
            f"PPPoker id: <code>{esc(data['pppoker_id'])}</code>\n\n"
            "Press <b>Confirm</b> to send it to the admins.")


def withdrawal_submitted(withdrawal: Withdrawal) -> str:
    return (f"✅ Withdrawal <b>#{withdrawal.id}</b> of {money(withdrawal.amount, withdrawal.currency)} was sent. "
            "An admin will process it soon; I will tell you when it is decided.")


# --- spins --------------------------------------------------------------------------

def spins_menu(available: int) -> str:
    if not available:
        return "🎰 You have no free spins right now. Approved deposits earn free spins."
    return f"🎰 You have <b>{available}</b> free spin{'s' * (available != 1)}. How many do you want to spin?"


def spin_result(count: int, wins: list[Spin], chips: int, spins_left: int) -> str:
    plural = "s" * (count != 1)
    if not wins:
        head = f"🎰 {count} spin{plural}: no win this time."
    else:
        head = (f"🎰 {count} spin{plural}: {len(wins)} win{'s' * (len(wins) != 1)}, {chips} chips "
                "— waiting for admin approval")
    lines = [head, *(f"• {esc(spin.prize)}" for spin in wins), f"Spins left: {spins_left}"]
    return "\n".join(lines)


def odds(prizes: list[Prize]) -> str:
    lines = ["🎯 <b>The real odds of every spin</b>"]
    lines += [f"{esc(p.label)}: {p.probability * 100:.3f}%" for p in prizes]
    return "\n".join(lines)


# --- my account ---------------------------------------------------------------------

STATUS_ICONS = {"PENDING": "⏳", "APPROVED": "✅", "REJECTED": "❌", "AUTO": "·"}


def account(overview, tz: ZoneInfo) -> str:
    user, spin_account = overview.user, overview.user.spin_account
    lines = [f"👤 <b>{person(user)}</b>",
             f"PPPoker id: <code>{esc(user.pppoker_id or '-')}</code>",
             f"Payout name: {esc(user.account_name or '- (set by your first approved deposit)')}",
             f"Member since: {local_time(user.created_at, tz)}"]
    if spin_account:
        lines.append(f"🎰 Spins: {spin_account.available_spins} available, {spin_account.total_spins_used} used; "
                     f"chips won {spin_account.total_chips_won}, approved {spin_account.total_chips_approved}")
    lines.append("\n<b>Recent deposits</b>")
    lines += [f"{STATUS_ICONS.get(d.status, '')} #{d.id} {money(d.amount, d.currency)} {esc(d.method)} "
              f"· {local_time(d.created_at, tz)}" for d in overview.deposits] or ["none yet"]
    lines.append("\n<b>Recent withdrawals</b>")
    lines += [f"{STATUS_ICONS.get(w.status, '')} #{w.id} {money(w.amount, w.currency)} {esc(w.method)} "
              f"· {local_time(w.created_at, tz)}" for w in overview.withdrawals] or ["none yet"]
    wins = [s for s in overview.spins if s.chips][:5]
    lines.append("\n<b>Recent wins</b>")
    lines += [f"{STATUS_ICONS.get(s.status, '')} {esc(s.prize)} · {local_time(s.created_at, tz)}"
              for s in wins] or ["none yet"]
    return "\n".join(lines)


# --- notifications to players -------------------------------------------------------

def _amount(payload: dict) -> str:
    try:
        return money(Decimal(str(payload.get("amount"))), payload.get("currency", ""))
    except ArithmeticError:
        return esc(payload.get("amount", ""))


def player_notice(kind: str, payload: dict) -> str | None:
    """What the player is told about an event of the feed; None: nothing to tell."""
    reason = esc(payload.get("reason", ""))
    if kind == "deposit.approved":
        spins = payload.get("spins_granted") or 0
        extra = f" You earned <b>{spins}</b> free spin{'s' * (spins != 1)} 🎰." if spins else ""
        return (f"✅ Your deposit #{payload.get('deposit_id')} of {_amount(payload)} was approved; "
                f"your chips are being loaded.{extra}")
    if kind == "deposit.rejected":
        return f"❌ Your deposit #{payload.get('deposit_id')} of {_amount(payload)} was rejected.\nReason: {reason}"
    if kind == "withdrawal.approved":
        return f"✅ Your withdrawal #{payload.get('withdrawal_id')} of {_amount(payload)} was approved and paid out."
    if kind == "withdrawal.rejected":
        return (f"❌ Your withdrawal #{payload.get('withdrawal_id')} of {_amount(payload)} was rejected.\n"
                f"Reason: {reason}")
    if kind == "spins.granted":
        spins = payload.get("spins") or 0
        return (f"🎁 You received <b>{spins}</b> free spin{'s' * (spins != 1)} ({reason}). "
                f"You now have {payload.get('available_spins', '?')}. Press 🎰 Free Spins to play.")
    if kind == "spin.approved":
        return f"✅ Your spin wins were approved: <b>{payload.get('chips', 0)} chips</b> are being loaded."
    if kind == "spin.rejected":
        return f"❌ Your spin win of {payload.get('chips', 0)} chips was rejected.\nReason: {reason}"
    return None


# --- admins -------------------------------------------------------------------------

OUTCOME_ICONS = {"APPROVED": "✅ Approved", "REJECTED": "❌ Rejected"}


def outcome(status: str, decided_by: str | None, decided_at: datetime | None, reason: str, tz: ZoneInfo) -> str:
    if status == "PENDING":
        return "⏳ <b>Pending</b>"
    line = f"<b>{OUTCOME_ICONS.get(status, esc(status))}</b> by {esc(decided_by or 'an admin')}"
    if decided_at:
        line += f" at {local_time(decided_at, tz)}"
    if status == "REJECTED" and reason:
        # Short enough that a slip photo's caption (1024 characters at most) always fits.
        line += f"\nReason: {esc(reason if len(reason) <= 200 else reason[:199] + '…')}"
    return line


def admin_deposit(deposit: Deposit, tz: ZoneInfo, *, proof_as_photo: bool) -> str:
    proof = "Slip: photo above" if proof_as_photo else f"Proof/TXID: <code>{esc(deposit.proof)}</code>"
    return (f"💰 <b>Deposit #{deposit.id}</b>\n"
            f"Player: {person(deposit.user)}\n"
            f"Amount: <b>{money(deposit.amount, deposit.currency)}</b> via {esc(deposit.method)}\n"
            f"Account name: {esc(deposit.account_name)}\n"
            f"{proof}\n"
            f"PPPoker id: <code>{esc(deposit.pppoker_id)}</code>\n"
            f"Requested: {local_time(deposit.created_at, tz)}\n"
            + outcome(deposit.status, deposit.decided_by, deposit.decided_at, deposit.rejection_reason, tz))


def admin_withdrawal(withdrawal: Withdrawal, tz: ZoneInfo) -> str:
    return (f"💸 <b>Withdrawal #{withdrawal.id}</b>\n"
            f"Player: {person(withdrawal.user)}\n"
            f"Amount: <b>{money(withdrawal.amount, withdrawal.currency)}</b> via {esc(withdrawal.method)}"
            + (f" (= {money(withdrawal.amount_base, 'MVR')})" if withdrawal.currency != "MVR" else "") + "\n"
            f"Pay to: <code>{esc(withdrawal.account_number)}</code> ({esc(withdrawal.account_name)})\n"
            f"PPPoker id: <code>{esc(withdrawal.pppoker_id)}</code>\n"
            f"Requested: {local_time(withdrawal.created_at, tz)}\n"
            + outcome(withdrawal.status, withdrawal.decided_by, withdrawal.decided_at,
                      withdrawal.rejection_reason, tz))


def admin_spins(player: Person, spins: list[Spin], tz: ZoneInfo) -> str:
    chips = sum(s.chips for s in spins)
    lines = [f"🎰 <b>Spin wins</b> of {person(player)}",
             f"PPPoker id: <code>{esc(player.pppoker_id or '-')}</code>",
             f"{len(spins)} win{'s' * (len(spins) != 1)}, {chips} chips"]
    if spins and spins[0].created_at:
        lines.append(f"Spun: {local_time(spins[0].created_at, tz)}")
    for spin in spins:
        lines.append(f"#{spin.id} {esc(spin.prize)}: "
                     + outcome(spin.status, spin.decided_by, spin.decided_at, spin.rejection_reason, tz))
    return "\n".join(lines)


def ask_reason(kind: str, request_id: int) -> str:
    return f"Why is {kind} #{request_id} rejected? Send the reason the player will see, or /cancel."


def already_decided(status: str, decided_by: str | None) -> str:
    word = {"APPROVED": "approved", "REJECTED": "rejected"}.get(status, status.lower())
    return f"Already {word} by {decided_by or 'an admin'}"


def decided_toast(status: str) -> str:
    return {"APPROVED": "Approved ✅", "REJECTED": "Rejected ❌"}.get(status, "Done")


PENDING_MENU = "🛠 <b>Admin</b>: what do you want to see?"
NO_PENDING = {"deposit": "No pending deposits. 🎉", "withdrawal": "No pending withdrawals. 🎉",
              "spin": "No pending spin rewards. 🎉"}


def pending_footer(kind: str, shown: int) -> str:
    return f"Showing {shown} pending {kind}{'s' * (shown != 1)} (oldest first)."


def pending_rewards(player: Person, spins: list[Spin]) -> str:
    chips = sum(s.chips for s in spins)
    lines = [f"🎰 {person(player)}: {len(spins)} pending win{'s' * (len(spins) != 1)}, {chips} chips",
             f"PPPoker id: <code>{esc(player.pppoker_id or '-')}</code>"]
    lines += [f"#{s.id} {esc(s.prize)}" for s in spins]
    return "\n".join(lines)


def rewards_approved(count: int, chips: int) -> str:
    if not count:
        return "There were no pending wins left to approve."
    return f"✅ Approved {count} win{'s' * (count != 1)}, {chips} chips."


ADDSPINS_USAGE = "Usage: /addspins &lt;telegram id&gt; &lt;number of spins&gt; &lt;reason&gt;"


def spins_granted(telegram_id: int, spins: int, available: int) -> str:
    return f"🎁 Granted {spins} spins to <code>{telegram_id}</code>; they now have {available}."


STATS_USAGE = "Usage: /stats today|week|month"


def stats(period: str, start: datetime, end: datetime, data: Stats, tz: ZoneInfo) -> str:
    def by_currency(totals: dict[str, Decimal]) -> str:
        return ", ".join(money(amount, currency) for currency, amount in totals.items()) or "-"

    return (f"📊 <b>Stats: {esc(period)}</b>\n{local_time(start, tz)} – {local_time(end, tz)}\n"
            f"Deposits approved: {data.deposits_approved}, {money(data.deposits_approved_base, 'MVR')} "
            f"({by_currency(data.deposits_by_currency)})\n"
            f"Withdrawals approved: {data.withdrawals_approved}, {money(data.withdrawals_approved_base, 'MVR')} "
            f"({by_currency(data.withdrawals_by_currency)})\n"
            f"Spins used: {data.spins_used}\n"
            f"Chips won: {data.chips_won}, approved: {data.chips_approved}")
