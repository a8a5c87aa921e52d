"""The counter, live support and broadcasts end to end: the real bot polling the Telegram fake, against a
live backend (test_bot_e2e's world: gunicorn, its own database, two admins).

The worker is not running here: the idle close of a support session is its job, run in the backend's
own process with a later clock (jobs.tasks.run_due_jobs(now=...)), so no test waits minutes.
"""
import dataclasses
import time

from botclient import keyboards, texts
from tests.test_bot_e2e import (  # noqa: F401  (fixtures)
    ADMIN_A, ADMIN_B, EN, SLIP, WAIT, admin_message, w, wait_answer, world,
)

ADMIN_PHOTO = "AgACAgIAAxkBAAIBadmin-0001"
REPLY_END = [["💬 Reply", "✖️ End"]]


def run_jobs(w, *, minutes_later: int) -> None:
    w.backend.manage("shell", "-c", "from datetime import timedelta; from django.utils import timezone; "
                                    "from jobs.tasks import run_due_jobs; "
                                    f"run_due_jobs(now=timezone.now() + timedelta(minutes={minutes_later}))")


def session_of(w, player) -> dict:
    found = w.gql("query($t: BigInt!) { supportSessions(telegramId: $t, first: 1) { id state agent closedBy "
                  "messages { fromAdmin text photo } } }", {"t": player.id})["supportSessions"]
    return found[0]


def buttons_become(user, message, buttons, after):
    return user.wait_for(lambda m: m.message_id == message.message_id and m.buttons == buttons, timeout=WAIT,
                         after=after)


def open_support(w, player):
    mark = player.send(keyboards.SUPPORT)
    opened = player.wait_for_text("You are talking to support now", after=mark)
    assert opened.buttons == [[keyboards.SUPPORT_END]]
    return opened


# --- live support ---------------------------------------------------------------------------------------

def test_support_from_open_to_end_with_two_admins_text_and_photo_both_ways(w):
    player = w.new_player("Hawwa")
    mark = w.fake.mark()
    opened = open_support(w, player)
    session_id = int(session_of(w, player)["id"])
    for admin in (w.admin_a, w.admin_b):
        note = admin_message(admin, f"Support #{session_id}", after=mark)
        assert "opened a session" in note.text and note.buttons == REPLY_END

    mark = player.send("My deposit is not loaded yet")
    copies = {admin.id: admin_message(admin, "My deposit is not loaded yet", after=mark)
              for admin in (w.admin_a, w.admin_b)}
    assert all(copy.buttons == REPLY_END for copy in copies.values())

    mark = w.admin_b.press_button("💬 Reply", copies[ADMIN_B])
    assert wait_answer(w, mark) == "Taken ✅"
    w.admin_b.wait_for_text(f"You took support #{session_id}", after=mark)
    agent = session_of(w, player)["agent"]
    assert agent.startswith("@ben")
    player.wait_for_text(f"{agent} from the club is answering you now", after=mark)
    buttons_become(w.admin_b, copies[ADMIN_B], [["✖️ End"]], after=mark)
    buttons_become(w.admin_a, copies[ADMIN_A], [[f"✋ Taken by {agent}"]], after=mark)
    late = w.admin_a.press(copies[ADMIN_A], f"sup:r:{session_id}")  # the other admin's Reply, pressed late
    assert wait_answer(w, late) == f"{agent} has taken this session."

    mark = w.admin_b.send("Checking it now")
    reply = player.wait_for_text("Checking it now", after=mark)
    assert reply.text.startswith("💬 Support") and reply.buttons == [[keyboards.SUPPORT_END]]
    buttons_become(player, opened, [], after=mark)  # the End button moved to the newest message
    mark = w.admin_b.send_photo(file_id=ADMIN_PHOTO, caption="This one?")
    photo = player.wait_for(lambda m: m.photo == ADMIN_PHOTO, timeout=WAIT, after=mark)
    assert "This one?" in photo.text

    mark = player.send_photo(file_id=SLIP, caption="Yes, this slip")
    relayed = w.admin_b.wait_for(lambda m: m.photo == SLIP, timeout=WAIT, after=mark)
    assert "Yes, this slip" in relayed.text and relayed.buttons == [["✖️ End"]]
    mark = player.send(keyboards.ACCOUNT)  # a menu key is the menu's, never a message to support
    player.wait_for_text("Recent deposits", after=mark)

    mark = player.press_button(keyboards.SUPPORT_END, photo)
    player.wait_for_text("Support session ended", after=mark)
    w.admin_b.wait_for_text(f"Support #{session_id} was closed by player", after=mark)
    buttons_become(w.admin_b, relayed, [], after=mark)
    buttons_become(w.admin_a, copies[ADMIN_A], [], after=mark)
    buttons_become(player, photo, [], after=mark)

    session = session_of(w, player)
    assert session["state"] == "CLOSED" and session["agent"] == agent and session["closedBy"] == "player"
    assert [(m["fromAdmin"], m["text"], m["photo"]) for m in session["messages"]] == [
        (False, "My deposit is not loaded yet", ""), (True, "Checking it now", ""),
        (True, "This one?", ADMIN_PHOTO), (False, "Yes, this slip", SLIP)]
    assert not any("Recent deposits" in (m.text or "") or "My account" in (m.text or "")
                   for m in w.admin_b.messages())

    mark = player.send("hello?")  # no session any more: an ordinary stray message
    player.wait_for_text(EN._(texts.NOT_UNDERSTOOD), after=mark)


def test_an_idle_session_closes_itself_and_both_sides_are_told(w):
    player = w.new_player("Idris")
    open_support(w, player)
    mark = player.send("Is anyone there?")
    copy = admin_message(w.admin_a, "Is anyone there?", after=mark)
    mark = w.admin_a.press_button("💬 Reply", copy)
    assert wait_answer(w, mark) == "Taken ✅"
    mark = w.admin_a.send("Yes, what is your PPPoker id?")
    player.wait_for_text("what is your PPPoker id", after=mark)

    mark = player.mark()
    run_jobs(w, minutes_later=1)  # SUPPORT_IDLE_MINUTES is 2: not yet
    run_jobs(w, minutes_later=3)
    player.wait_for_text("closed because there was no answer", after=mark)
    w.admin_a.wait_for_text("was closed by system", after=mark)
    buttons_become(w.admin_a, copy, [], after=mark)
    assert session_of(w, player)["closedBy"] == "system"
    assert sum("no answer" in (m.text or "") for m in player.messages()) == 1


# --- the counter ----------------------------------------------------------------------------------------

def spin_menu(player):
    mark = player.send(keyboards.SPINS)
    return player.wait_for_text("free spins", after=mark)


def deposit_in_the_bot(player):
    """The deposit flow up to the summary's Confirm; the message the player gets after it."""
    mark = player.send(keyboards.DEPOSIT)
    player.wait_for(lambda m: ["Bank of Maldives", "Maldives Islamic Bank"] in m.buttons, after=mark)
    mark = player.press_button("Bank of Maldives")
    player.wait_for_text("Account number", after=mark)
    mark = player.send("500")
    player.wait_for_text("name on the account", after=mark)
    mark = player.send(f"{player.first_name} Real")
    player.wait_for_text("photo of the transfer slip", after=mark)
    mark = player.send_photo(file_id=SLIP)
    mark = player.press_button("Use 12345", player.wait_for(lambda m: ["Use 12345"] in m.buttons, after=mark))
    player.wait_for_text("Please check your deposit", after=mark)
    mark = player.press_button("✅ Confirm")
    return player.wait_for(lambda m: "was sent" in (m.text or "") or "counter is closed" in (m.text or ""),
                           timeout=WAIT, after=mark)


def test_the_counter_closed_refuses_a_deposit_and_a_spin_and_opening_it_lets_them_through(w):
    player = w.new_player("Laila")
    w.deposit(player, amount="1000", approve_by=ADMIN_A)  # spins to spend
    player.wait_for_text("was approved")
    config = w.runner.app.bot_data["config"]
    w.runner.app.bot_data["config"] = dataclasses.replace(config, counter_hours="10:00-23:00")
    try:
        mark = w.admin_a.send(keyboards.ADMIN)
        home = w.admin_a.wait_for_text("Admin panel", after=mark)
        mark = w.admin_a.press_button("🟢 Counter: open", home)
        card = w.admin_a.wait_for(lambda m: m.message_id == home.message_id and "Counter" in (m.text or ""),
                                  timeout=WAIT, after=mark)
        assert "is open" in card.text
        mark = w.admin_a.press_button("🔴 Close the counter", card)
        w.admin_a.wait_for_text("announcement for every player", after=mark)
        mark = w.admin_a.send("The counter is closed for prayer time")
        question = w.admin_a.wait_for_text("Change the counter?", after=mark)
        assert "open → closed, announcing: The counter is closed for prayer time" in question.text
        mark = w.admin_a.press_button("✅ Confirm", question)
        done = w.admin_a.wait_for_text("Changed the counter", after=mark)
        assert "→ closed" in done.text
        player.wait_for_text("The counter is closed for prayer time", after=mark)  # the announcement
        assert w.gql("{ counter { state changedBy } }")["counter"]["state"] == "CLOSED"

        refused = deposit_in_the_bot(player)
        assert "The counter is closed right now" in refused.text and "Opening hours: 10:00-23:00" in refused.text
        menu = spin_menu(player)
        mark = player.press_button("1", menu)
        told = player.wait_for_text("The counter is closed right now", after=mark)
        assert "Opening hours: 10:00-23:00" in told.text
        assert len(w.gql("query($t: BigInt!) { spinHistory(telegramId: $t, first: 5) { id } }",
                         {"t": player.id})["spinHistory"]) == 0
        mark = player.send(keyboards.SUPPORT)
        player.wait_for_text("The counter is closed right now", after=mark)

        mark = w.admin_b.send("/admin")
        home = w.admin_b.wait_for_text("Admin panel", after=mark)
        mark = w.admin_b.press_button("🔴 Counter: closed", home)
        card = w.admin_b.wait_for(lambda m: m.message_id == home.message_id and "is closed" in (m.text or ""),
                                  timeout=WAIT, after=mark)
        mark = w.admin_b.press_button("🟢 Open the counter", card)
        ask = w.admin_b.wait_for_text("announcement for every player", after=mark)
        mark = w.admin_b.press_button("🔕 No announcement", ask)
        question = w.admin_b.wait_for_text("Change the counter?", after=mark)
        mark = w.admin_b.press_button("✅ Confirm", question)
        w.admin_b.wait_for_text("Changed the counter", after=mark)
        assert w.gql("{ counter { state } }")["counter"]["state"] == "OPEN"
    finally:
        w.runner.app.bot_data["config"] = config

    assert "was sent" in deposit_in_the_bot(player).text
    menu = spin_menu(player)
    mark = player.press_button("1", menu)
    player.wait_for_text("🎰 1 spin", after=mark)


# --- broadcasts ------------------------------------------------------------------------------------------

def test_a_broadcast_to_300_players_with_a_restart_midway_reaches_each_once(w):
    players = [w.new_player(f"Crowd{i}") for i in range(300)]
    for blocked in players[100:105]:
        blocked.block_bot()
    text = "Tournament tonight at 21:00 <all welcome>"
    mark = w.admin_a.send(keyboards.ADMIN)
    home = w.admin_a.wait_for_text("Admin panel", after=mark)
    mark = w.admin_a.press_button("📣 Broadcast", home)
    w.admin_a.wait_for_text("message for every player", after=mark)
    mark = w.admin_a.send(text)
    question = w.admin_a.wait_for_text("Send this to every player?", after=mark)
    assert text in question.text
    mark = w.admin_a.press_button("✅ Confirm", question)
    progress = w.admin_a.wait_for(lambda m: m.message_id == question.message_id and "Broadcast #" in (m.text or ""),
                                  timeout=WAIT, after=mark)
    assert progress.buttons == [["⏹ Cancel the broadcast"]]

    def copies_of(player):
        return sum(m.from_bot and m.text == text for m in player.messages())

    w.wait_until(lambda: sum(map(copies_of, players)) >= 60, what="a fifth of the copies")
    w.runner.stop()
    stopped_at = sum(map(copies_of, players))
    assert stopped_at < 295, "the broadcast finished before the restart: nothing was resumed"
    restarted_at = time.monotonic()  # the fake's clock
    w.runner.start()
    final = w.admin_a.wait_for(lambda m: m.message_id == question.message_id and "done ✅" in (m.text or ""),
                               timeout=60, after=mark)
    assert [copies_of(p) for p in players] == [0 if 100 <= i < 105 else 1 for i in range(300)]
    broadcast = w.gql("{ broadcasts(first: 1) { id state total sent blocked failed } }")["broadcasts"][0]
    assert broadcast["state"] == "DONE" and broadcast["blocked"] == 5 and broadcast["failed"] == 0
    assert broadcast["sent"] == broadcast["total"] - 5
    assert f"{broadcast['sent']} sent, 5 blocked the bot, 0 failed" in final.text and not final.buttons
    ids = {p.id for p in players}
    sends = sorted(c.received_at for c in w.fake.requests if c.method == "sendMessage"
                   and c.params.get("chat_id") in ids and "Tournament" in str(c.params.get("text")))
    resumed = [at for at in sends if at > restarted_at]  # one uninterrupted run, from the restart to the end
    # AIORateLimiter is a leaky bucket of 25 a second: a first burst of up to 25, then 25 a second.
    assert len(sends) == 300 and len(resumed) <= 25 + 25 * (resumed[-1] - resumed[0]) * 1.05

    # Marked as blocked, they are left out of the next broadcast.
    w.gql("mutation($a: BigInt) { createBroadcast(text: \"Second\", actorTelegramId: $a) { __typename } }",
          {"a": ADMIN_B})
    w.wait_until(lambda: all(any(m.text == "Second" for m in p.messages()) for p in players[:3]),
                 what="the second broadcast")
    second = w.gql("{ broadcasts(first: 1) { total } }")["broadcasts"][0]
    assert second["total"] == broadcast["total"] - 5


def test_a_cancelled_broadcast_stops_and_its_counts_match_the_copies_sent(w):
    players = [w.new_player(f"Late{i}") for i in range(120)]
    text = "Last call for tonight's table"
    mark = w.admin_b.send("/admin")
    home = w.admin_b.wait_for_text("Admin panel", after=mark)
    mark = w.admin_b.press_button("📣 Broadcast", home)
    w.admin_b.wait_for_text("message for every player", after=mark)
    mark = w.admin_b.send(text)
    question = w.admin_b.wait_for_text("Send this to every player?", after=mark)
    mark = w.admin_b.press_button("✅ Confirm", question)
    w.admin_b.wait_for(lambda m: m.message_id == question.message_id and m.buttons == [["⏹ Cancel the broadcast"]],
                       timeout=WAIT, after=mark)

    everyone = list(w.fake._users.values())  # every chat of the module: earlier players are recipients too

    def copies():
        return sum(m.from_bot and m.text == text for user in everyone for m in user.messages())

    w.wait_until(lambda: copies() >= 10, what="the first copies")
    mark = w.admin_b.press_button("⏹ Cancel the broadcast", question)
    assert wait_answer(w, mark) == "Cancelled ⏹"
    final = w.admin_b.wait_for(lambda m: m.message_id == question.message_id and "cancelled" in (m.text or ""),
                               timeout=WAIT, after=mark)
    assert not final.buttons
    broadcast = w.gql("{ broadcasts(first: 1) { id state total sent } }")["broadcasts"][0]
    assert broadcast["state"] == "CANCELLED"
    assert w.gql('{ broadcastRecipients(id: "%s") }' % broadcast["id"])["broadcastRecipients"] == []
    # The copy in flight at the cancel is still recorded: the counts end equal to what players got.
    w.wait_until(lambda: copies() == w.gql("{ broadcasts(first: 1) { sent } }")["broadcasts"][0]["sent"],
                 what="the counts to match the copies")
    assert copies() < broadcast["total"] and not any(m.text == text for p in players[-10:] for m in p.messages())
