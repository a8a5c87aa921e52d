"""The bot's GraphQL documents against the exported schema, and its small pure parts.

No backend and no Telegram here: these run in milliseconds.
"""
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from graphql import build_schema, parse, validate

from botclient import keyboards, texts
from botclient.api import OPERATIONS_FILE, BackendRefusal, documents
from botclient.board import proof_is_photo
from botclient.config import Config, ConfigError
from botclient.handlers.flow import parse_amount
from botclient.i18n import Translator
from botclient.queues import QUEUES, last_page, page_offsets
from botclient.records import Deposit, PaymentMethod, Person, Report, Spin

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = build_schema((ROOT / "schema.graphql").read_text())
EN = Translator("en", ZoneInfo("Indian/Maldives"))


def test_the_whole_operations_file_is_valid_against_the_schema():
    errors = validate(SCHEMA, parse(OPERATIONS_FILE.read_text()))
    assert errors == [], [str(e) for e in errors]


@pytest.mark.parametrize("name", sorted(documents()))
def test_each_document_the_bot_sends_is_valid_and_self_contained(name):
    document = parse(documents()[name])
    assert validate(SCHEMA, document) == []  # also fails on an unused or missing fragment
    assert [d.name.value for d in document.definitions if d.kind == "operation_definition"] == [name]


def test_admins_read_the_sentence_and_the_backends_own_words():
    assert texts.admin_refusal(BackendRefusal("BELOW_MINIMUM", "The minimum withdrawal is 200 MVR")) == (
        "That is below the minimum withdrawal. (The minimum withdrawal is 200 MVR)")
    assert "nothing was lost" in texts.UNAVAILABLE and "try again in a minute" in texts.UNAVAILABLE


def test_config_from_the_environment():
    config = Config.from_env({"BOT_TOKEN": "1:abc", "API_TOKEN": "t", "TELEGRAM_API_BASE_URL": "http://h:81/bot"})
    assert config.api_url == "http://127.0.0.1:8000/graphql/"
    assert config.file_base_url == "http://h:81/file/bot"
    assert config.time_zone == "Indian/Maldives" and not config.webhook_url
    assert Config.from_env({}).bot_token == ""
    with pytest.raises(ConfigError, match="TIME_ZONE"):
        Config.from_env({"TIME_ZONE": "Mars/Olympus"})
    with pytest.raises(ConfigError, match="BOT_WEBHOOK_PORT"):
        Config.from_env({"BOT_WEBHOOK_PORT": "eighty"})


def test_without_bot_token_the_bot_says_it_is_off_and_exits_0():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "botclient"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0
    assert "bot off: BOT_TOKEN is not set" in result.stderr


def test_amounts_are_read_as_numbers_and_judged_by_the_backend():
    assert parse_amount("1,500.5") == Decimal("1500.5")
    assert parse_amount("-3") == Decimal("-3") and parse_amount("1.234") == Decimal("1.234")  # the backend refuses
    assert [parse_amount(t) for t in ("abc", "", "NaN", "inf")] == [None] * 4


def test_proofs():
    assert proof_is_photo("BML", "AgACAgUAAxkBAAIBtest-_12")
    assert not proof_is_photo("USDT", "AgACAgUAAxkBAAIBtest-_12")
    assert not proof_is_photo("BML", "0x" + "ab" * 32)
    assert not proof_is_photo("BML", "paid at the counter")


def test_the_bot_asks_the_backend_for_every_period_of_the_contract():
    """The backend owns the periods: the bot only names them, all six, as the schema's enum spells them."""
    assert list(texts.PERIODS) == list(SCHEMA.type_map["StatsPeriod"].values)
    assert set(texts.PERIOD_WORDS.values()) == set(texts.PERIODS)


def test_every_queue_has_its_count_and_page_query_in_the_schema():
    counts = SCHEMA.type_map["PendingCounts"].fields
    for queue in QUEUES:
        assert queue.count_field in counts, queue.key
        document = documents()[queue.operation]
        assert f"{queue.list_field}(first: $first, offset: $offset)" in document and queue.count_field in document


def test_pages_of_five_oldest_first():
    assert page_offsets(0, 25) == (None, 5)
    assert page_offsets(5, 25) == (0, 10)
    assert page_offsets(20, 25) == (15, None)
    assert page_offsets(0, 5) == (None, None)
    assert [last_page(n) for n in (0, 1, 5, 6, 25, 26)] == [0, 0, 0, 5, 20, 25]


def test_panel_callback_data_fits_telegram():
    big = 2**62
    method = PaymentMethod("USDT" * 4, "x", "USD", "", "", Decimal("15.4"))
    markups = [keyboards.panel_home([(q.key, q.button, 10**9) for q in QUEUES]),
               keyboards.queue_page("spin", [(big, "🔎 #1")], 10**6, 10**6 - 5, 10**6 + 5),
               keyboards.payment_method(method), keyboards.payment_methods([method]),
               keyboards.admins([(big, "@" + "x" * 32)]), keyboards.confirm_change("0123abcd"),
               keyboards.reports(texts.PERIODS), keyboards.after_change(f"p:m:{method.code}", "back"),
               keyboards.counter(True), keyboards.counter(False), keyboards.no_announcement(),
               keyboards.broadcast_progress(big), keyboards.support_waiting(big), keyboards.support_agent(big),
               keyboards.support_taken_by(big, "@" + "x" * 32 + f" ({big})"), keyboards.support_player(EN, big)]
    for markup in markups:
        for row in markup.inline_keyboard:
            for button in row:
                assert len(button.callback_data.encode()) <= 64, button.callback_data


def test_a_pending_usd_deposit_card_shows_its_value_in_mvr_at_today_s_rate():
    person = Person(5_000_000_001, "ali", "Ali")
    common = dict(id=7, amount=Decimal("100"), method="USD", currency="USD", account_name="Ali A", pppoker_id="123",
                  user=person, proof="0xabc")
    pending = Deposit(**common, status="PENDING", value_base=Decimal("1610.00"))
    approved = Deposit(**common, status="APPROVED", value_base=Decimal("1540.00"))
    mvr = Deposit(**{**common, "currency": "MVR", "method": "BML"}, status="PENDING", value_base=Decimal("100"))
    assert "Amount: <b>100.00 USD</b> via USD = 1,610.00 MVR at today's rate" in texts.admin_deposit(
        EN, pending, proof_as_photo=False)
    assert "via USD = 1,540.00 MVR\n" in texts.admin_deposit(EN, approved, proof_as_photo=False)
    assert "via BML\n" in texts.admin_deposit(EN, mvr, proof_as_photo=False)


def test_rates_read_as_typed():
    assert [texts.rate(Decimal(v)) for v in ("15.4000", "16.1234", "1", "100", "0.5")] == [
        "15.40", "16.1234", "1.00", "100.00", "0.50"]


FIGURES = {"from": "2026-06-14T00:00:00+05:00", "to": "2026-06-15T00:00:00+05:00",
           "deposits": [{"method": "BML", "currency": "MVR", "count": 2, "amount": "1000.00", "amount_base": "1000.00"},
                        {"method": "USD", "currency": "USD", "count": 1, "amount": "50.00", "amount_base": "770.00"}],
           "withdrawals": [], "deposits_base": "1770.00", "withdrawals_base": "0.00", "spin_chips_approved": 20,
           "spin_chips_base": "20.00", "bonuses_base": "0.00", "cashback_base": "0.00", "open_credits": 1,
           "open_credits_base": "500.00", "net_base": "1750.00"}


def test_the_daily_report_reads_the_event_s_figures():
    day = Report.from_figures(FIGURES)
    text = texts.daily_report(EN, "2026-06-14", day, day)
    assert "Daily report for 2026-06-14" in text and "This month so far" in text
    assert "💰 Deposits: <b>1,770.00 MVR</b>" in text and "• USD: 1, 50.00 USD = 770.00 MVR" in text
    assert "🎰 Spin chips approved: 20 (20.00 MVR)" in text and "<b>Net: 1,750.00 MVR</b>" in text
    assert "Open credits: 1, 500.00 MVR" in text


def test_a_report_from_graphql_and_one_from_the_event_read_the_same():
    as_graphql = {"period": "TODAY", "from": FIGURES["from"], "to": FIGURES["to"],
                  "deposits": [{**row, "amountBase": row["amount_base"]} for row in FIGURES["deposits"]],
                  "withdrawals": [], "depositsBase": "1770.00", "withdrawalsBase": "0.00", "spinChipsApproved": 20,
                  "spinChipsBase": "20.00", "bonusesBase": "0.00", "cashbackBase": "0.00", "openCredits": 1,
                  "openCreditsBase": "500.00", "netBase": "1750.00"}
    from_graphql, from_event = Report.from_json(as_graphql), Report.from_figures(FIGURES)
    assert texts.report_figures(EN, from_graphql) == texts.report_figures(EN, from_event)
    assert texts.report(EN, "TODAY", from_graphql).startswith("📊 <b>Report: Today</b>\n2026-06-14 00:00 UTC+05:00")


def test_callback_data_fits_telegram():
    big = 2**62
    markup = keyboards.decide_spins([Spin(big, "500 Chips", 500, status="PENDING")], big)
    for row in markup.inline_keyboard:
        for button in row:
            assert len(button.callback_data.encode()) <= 64
            assert keyboards.DECIDE_PATTERN.match(button.callback_data) or keyboards.REJECT_PATTERN.match(
                button.callback_data) or keyboards.APPROVE_ALL_PATTERN.match(button.callback_data)
    assert keyboards.parse_decision(keyboards.DECIDE_PATTERN.match("d:a:12")) == ("deposit", 12, None)
    assert keyboards.parse_decision(keyboards.REJECT_PATTERN.match(f"s:r:5:{big}")) == ("spin", 5, big)


def test_seat_and_credit_buttons_fit_telegram_and_name_their_kind():
    big = 2**62
    for markup in (keyboards.decide("seat", big), keyboards.clear_credit(big)):
        for button in (b for row in markup.inline_keyboard for b in row):
            assert len(button.callback_data.encode()) <= 64
    assert keyboards.parse_decision(keyboards.DECIDE_PATTERN.match(f"t:a:{big}")) == ("seat", big, None)
    assert keyboards.parse_decision(keyboards.REJECT_PATTERN.match("t:r:3")) == ("seat", 3, None)
    assert keyboards.parse_decision(keyboards.REJECT_PATTERN.match("k:r:8")) == ("credit", 8, None)
    assert not keyboards.DECIDE_PATTERN.match("k:a:8")  # a credit is cleared (with a reason), never approved
    pay = keyboards.pay_credit(EN, [PaymentMethod("USDT", "USDT (TRC20)", "USD", "T", "C", Decimal("15.40"))], big)
    [[button]] = pay.inline_keyboard
    assert len(button.callback_data.encode()) <= 64 and keyboards.PAY_PATTERN.match(button.callback_data).groups() == (
        str(big), "USDT")
    assert keyboards.pay_credit(EN, [], 1) is None


def test_spin_buttons_show_only_what_is_affordable():
    def labels(available):
        return [b.text for row in keyboards.spin_choices(EN, available, "0123abcd").inline_keyboard for b in row]
    assert labels(30) == ["1", "10", "25", "All (30)", "🎯 Odds", "🔐 Verify", "✖️ Close"]
    assert labels(100)[:6] == ["1", "10", "25", "50", "100", "All (100)"]
    assert labels(0) == ["🎯 Odds", "🔐 Verify", "✖️ Close"]


def test_the_wheel_button_opens_the_mini_app_only_when_its_url_is_set():
    url = "https://club.example.com/miniapp/"
    for translator, wheel in ((EN, "🎡 Wheel"), (Translator("dv", ZoneInfo("Indian/Maldives")), "🎡 ފުރޮޅު")):
        rows = keyboards.spin_choices(translator, 30, "0123abcd", url).inline_keyboard
        assert [(button.text, button.web_app.url) for button in rows[0]] == [(wheel, url)]
        assert all(button.web_app is None for row in rows[1:] for button in row)
    without = keyboards.spin_choices(EN, 30, "0123abcd").inline_keyboard
    assert all(button.web_app is None for row in without for button in row)
    # With no spins left the wheel still opens: it shows the odds and the fairness details.
    assert [b.text for row in keyboards.spin_choices(EN, 0, "0123abcd", url).inline_keyboard for b in row] == [
        "🎡 Wheel", "🎯 Odds", "🔐 Verify", "✖️ Close"]


def test_the_mini_app_url_must_be_https():
    assert Config.from_env({"MINIAPP_URL": "https://club.example.com/miniapp/"}).miniapp_url.startswith("https")
    assert Config.from_env({}).miniapp_url == ""
    with pytest.raises(ConfigError, match="MINIAPP_URL"):
        Config.from_env({"MINIAPP_URL": "http://club.example.com/miniapp/"})


def test_player_texts_escape_what_people_typed():
    notice = texts.player_notice(EN, "deposit.rejected", {"deposit_id": 3, "amount": "10", "currency": "MVR",
                                                      "reason": "<b>fake</b> & wrong"})
    assert "&lt;b&gt;fake&lt;/b&gt; &amp; wrong" in notice
    assert texts.player_notice(EN, "user.registered", {}) is None


def test_broadcast_progress_and_the_counter_closed_sentence():
    from botclient.records import Broadcast
    sending = Broadcast(9, "Hi", "", "SENDING", "@anna", total=300, sent=120, blocked=5, failed=1)
    assert texts.broadcast_progress(sending) == ("📣 <b>Broadcast #9</b>: sending…\n126 of 300 handled: 120 sent, "
                                                 "5 blocked the bot, 1 failed.")
    closed = BackendRefusal("COUNTER_CLOSED", "The counter is closed right now")
    assert texts.refusal(EN, closed) == "The counter is closed right now. Please try again later."
    assert texts.refusal(EN, closed, hours="10:00-22:00").endswith("\nOpening hours: 10:00-22:00")
    assert texts.support_ended(EN, "system").startswith("💬 The support session closed because")


def test_every_kind_admins_decide_names_methods_the_api_has_and_has_buttons():
    from botclient import keyboards
    from botclient.api import LedgerApi
    from botclient.handlers.admin import DECIDABLE

    assert set(DECIDABLE) == set(keyboards.KIND_LETTERS)
    for kind, methods in DECIDABLE.items():
        names = [name for name in (methods.get, methods.approve, methods.reject) if name]
        assert all(callable(getattr(LedgerApi, name, None)) for name in names), kind
