"""The bot's words in both languages: every refusal code has a sentence, every text of the code has
its Dhivehi, and numbers and times are formatted by Babel. No backend, no Telegram: milliseconds."""
import os
import re
import string
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from graphql import build_schema

from botclient import i18n, keyboards, texts
from botclient.api import BackendRefusal
from botclient.i18n import Translator, compile_catalogs
from botclient.records import CashbackEligibility, Eligibility, PaymentMethod

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "botclient"
DV_PO = BOT / "locale" / "dv" / "LC_MESSAGES" / "bot.po"
TZ = ZoneInfo("Indian/Maldives")
EN, DV = Translator("en", TZ), Translator("dv", TZ)
THAANA = re.compile("[\u0780-\u07bf]")
HTML_TAG = re.compile(r"</?\w+[^>]*>")


def schema_error_codes() -> list[str]:
    schema = build_schema((ROOT / "schema.graphql").read_text())
    return list(schema.type_map["ErrorCode"].values)


def code_messages() -> dict:
    """msgid (or (singular, plural)) -> where, for every text the bot's code marks for translation."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(str(BOT)):
        found.setdefault(message, f"botclient/{filename}:{lineno}")
    return found


def dhivehi() -> dict:
    with DV_PO.open("rb") as source:
        catalog = read_po(source, locale="dv")
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalog if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- refusals ----------------------------------------------------------------------------

@pytest.mark.parametrize("code", schema_error_codes())
def test_every_error_code_of_the_schema_has_a_sentence_in_both_languages(code):
    assert code in texts.REFUSALS, f"ErrorCode {code} has no sentence in botclient/texts.py REFUSALS"
    english = texts.refusal(EN, BackendRefusal(code, "the backend's own English words"))
    dhivehi_text = texts.refusal(DV, BackendRefusal(code, "the backend's own English words"))
    assert english == texts.REFUSALS[code] and "backend" not in english
    assert THAANA.search(dhivehi_text) and "backend" not in dhivehi_text


def test_refusals_are_built_from_code_field_and_figures_never_from_the_backends_words():
    below = BackendRefusal("BELOW_MINIMUM", "The minimum withdrawal is 200 MVR", "amount")
    assert texts.refusal(EN, below, minimum=Decimal("1200")) == "That is below the minimum withdrawal of 1,200.00 MVR."
    assert "1,200.00 MVR" in texts.refusal(DV, below, minimum=Decimal("1200"))
    bad_id = BackendRefusal("INVALID", "The PPPoker id must be digits only, at least 3.", "pppokerId")
    assert texts.refusal(EN, bad_id) == texts.INVALID_FIELDS["pppokerId"]
    assert THAANA.search(texts.refusal(DV, bad_id))
    assert texts.refusal(EN, BackendRefusal("SOMETHING_NEW", "words")) == texts.UNKNOWN_REFUSAL


# --- the catalog -------------------------------------------------------------------------

def test_every_text_of_the_code_has_a_dhivehi_translation():
    catalog = dhivehi()
    untranslated = []
    for message, where in code_messages().items():
        entry = catalog.get(message)
        translations = [] if entry is None else (
            [entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None or entry.fuzzy or not all(translations):
            untranslated.append(f"{where}: {message!r}")
    assert untranslated == [], "add these to botclient/locale/dv/LC_MESSAGES/bot.po (`make messages-extract`):\n" \
        + "\n".join(untranslated)


def test_the_catalog_holds_only_texts_the_code_uses_and_keeps_their_placeholders_and_tags():
    in_code = set(code_messages())
    catalog = dhivehi()
    assert sorted(map(str, set(catalog) - in_code)) == []  # obsolete entries: remove them
    for message, entry in catalog.items():
        sources = [message] if isinstance(message, str) else list(message)
        targets = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        for target in targets:
            assert placeholders(target) == placeholders(sources[0]), (message, target)
            assert sorted(HTML_TAG.findall(target)) == sorted(HTML_TAG.findall(sources[0])), (message, target)
            assert THAANA.search(target) or target in sources, (message, target)  # e.g. "TXID: <code>{txid}</code>"


def test_each_translated_message_reads_in_thaana_and_the_rest_falls_back_to_english():
    assert THAANA.search(DV._(texts.CANCELLED))
    assert DV._("a text nobody translated") == "a text nobody translated"
    assert EN._(texts.CANCELLED) == "Cancelled. Nothing was sent."


def test_a_missing_or_stale_mo_is_built_from_its_po(tmp_path):
    target = tmp_path / "dv" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "bot.po").write_bytes(DV_PO.read_bytes())
    assert compile_catalogs(tmp_path) == [target / "bot.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date
    mo_time = (target / "bot.mo").stat().st_mtime
    os.utime(target / "bot.po", (mo_time + 5, mo_time + 5))
    assert compile_catalogs(tmp_path) == [target / "bot.mo"]


# --- numbers, plurals, times ---------------------------------------------------------------

def test_numbers_keep_western_digits_and_the_banking_apps_grouping_in_both_languages():
    for t in (EN, DV):
        assert t.money(Decimal("1234567.5"), "MVR") == "1,234,567.50 MVR"
        assert t.number(1234567) == "1,234,567"
        assert t.percent(0.82489) == "82.489%"


def test_plurals_come_from_the_catalog():
    assert texts.spins_menu(EN, 1).startswith("🎰 You have <b>1</b> free spin.")
    assert texts.spins_menu(EN, 1500).startswith("🎰 You have <b>1,500</b> free spins.")
    assert THAANA.search(texts.spins_menu(DV, 2)) and "<b>2</b>" in texts.spins_menu(DV, 2)


def test_times_are_club_time_to_the_minute_with_the_zone():
    moment = datetime(2026, 3, 5, 9, 30, 42, tzinfo=UTC)
    assert EN.time(moment) == DV.time(moment) == "2026-03-05 14:30 UTC+05:00"
    assert Translator("en", ZoneInfo("UTC")).time(moment) == "2026-03-05 09:30 UTC+00:00"


# --- menus and wording -----------------------------------------------------------------------

def test_menu_keys_are_translated_and_recognised_in_either_language():
    dv_menu = [button for row in keyboards.main_menu(DV).keyboard for button in row]
    assert all(THAANA.search(button.text) for button in dv_menu)
    for button in (keyboards.DEPOSIT, keyboards.WITHDRAW, keyboards.SEAT, keyboards.SPINS, keyboards.ACCOUNT,
                   keyboards.HELP, keyboards.LANGUAGE):
        assert set(keyboards.labels(button)) == {EN._(button), DV._(button)} and len(keyboards.labels(button)) == 2
    assert [b.text for b in keyboards.languages().inline_keyboard[0]] == ["English", "ދިވެހި"]


def cashback_rules() -> list[str]:
    return list(build_schema((ROOT / "schema.graphql").read_text()).type_map["CashbackRule"].values)


@pytest.mark.parametrize("rule", cashback_rules())
def test_every_recovery_rule_has_its_own_sentence_in_both_languages(rule):
    refused = CashbackEligibility(eligible=False, rule=rule, deposits=Decimal("200"), minimum=Decimal("500"),
                                  missing=Decimal("300"), reason="the backend's own English words")
    english, dhivehi_text = texts.cashback_not_eligible(EN, refused), texts.cashback_not_eligible(DV, refused)
    assert english != texts.REFUSALS["NOT_ELIGIBLE"] and "backend" not in english
    assert THAANA.search(dhivehi_text) and "backend" not in dhivehi_text
    if rule == "BELOW_MINIMUM":  # how much more, and the figures it comes from
        for text in (english, dhivehi_text):
            assert all(figure in text for figure in ("500.00 MVR", "200.00 MVR", "300.00 MVR"))


def test_a_join_approval_without_the_clubs_link_says_what_happens_instead():
    both = texts.player_notice(EN, "join.approved", {"join_request_id": 4, "club_id": "77", "club_link": "https://x"})
    assert "Club id: <code>77</code>" in both and "Club link: https://x" in both and "missing" not in both
    neither = texts.player_notice(DV, "join.approved", {"join_request_id": 4, "club_id": "", "club_link": ""})
    assert THAANA.search(neither) and "#4" in neither and "<code>" not in neither


def test_help_lists_every_command():
    for t in (EN, DV):
        shown = texts.help_text(t, admin=False)
        assert all(f"/{command}:" in shown for command, _ in texts.COMMANDS)
    assert "/addspins" in texts.help_text(DV, admin=True) and "/addspins" not in texts.help_text(DV, admin=False)


def test_withdrawal_rules_are_told_with_their_figures():
    may = Eligibility(eligible=True, code=None, minimum=Decimal("200"), payout_name="Aisha <Real>", pending=False)
    assert "200.00 MVR" in texts.withdrawal_rules(EN, may) and "Aisha &lt;Real&gt;" in texts.withdrawal_rules(EN, may)
    not_yet = Eligibility(eligible=False, code="ACCOUNT_NAME_MISMATCH", minimum=Decimal("200"), payout_name="",
                          pending=False)
    assert "first deposit is approved" in texts.withdrawal_refused_up_front(EN, not_yet)
    assert THAANA.search(texts.withdrawal_refused_up_front(DV, not_yet))


def test_language_names_are_each_in_their_own_language():
    assert i18n.LANGUAGE_NAMES == {"en": "English", "dv": "ދިވެހި"}


def test_seat_and_credit_notices_in_both_languages():
    methods = [PaymentMethod("BML", "Bank of Maldives", "MVR", "7730000123456", "Club Ltd", Decimal("1"))]
    approved = {"seat_request_id": 4, "credit_id": 9, "amount": "1500.00", "decided_by": "@anna (1)"}
    for t in (EN, DV):
        text = texts.pay_notice(t, "seat.approved", approved, methods)
        assert "1,500.00 MVR" in text and "7730000123456" in text and "#4" in text
        reminder = texts.pay_notice(t, "credit.reminder", {"credit_id": 9, "amount": "1500", "reminder": 2,
                                                            "reminders": 2}, methods)
        assert "#9" in reminder and "1,500.00 MVR" in reminder
        [buttons] = keyboards.pay_credit(t, methods, 9).inline_keyboard
        assert [b.callback_data for b in buttons] == ["pay:9:BML"]
        for kind in ("seat.rejected", "seat.expired", "credit.cleared"):
            notice = texts.player_notice(t, kind, {"seat_request_id": 4, "credit_id": 9, "amount": "800",
                                                   "reason": "<full>"})
            assert "800.00 MVR" in notice and "<full>" not in notice
        assert texts.player_notice(t, "credit.settled", {"credit_id": 9}) is None  # deposit.approved says it
        settled = texts.player_notice(t, "deposit.approved", {"deposit_id": 5, "amount": "1500", "currency": "MVR",
                                                              "spins_granted": 7, "settled_credit_id": 9})
        assert "#9" in settled and "7" in settled
    assert THAANA.search(texts.pay_notice(DV, "seat.approved", approved, methods))
    assert "chips are being loaded" not in texts.player_notice(EN, "deposit.approved", {
        "deposit_id": 5, "amount": "1500", "currency": "MVR", "settled_credit_id": 9})


def test_seat_refusals_say_what_blocks_the_seat():
    no_id = BackendRefusal("INVALID", "A seat needs your PPPoker id on file; send it first.", "pppokerId")
    assert texts.seat_refusal(EN, no_id) == texts.SEAT_NEEDS_PPPOKER and "/start" in texts.SEAT_NEEDS_PPPOKER
    assert texts.seat_refusal(EN, BackendRefusal("CREDIT_OPEN")) == texts.SEAT_REFUSALS["CREDIT_OPEN"]
    assert THAANA.search(texts.seat_refusal(DV, BackendRefusal("DUPLICATE_PENDING")))
    assert texts.seat_refusal(EN, BackendRefusal("INVALID", "", "amount")) == texts.INVALID_FIELDS["amount"]
