"""Promotions end to end: the real bot polling the Telegram fake, against a live backend.

A world of its own (test_bot_e2e's, with the club's id and link set in the backend), because the
promotions it starts are the club's, and would give bonuses to the other modules' deposits. Both
promotions run for the whole module; each test plays its own player, so one bonus and one recovery
each.
"""
import re
from datetime import date, timedelta

import pytest

from botclient import keyboards
from tests.test_bot_e2e import ADMIN_A, ADMIN_B, admin_message, decided, live_world, w, wait_answer  # noqa: F401

CLUB_ID, CLUB_LINK = "CLUB-7788", "https://pppoker.club/c/7788"


@pytest.fixture(scope="module")
def world():
    with live_world({"CLUB_ID": CLUB_ID, "CLUB_LINK": CLUB_LINK, "CASHBACK_MIN_MVR": "500"}) as world:
        for kind in ("DEPOSIT_BONUS", "CASHBACK"):
            start_promotion(world, kind, "10")
        yield world


def start_promotion(world, kind: str, percentage: str) -> None:
    # A day either side of today: the club's date is the backend's to say, and may differ from ours.
    today = date.today()
    created = world.gql("""mutation($k: PromotionKind!, $p: Decimal!, $s: Date!, $e: Date!, $a: BigInt) {
        createPromotion(kind: $k, percentage: $p, startsOn: $s, endsOn: $e, actorTelegramId: $a) {
        __typename ... on OperationInfo { messages { code message } } } }""",
                        {"k": kind, "p": percentage, "s": (today - timedelta(days=1)).isoformat(),
                         "e": (today + timedelta(days=30)).isoformat(), "a": ADMIN_A})["createPromotion"]
    assert created["__typename"] == "Promotion", created


def use_saved_id_and_confirm(player, prompt, summary_text: str):
    mark = player.press_button("Use 12345", prompt)
    summary = player.wait_for_text(summary_text, after=mark)
    assert "PPPoker id: 12345" in summary.text and summary.buttons == [["✅ Confirm", "✖️ Cancel"]]
    mark = player.press_button("✅ Confirm", summary)
    return player.wait_for_text("was sent", after=mark)


def test_a_first_deposit_in_a_bonus_promotion_shows_the_bonus_to_the_admin_and_the_player(w):
    player = w.new_player("Bilal")
    deposit_id = w.deposit(player, amount="1000")
    card = admin_message(w.admin_a, f"Deposit #{deposit_id}")
    mark = w.admin_a.press_button("✅ Approve", card)
    assert wait_answer(w, mark) == "Approved ✅"

    notice = player.wait_for_text(f"deposit #{deposit_id} of 1,000.00 MVR was approved", after=mark)
    assert "100.00 MVR deposit bonus (10%)" in notice.text
    card = decided(w.admin_a, card, "Approved", after=mark)
    assert "Load 1,000.00 MVR + bonus 100.00 MVR (10% deposit bonus)" in card.text


def test_a_recovery_claim_from_eligibility_to_approval(w):
    player = w.new_player("Raees")
    w.deposit(player, amount="1000", approve_by=ADMIN_B)
    player.wait_for_text("was approved")

    mark = player.send(keyboards.RECOVERY)
    offer = player.wait_for_text("Recovery", after=mark)
    assert "claim 10% of your deposits" in offer.text and "Deposits counted: 1,000.00 MVR" in offer.text
    assert "Recovery: 100.00 MVR in chips" in offer.text and ["Use 12345"] in offer.buttons
    sent = use_saved_id_and_confirm(player, offer, "Please check your recovery claim")
    claim_id = int(re.search(r"Recovery claim #(\d+) for 100.00 MVR", sent.text).group(1))

    copies = {admin.id: admin_message(admin, f"Recovery claim #{claim_id}") for admin in (w.admin_a, w.admin_b)}
    for copy in copies.values():
        assert copy.buttons == [["✅ Approve", "❌ Reject"]]
        assert "Load: 100.00 MVR in chips (10% of deposits 1,000.00 MVR)" in copy.text and "12345" in copy.text
    mark = w.admin_b.press_button("✅ Approve", copies[ADMIN_B])
    assert wait_answer(w, mark) == "Approved ✅"
    approved = player.wait_for_text(f"recovery claim #{claim_id} was approved", after=mark)
    assert "100.00 MVR in chips are being loaded" in approved.text
    for admin in (w.admin_a, w.admin_b):
        assert "by @ben" in decided(admin, copies[admin.id], "Approved", after=mark).text
    claim = w.gql('{ cashbackClaim(id: "%d") { status amount pppokerId } }' % claim_id)["cashbackClaim"]
    assert claim == {"status": "APPROVED", "amount": "100.00", "pppokerId": "12345"}

    mark = player.send(keyboards.RECOVERY)  # one recovery per promotion
    player.wait_for_text("You already received your recovery in this promotion", after=mark)


def test_below_the_minimum_the_player_reads_how_much_more_to_deposit(w):
    player = w.new_player("Shifa")
    w.deposit(player, amount="200", approve_by=ADMIN_B)
    player.wait_for_text("was approved")

    mark = player.send(keyboards.RECOVERY)
    refused = player.wait_for_text("Recovery needs at least", after=mark)
    assert "500.00 MVR" in refused.text and "you have 200.00 MVR" in refused.text
    assert "Deposit 300.00 MVR more" in refused.text and not refused.buttons  # nothing to go on with
    assert w.gql("query($t: BigInt!) { cashbackClaims(telegramId: $t) { id } }", {"t": player.id}) == {
        "cashbackClaims": []}


def test_a_join_request_to_approval_with_the_clubs_id_and_link(w):
    player = w.new_player("Zaha")
    mark = player.send(keyboards.JOIN)
    prompt = player.wait_for_text("Join the club", after=mark)
    sent = use_saved_id_and_confirm(player, prompt, "Please check your request to join the club")
    join_id = int(re.search(r"Request #(\d+) to join the club", sent.text).group(1))

    mark = player.send(keyboards.JOIN)  # one pending at a time
    prompt = player.wait_for_text("Join the club", after=mark)
    mark = player.press_button("Use 12345", prompt)
    mark = player.press_button("✅ Confirm", player.wait_for_text("Please check your request", after=mark))
    player.wait_for_text("still waiting for an admin", after=mark)

    card = admin_message(w.admin_a, f"Join request #{join_id}")
    assert card.buttons == [["✅ Approve", "❌ Reject"]] and "PPPoker id: 12345" in card.text
    mark = w.admin_a.press_button("✅ Approve", card)
    assert wait_answer(w, mark) == "Approved ✅"
    welcome = player.wait_for_text("Welcome to the club", after=mark)
    assert f"#{join_id}" in welcome.text and f"Club id: {CLUB_ID}" in welcome.text
    assert f"Club link: {CLUB_LINK}" in welcome.text and "missing" not in welcome.text
    assert "by @anna" in decided(w.admin_a, card, "Approved", after=mark).text


def test_a_rejected_join_request_from_the_panel_tells_the_player_why(w):
    player = w.new_player("Hawwa")
    join_id = w.gql("mutation($i: JoinRequestInput!) { createJoinRequest(input: $i) { ... on JoinRequest { id } } }",
                    {"i": {"telegramId": player.id, "pppokerId": "12345"}})["createJoinRequest"]["id"]
    mark = w.admin_b.send(keyboards.ADMIN)
    panel = w.admin_b.wait_for_text("Admin panel", after=mark)
    mark = w.admin_b.press_button("🎮 Join requests (1)", panel)
    w.admin_b.wait_for(lambda m: m.message_id == panel.message_id and "Pending join requests" in (m.text or ""),
                       after=mark)
    mark = w.admin_b.press_button(f"🔎 #{join_id} 12345", panel)
    listed = w.admin_b.wait_for(lambda m: f"Join request #{join_id}" in (m.text or "") and m.buttons, after=mark)
    mark = w.admin_b.press_button("❌ Reject", listed)
    w.admin_b.wait_for_text(f"Why is join request #{join_id} rejected", after=mark)
    mark = w.admin_b.send("That PPPoker id is not yours")
    w.admin_b.wait_for_text(f"Join request #{join_id} rejected", after=mark)
    note = player.wait_for_text(f"request #{join_id} to join the club was rejected", after=mark)
    assert "Reason: That PPPoker id is not yours" in note.text
    decided(w.admin_b, listed, "Rejected", after=mark)
