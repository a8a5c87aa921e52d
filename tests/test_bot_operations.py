"""The bot's GraphQL documents against the exported schema, and its small pure parts.

No backend and no Telegram here: these run in milliseconds.
"""
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from graphql import build_schema, parse, validate

from botclient import keyboards, texts
from botclient.api import OPERATIONS_FILE, BackendRefusal, documents
from botclient.board import proof_is_photo
from botclient.config import Config, ConfigError
from botclient.handlers.admin import period_bounds
from botclient.handlers.flow import parse_amount
from botclient.i18n import Translator
from botclient.records import PaymentMethod, Spin

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


def test_stats_periods_follow_the_club_clock():
    tz = ZoneInfo("Indian/Maldives")
    now = datetime(2025, 3, 5, 1, 30, tzinfo=tz)  # a Wednesday, 20:30 UTC the day before
    assert period_bounds("today", now) == (datetime(2025, 3, 5, tzinfo=tz), datetime(2025, 3, 6, tzinfo=tz))
    assert period_bounds("week", now) == (datetime(2025, 3, 3, tzinfo=tz), datetime(2025, 3, 10, tzinfo=tz))
    assert period_bounds("month", datetime(2024, 12, 31, 23, 59, tzinfo=tz)) == (
        datetime(2024, 12, 1, tzinfo=tz), datetime(2025, 1, 1, tzinfo=tz))


def test_callback_data_fits_telegram():
    big = 2**62
    markup = keyboards.decide_spins([Spin(big, "500 Chips", 500, "PENDING")], big)
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


def test_what_settles_a_credit_in_each_currency_is_never_short():
    mvr = PaymentMethod("BML", "Bank of Maldives", "MVR", "1", "C", Decimal("1"))
    usd = PaymentMethod("USD", "USD", "USD", "1", "C", Decimal("15.40"))
    assert texts.amount_to_pay(Decimal("1500.00"), mvr) == Decimal("1500.00")
    assert texts.amount_to_pay(Decimal("1500.00"), usd) == Decimal("97.41")  # 97.402..., rounded up
    assert Decimal("97.41") * Decimal("15.40") >= Decimal("1500")
    assert texts.amount_to_pay(Decimal("154.00"), usd) == Decimal("10.00")


def test_spin_buttons_show_only_what_is_affordable():
    def labels(available):
        return [b.text for row in keyboards.spin_choices(EN, available, "0123abcd").inline_keyboard for b in row]
    assert labels(30) == ["1", "10", "25", "All (30)", "🎯 Odds", "🔐 Verify", "✖️ Close"]
    assert labels(100)[:6] == ["1", "10", "25", "50", "100", "All (100)"]
    assert labels(0) == ["🎯 Odds", "🔐 Verify", "✖️ Close"]


def test_player_texts_escape_what_people_typed():
    notice = texts.player_notice(EN, "deposit.rejected", {"deposit_id": 3, "amount": "10", "currency": "MVR",
                                                      "reason": "<b>fake</b> & wrong"})
    assert "&lt;b&gt;fake&lt;/b&gt; &amp; wrong" in notice
    assert texts.player_notice(EN, "user.registered", {}) is None
