"""Promotions made and ended from the admin panel, end to end against the Telegram fake.

A world of its own (test_bot_e2e's module fixture): a deposit bonus is club-wide, and one left running
would change the other modules' deposits."""
from datetime import date, timedelta

from tests.test_bot_e2e import ADMIN_A, w, world  # noqa: F401  (fixtures)
from tests.test_bot_e2e_admin import open_panel, redrawn


def test_an_admin_starts_a_deposit_bonus_is_refused_an_overlap_and_ends_it(w):
    admin = w.admin_a
    # Days after today: the club's date is the backend's, and may be a day off ours.
    first, last = date.today() + timedelta(days=2), date.today() + timedelta(days=20)
    days = f"{first.isoformat()} – {last.isoformat()}"
    panel = open_panel(admin)
    mark = admin.press_button("🎁 Promotions", panel)
    listing = redrawn(admin, panel, "Promotions", mark)
    assert listing.buttons == [["➕ Deposit bonus", "➕ Recovery"], ["🛠 Panel"]]

    mark = admin.press_button("➕ Deposit bonus", panel)
    redrawn(admin, panel, "send the percentage, the first day and the last day", mark)
    mark = admin.send(f"ten {first.isoformat()}")
    assert "send three" in admin.wait_for_text("2 value(s)", after=mark).text
    mark = admin.send(f"10 {first.isoformat()} someday")
    assert "e.g. " in admin.wait_for_text("“someday” is not a day", after=mark).text
    mark = admin.send(f"10 {first.isoformat()} {last.isoformat()}")
    question = admin.wait_for_text("Start the promotion", after=mark)
    assert f"Deposit bonus 10.00% {days}" in question.text and question.buttons == [["✅ Confirm", "✖️ Cancel"]]
    assert promotions(w) == []  # nothing before Confirm

    mark = admin.press_button("✅ Confirm", question)
    done = redrawn(admin, question, "✅ Created the promotion", mark)
    [made] = promotions(w)
    assert made["kind"] == "DEPOSIT_BONUS" and made["percentage"] == "10.00" and made["endedAt"] is None
    assert f"• #{made['id']} Deposit bonus 10.00% {days} · ⏳ upcoming" in done.text
    assert done.buttons[0] == [f"⏹ End Deposit bonus 10.00% {days}"]

    mark = admin.press_button("➕ Deposit bonus", done)
    redrawn(admin, done, "send the percentage", mark)
    mark = admin.send(f"5 {(first + timedelta(days=5)).isoformat()} {(last + timedelta(days=5)).isoformat()}")
    question = admin.wait_for_text("Start the promotion", after=mark)
    mark = admin.press_button("✅ Confirm", question)
    refused = redrawn(admin, question, "was not created", mark)
    assert f"Promotion #{made['id']} (Deposit bonus 10.00%" in refused.text
    assert "already covers some of these days; end it first or choose other dates." in refused.text
    assert len(promotions(w)) == 1

    mark = admin.press_button(f"⏹ End Deposit bonus 10.00% {days}", refused)
    question = redrawn(admin, refused, "⏳ upcoming → ⏹ ended", mark)
    mark = admin.press_button("✅ Confirm", question)
    ended = redrawn(admin, question, "✅ Changed", mark)
    assert f"#{made['id']} Deposit bonus 10.00% {days} · ⏹ ended" in ended.text
    assert ended.buttons == [["➕ Deposit bonus", "➕ Recovery"], ["🛠 Panel"]]
    [after] = promotions(w)
    assert after["endedAt"] is not None and after["active"] is False


def promotions(w) -> list[dict]:
    return w.gql("{ promotions { id kind percentage endedAt active } }")["promotions"]
