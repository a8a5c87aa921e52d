"""The admin panel end to end: the real bot polling the Telegram fake, against a real backend (gunicorn,
own database), as tests/test_bot_e2e.py runs it. This module gets its own backend and bot, so the queue it
pages through holds exactly the deposits it made."""
import re
from decimal import Decimal

from botclient import keyboards
from tests.test_bot_e2e import (  # noqa: F401  (fixtures)
    ADMIN_A, ADMIN_B, EN, WAIT, admin_message, decided, wait_answer, w, world,
)


def redrawn(admin, message, text: str, after):
    """`message` as the bot edited it after `after`, once it says `text`: the panel keeps one message."""
    return admin.wait_for(lambda m: m.message_id == message.message_id and text in (m.text or ""), timeout=WAIT,
                          after=after)


def open_panel(admin, how: str = "/admin"):
    mark = admin.send(how)
    return admin.wait_for_text("Admin panel", after=mark)


def listed_ids(page) -> list[int]:
    return [int(i) for i in re.findall(r"^\d+\. #(\d+)", page.text, re.MULTILINE)]


def test_paging_through_25_pending_deposits_edits_one_message(w):
    players = [w.new_player(f"Queue{n}") for n in range(25)]
    ids = [w.deposit(player, amount=str(200 + n)) for n, player in enumerate(players)]
    panel = open_panel(w.admin_b, "/pending")
    assert "Waiting for a decision: 25 deposits · 0 withdrawals · 0 spin rewards" in panel.text

    mark = w.admin_b.press_button("💰 Deposits (25)", panel)
    page = redrawn(w.admin_b, panel, "Pending deposits: 1–5 of 25, oldest first", mark)
    assert listed_ids(page) == ids[:5]
    assert page.buttons == [*([f"🔎 #{i} {200 + n}.00 MVR"] for n, i in enumerate(ids[:5])),
                            ["Next ➡️"], ["🔄 Refresh", "🛠 Panel"]]
    for first in (6, 11, 16, 21):
        mark = w.admin_b.press_button("Next ➡️", panel)
        page = redrawn(w.admin_b, panel, f"{first}–{min(first + 4, 25)} of 25", mark)
        assert listed_ids(page) == ids[first - 1:first + 4]
    assert page.buttons[-2:] == [["⬅️ Prev"], ["🔄 Refresh", "🛠 Panel"]]  # the last page: no Next
    mark = w.admin_b.press_button("⬅️ Prev", panel)
    page = redrawn(w.admin_b, panel, "16–20 of 25", mark)
    assert page.buttons[-2] == ["⬅️ Prev", "Next ➡️"]

    # Open sends the request's own card; deciding it there leaves one fewer to page through.
    mark = w.admin_b.press_button(f"🔎 #{ids[15]} 215.00 MVR", panel)
    card = w.admin_b.wait_for(lambda m: f"Deposit #{ids[15]}" in (m.text or "") and m.buttons, timeout=WAIT,
                              after=mark)
    assert card.message_id != panel.message_id and card.buttons == [["✅ Approve", "❌ Reject"]]
    mark = w.admin_b.press_button("✅ Approve", card)
    assert wait_answer(w, mark) == "Approved ✅"
    decided(w.admin_b, card, "Approved", after=mark)
    mark = w.admin_b.press_button("🔄 Refresh", panel)
    page = redrawn(w.admin_b, panel, "16–20 of 24", mark)
    assert listed_ids(page) == ids[16:21]
    mark = w.admin_b.press_button("Next ➡️", panel)
    page = redrawn(w.admin_b, panel, "21–24 of 24", mark)
    assert listed_ids(page) == ids[21:]
    assert sum("Pending deposits" in (m.text or "") for m in w.admin_b.messages()) == 1

    mark = w.admin_b.press_button("🛠 Panel", panel)
    assert "24 deposits" in redrawn(w.admin_b, panel, "Admin panel", mark).text


def test_a_rate_changed_in_the_bot_shows_on_the_next_usd_deposit_card(w):
    admin = w.admin_a
    panel = open_panel(admin)
    mark = admin.press_button("💳 Payment methods", panel)
    redrawn(admin, panel, "Payment methods", mark)
    mark = admin.press_button("USD ✅", panel)
    redrawn(admin, panel, "Rate: 1 USD = 15.40 MVR", mark)
    mark = admin.press_button("✏️ Rate", panel)
    redrawn(admin, panel, "Send the new rate of USD", mark)
    mark = admin.send("sixteen")
    admin.wait_for_text("Please send the rate as a number", after=mark)
    mark = admin.send("16.10")
    question = admin.wait_for_text("Change USD: rate to MVR?", after=mark)
    assert "15.40 → 16.10" in question.text and question.buttons == [["✅ Confirm", "✖️ Cancel"]]
    assert usd_rate(w) == "15.4000"  # nothing changes before Confirm

    mark = admin.press_button("✅ Confirm", question)
    done = redrawn(admin, question, "✅ Changed USD: rate to MVR: 15.40 → 16.10", mark)
    assert done.buttons == [["⬅️ USD", "🛠 Panel"]]
    assert usd_rate(w) == "16.1000"
    [change] = w.gql("query($a: BigInt) { configChanges(first: 1, actorTelegramId: $a) { what before after "
                     "changedBy } }", {"a": ADMIN_A})["configChanges"]
    assert change == {"what": "payment method USD: rate to MVR", "before": "15.4000", "after": "16.1000",
                      "changedBy": f"@anna ({ADMIN_A})"}

    player = w.new_player("Usman")
    mark = player.send(keyboards.DEPOSIT)
    player.wait_for(lambda m: m.buttons, after=mark)
    mark = player.press_button("USD")
    assert "Rate: 1 USD = 16.10 MVR" in player.wait_for_text("Rate:", after=mark).text
    mark = player.send("/cancel")
    player.wait_for_text("Cancelled", after=mark)
    deposit_id = w.deposit(player, amount="100", method="USD")
    cards = {a.id: admin_message(a, f"Deposit #{deposit_id}") for a in (w.admin_a, w.admin_b)}
    for card in cards.values():
        assert "Amount: 100.00 USD via USD = 1,610.00 MVR at today's rate" in card.text
    mark = w.admin_b.press_button("✅ Approve", cards[ADMIN_B])
    approved = decided(w.admin_a, cards[ADMIN_A], "Approved", after=mark)
    assert "via USD = 1,610.00 MVR\n" in approved.text  # fixed at approval
    deposit = w.gql('{ deposit(id: "%d") { amountBase rateToBase } }' % deposit_id)["deposit"]
    assert deposit == {"amountBase": "1610.00", "rateToBase": "16.1000"}
    w.gql('mutation($a: BigInt) { updatePaymentMethod(input: {code: "USD", rateToBase: "15.40"}, '
          'actorTelegramId: $a) { __typename } }', {"a": ADMIN_A})


def usd_rate(w) -> str:
    methods = w.gql("{ paymentMethods(includeInactive: true) { code rateToBase } }")["paymentMethods"]
    return next(m["rateToBase"] for m in methods if m["code"] == "USD")


def admin_ids(w) -> list[int]:
    return [a["telegramId"] for a in w.gql("query($a: BigInt) { admins(actorTelegramId: $a) { telegramId } }",
                                           {"a": ADMIN_A})["admins"]]


def test_adding_and_removing_an_admin_while_the_super_admin_stays(w):
    carl = w.new_player("Carl")
    mark = carl.send("/admin")
    carl.wait_for_text("for admins only", after=mark)
    admin = w.admin_a
    panel = open_panel(admin, keyboards.ADMIN)
    mark = admin.press_button("👥 Admins", panel)
    listed = redrawn(admin, panel, "Admins (2)", mark)
    assert f"👑 @anna ({ADMIN_A}) · super admin · from ADMIN_USER_ID" in listed.text
    assert f"• @ben ({ADMIN_B}) · from ADMIN_USER_ID" in listed.text

    mark = admin.press_button("➕ Add admin", panel)
    redrawn(admin, panel, "Send the Telegram id of the new admin", mark)
    mark = admin.send(str(carl.id))
    question = admin.wait_for_text("Change admin", after=mark)
    assert f"Change admin Carl @carl ({carl.id})?\nnot an admin → admin" in question.text
    mark = admin.press_button("✅ Confirm", question)
    redrawn(admin, question, f"✅ Changed admin Carl @carl ({carl.id}): not an admin → admin", mark)
    carl.wait_for_text("You are now an admin")
    assert admin_ids(w) == [ADMIN_A, ADMIN_B, carl.id]
    open_panel(carl)  # the bot asks the backend again at once: no wait for its cache

    mark = admin.press_button("⬅️ Admins", question)
    listed = redrawn(admin, question, "Admins (3)", mark)
    assert f"• @carl ({carl.id}) · added by @anna ({ADMIN_A}) at" in listed.text
    mark = admin.press_button("➖ Remove @carl", question)
    assert "admin → not an admin" in redrawn(admin, question, f"Change admin @carl ({carl.id})?", mark).text
    mark = admin.press_button("✅ Confirm", question)
    redrawn(admin, question, f"✅ Changed admin @carl ({carl.id}): admin → not an admin", mark)
    mark = carl.send("/admin")
    carl.wait_for_text("for admins only", after=mark)
    assert admin_ids(w) == [ADMIN_A, ADMIN_B]

    # The super admin cannot be removed: the bot shows the backend's refusal.
    mark = admin.press_button("⬅️ Admins", question)
    redrawn(admin, question, "Admins (2)", mark)
    mark = admin.press_button("➖ Remove @anna", question)
    redrawn(admin, question, f"Change admin @anna ({ADMIN_A})?", mark)
    mark = admin.press_button("✅ Confirm", question)
    refused = redrawn(admin, question, "was not changed", mark)
    assert "You are not allowed to do that. (The super admin (the first of ADMIN_USER_ID) cannot be removed.)" \
        in refused.text
    assert admin_ids(w) == [ADMIN_A, ADMIN_B]


def test_a_report_period_from_the_panel_and_from_stats(w):
    admin = w.admin_b
    panel = open_panel(admin)
    mark = admin.press_button("📊 Reports", panel)
    redrawn(admin, panel, "Reports: which period?", mark)
    mark = admin.press_button("This month", panel)
    shown = redrawn(admin, panel, "Report: This month", mark)
    month = w.gql("query($a: BigInt) { report(period: MONTH, actorTelegramId: $a) { depositsBase netBase } }",
                  {"a": ADMIN_B})["report"]
    assert f"💰 Deposits: {EN.money(Decimal(month['depositsBase']), 'MVR')}" in shown.text
    assert f"Net: {EN.money(Decimal(month['netBase']), 'MVR')}" in shown.text
    mark = admin.press_button("Lifetime", panel)
    assert "\nuntil " in redrawn(admin, panel, "Report: Lifetime", mark).text
    mark = admin.send("/stats 6months")
    report = admin.wait_for_text("Report: Last 6 months", after=mark)
    assert [b for row in report.buttons for b in row][:6] == [
        "Today", "This week", "This month", "Last 6 months", "This year", "Lifetime"]
    mark = admin.send("/stats yesterday")
    admin.wait_for_text("Usage: /stats today|week|month|6months|year|lifetime", after=mark)


def test_the_daily_report_reaches_every_admin_once_even_when_the_feed_repeats_it(w):
    w.backend.manage("shell", "-c", "from ledger import services; services.daily_report_make()")
    for admin in (w.admin_a, w.admin_b):
        told = admin.wait_for_text("Daily report for", timeout=WAIT)
        assert "Yesterday" in told.text and "This month so far" in told.text and "Net:" in told.text
    w.wait_until(w.feed_is_drained, what="the event feed to drain")
    # As after a crash between telling the admins and acknowledging: the feed hands the event out again.
    w.backend.manage("shell", "-c", "from delivery.models import EventCursor; from ledger.models import Event; "
                                    "report = Event.objects.get(kind='report.daily'); "
                                    "EventCursor.objects.update(position=report.id - 1)")
    # A later event as the marker: events are handled in order, so a second report would come before its card.
    deposit_id = w.deposit(w.new_player("Marker"))
    for admin in (w.admin_a, w.admin_b):
        admin_message(admin, f"Deposit #{deposit_id}")
        assert sum("Daily report for" in (m.text or "") for m in admin.messages()) == 1
