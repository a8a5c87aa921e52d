"""The counter, live support and broadcasts end to end: the real bot polling the Telegram fake, against a
live backend (test_bot_e2e's world: gunicorn, its own database, two admins).

The worker is not running here: the idle close of a support session is its job, run in the backend's
own process with a later clock (jobs.tasks.run_due_jobs(now=...)), so no test waits minutes.
"""
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
