"""Seat on credit end to end: the real bot polling the Telegram fake, against a live backend.

The worker is not running here: its timed jobs (expiry, payment reminders) are run in the backend's
own process with a clock moved past the timeout (jobs.tasks.run_due_jobs(now=...)), so no test waits
for two minutes to pass. The world (backend, fake, bot, two admins) is test_bot_e2e's.
"""
import re

from botclient import keyboards, texts
from tests.test_bot_e2e import (  # noqa: F401  (fixtures)
    ADMIN_A, ADMIN_B, DV, SLIP, THAANA, admin_message, decided, w, wait_answer, world,
)

TIMEOUT_S, REMINDER_S = 120, 60  # config/settings.py's defaults, which the live backend runs with
PAY_BML = "Pay with Bank of Maldives"


def run_jobs(w, *, seconds_later: int) -> None:
    """The worker's timed jobs, once, as if `seconds_later` seconds had passed."""
    w.backend.manage("shell", "-c", "from datetime import timedelta; from django.utils import timezone; "
                                    "from jobs.tasks import run_due_jobs; "
                                    f"run_due_jobs(now=timezone.now() + timedelta(seconds={seconds_later}))")


def ask_for_a_seat(player, amount: str) -> int:
    mark = player.send(keyboards.SEAT)
    player.wait_for_text("How many chips do you want", after=mark)
    mark = player.send(amount)
    summary = player.wait_for_text("Please check your seat request", after=mark)
    assert "12345" in summary.text and summary.buttons == [["✅ Confirm", "✖️ Cancel"]]
    mark = player.press_button("✅ Confirm", summary)
    sent = player.wait_for_text("was sent", after=mark)
    return int(re.search(r"Seat request #(\d+)", sent.text).group(1))


def open_credit(w, player) -> dict | None:
    return w.gql("query($t: BigInt!) { user(telegramId: $t) { openCredit { id amount remindersSent } } }",
                 {"t": player.id})["user"]["openCredit"]


def seat_on_credit(w, player, amount: str) -> int:
    """A seat asked for and approved through the API; the credit's id once the player was told."""
    seat = w.gql("mutation($i: SeatRequestInput!) { createSeatRequest(input: $i) { ... on SeatRequest { id } } }",
                 {"i": {"telegramId": player.id, "amount": amount}})["createSeatRequest"]
    w.gql("mutation($id: ID!, $a: BigInt) { approveSeatRequest(id: $id, actorTelegramId: $a) { __typename } }",
          {"id": seat["id"], "a": ADMIN_B})
    player.wait_for_text(f"seat request #{seat['id']} was approved")
    return int(open_credit(w, player)["id"])


def test_a_seat_from_request_to_approval_reminder_payment_and_settlement(w):
    player = w.new_player("Sami")
    seat_id = ask_for_a_seat(player, "1,500")

    copies = {admin.id: admin_message(admin, f"Seat request #{seat_id}") for admin in (w.admin_a, w.admin_b)}
    for copy in copies.values():
        assert copy.buttons == [["✅ Approve", "❌ Reject"]] and "Chips on credit: 1,500.00 MVR" in copy.text
    mark = w.admin_a.press_button("✅ Approve", copies[ADMIN_A])
    assert wait_answer(w, mark) == "Approved ✅"
    approved = player.wait_for_text(f"seat request #{seat_id} was approved", after=mark)
    assert "1,500.00 MVR" in approved.text and "7730000123456" in approved.text and "Club Ltd" in approved.text
    assert [PAY_BML, "Pay with Maldives Islamic Bank"] in approved.buttons
    credit = open_credit(w, player)
    assert credit["amount"] == "1500.00" and credit["remindersSent"] == 0
    credit_id = int(credit["id"])
    for admin in (w.admin_a, w.admin_b):
        card = decided(admin, copies[admin.id], "Approved", after=mark)
        assert "by @anna" in card.text and f"Credit #{credit_id}: 1,500.00 MVR, open" in card.text

    mark = player.mark()
    run_jobs(w, seconds_later=REMINDER_S + 1)
    reminder = player.wait_for_text("Reminder 1 of 2", after=mark)
    assert f"credit #{credit_id}" in reminder.text and "1,500.00 MVR" in reminder.text
    assert [PAY_BML, "Pay with Maldives Islamic Bank"] in reminder.buttons

    mark = player.press_button(PAY_BML, reminder)
    ask = player.wait_for_text(f"Paying credit #{credit_id}", after=mark)
    assert "Transfer 1,500.00 MVR to:" in ask.text and "7730000123456" in ask.text and "name on the account" in ask.text
    mark = player.send("Sami Real")
    player.wait_for_text("photo of the transfer slip", after=mark)
    mark = player.send_photo(file_id=SLIP)
    mark = player.press_button("Use 12345", player.wait_for(lambda m: ["Use 12345"] in m.buttons, after=mark))
    summary = player.wait_for_text("Please check your deposit", after=mark)
    assert f"Pays credit #{credit_id} (1,500.00 MVR)" in summary.text and "Amount: 1,500.00 MVR" in summary.text
    mark = player.press_button("✅ Confirm", summary)
    sent = player.wait_for_text(f"for your credit #{credit_id} was sent", after=mark)
    deposit_id = int(re.search(r"Payment #(\d+)", sent.text).group(1))

    card = admin_message(w.admin_b, f"Deposit #{deposit_id}")
    assert f"Pays credit #{credit_id} (1,500.00 MVR owed, open)" in card.text and card.photo == SLIP
    mark = w.admin_b.press_button("✅ Approve", card)
    assert wait_answer(w, mark) == "Approved ✅"
    settled = player.wait_for_text(f"your credit #{credit_id} is settled", after=mark)
    assert f"payment #{deposit_id}" in settled.text and "7 free spins" in settled.text  # it counts as a deposit
    assert "chips are being loaded" not in settled.text  # they were, with the seat
    credits = w.gql("query($t: BigInt!) { credits(telegramId: $t) { id status settlement { id } } }",
                    {"t": player.id})["credits"]
    assert credits == [{"id": str(credit_id), "status": "SETTLED", "settlement": {"id": str(deposit_id)}}]

    mark = player.send(keyboards.ACCOUNT)
    account = player.wait_for_text("Recent deposits", after=mark)
    assert "Open credit" not in account.text and not account.buttons
    mark = player.press_button(PAY_BML, reminder)  # a Pay button of the settled credit
    assert wait_answer(w, mark) == texts.CREDIT_NOT_OPEN


def test_a_seat_nobody_decides_expires_and_everyone_is_told(w):
    player = w.new_player("Tara")
    seat_id = ask_for_a_seat(player, "300")
    copy = admin_message(w.admin_a, f"Seat request #{seat_id}")

    mark = player.mark()
    run_jobs(w, seconds_later=TIMEOUT_S - 10)
    run_jobs(w, seconds_later=TIMEOUT_S + 1)
    note = player.wait_for_text(f"seat request #{seat_id}", after=mark)
    assert "expired" in note.text and "300.00 MVR" in note.text
    card = decided(w.admin_a, copy, "Rejected", after=mark)
    assert "by system" in card.text and "Reason: expired" in card.text
    seat = w.gql('{ seatRequest(id: "%d") { status decidedBy rejectionReason credit { id } } }' % seat_id)
    assert seat["seatRequest"] == {"status": "REJECTED", "decidedBy": "system", "rejectionReason": "expired",
                                   "credit": None}
    w.nothing_more_for(player)  # the first run found nothing due: one notice, not two
    assert sum(f"seat request #{seat_id}" in (m.text or "") for m in player.messages()) == 1


def test_an_admin_clears_an_open_credit_with_a_reason(w):
    player = w.new_player("Umar")
    credit_id = seat_on_credit(w, player, "800")

    mark = player.send(keyboards.ACCOUNT)
    account = player.wait_for_text("Open credit", after=mark)
    assert f"800.00 MVR (#{credit_id}" in account.text
    assert [PAY_BML, "Pay with Maldives Islamic Bank"] in account.buttons
    mark = player.send(keyboards.SEAT)  # no second seat: told what is owed, with the way to pay it
    owed = player.wait_for_text(f"You owe 800.00 MVR for your seat (credit #{credit_id})", after=mark)
    assert [PAY_BML, "Pay with Maldives Islamic Bank"] in owed.buttons

    mark = w.admin_a.send("/credits")
    card = w.admin_a.wait_for(lambda m: f"Credit #{credit_id}" in (m.text or "") and m.buttons, after=mark)
    assert "Owed: 800.00 MVR" in card.text and "Umar @umar" in card.text
    w.admin_a.wait_for_text("open credit", after=mark)
    mark = w.admin_a.press_button("🧹 Clear (asks a reason)", card)
    w.admin_a.wait_for_text(f"Why is credit #{credit_id} cleared", after=mark)
    mark = w.admin_a.send("paid in cash at the counter")
    w.admin_a.wait_for_text(f"Credit #{credit_id} cleared", after=mark)
    note = player.wait_for_text(f"credit #{credit_id} of 800.00 MVR was cleared", after=mark)
    assert "Reason: paid in cash at the counter" in note.text
    redrawn = w.admin_a.wait_for(lambda m: m.message_id == card.message_id and "Cleared" in (m.text or "")
                                 and not m.buttons, after=mark)
    assert "by @anna" in redrawn.text and "paid in cash at the counter" in redrawn.text
    assert open_credit(w, player) is None

    mark = w.admin_a.press(card, f"k:r:{credit_id}")  # a stale Clear: told who did it
    assert wait_answer(w, mark) == f"Already cleared by @anna ({ADMIN_A})"


def test_refusals_in_the_players_language_and_rejection_from_the_pending_list(w):
    newcomer = w.new_player("Vera", register=False)
    w.gql("mutation($i: UserInput!) { upsertUser(input: $i) { __typename } }",
          {"i": {"telegramId": newcomer.id, "username": "vera", "language": "DV"}})
    mark = newcomer.send(DV._(keyboards.SEAT))
    refused = newcomer.wait_for(lambda m: THAANA.search(m.text or "") and "/start" in m.text, after=mark)
    assert refused.text == DV._(texts.SEAT_NEEDS_PPPOKER)

    player = w.new_player("Wali")
    seat_id = ask_for_a_seat(player, "400")
    mark = player.send(keyboards.SEAT)
    player.wait_for_text("How many chips", after=mark)
    mark = player.send("400")
    mark = player.press_button("✅ Confirm", player.wait_for_text("Please check your seat request", after=mark))
    player.wait_for_text(texts.SEAT_REFUSALS["DUPLICATE_PENDING"], after=mark)

    mark = w.admin_b.send(keyboards.ADMIN)
    panel = w.admin_b.wait_for_text("Admin panel", after=mark)
    assert "1 seat request" in panel.text
    mark = w.admin_b.press_button("🪑 Seats (1)", panel)
    w.admin_b.wait_for(lambda m: m.message_id == panel.message_id and "Pending seat requests" in (m.text or ""),
                       after=mark)
    mark = w.admin_b.press_button(f"🔎 #{seat_id} 400.00 MVR", panel)
    listed = w.admin_b.wait_for(lambda m: f"Seat request #{seat_id}" in (m.text or "") and m.buttons, after=mark)
    mark = w.admin_b.press_button("❌ Reject", listed)
    w.admin_b.wait_for_text(f"Why is seat request #{seat_id} rejected", after=mark)
    mark = w.admin_b.send("Tables are full tonight")
    w.admin_b.wait_for_text(f"Seat request #{seat_id} rejected", after=mark)
    note = player.wait_for_text(f"seat request #{seat_id} for 400.00 MVR was rejected", after=mark)
    assert "Reason: Tables are full tonight" in note.text
    decided(w.admin_b, listed, "Rejected", after=mark)
