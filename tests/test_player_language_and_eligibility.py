"""The player's language (domain.md, "Languages") and what a player may withdraw, told up front."""
from decimal import Decimal

import pytest

from ledger import selectors, services
from ledger.errors import LedgerError
from ledger.models import Language, Player, RequestStatus, Withdrawal
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit

USER_LANGUAGE = "query($t: BigInt!) { user(telegramId: $t) { language } }"
SET_LANGUAGE = """mutation($i: UserLanguageInput!) { setLanguage(input: $i) {
  ... on User { telegramId language } ... on OperationInfo { messages { code field } } } }"""
ELIGIBILITY = """query($t: BigInt!) { withdrawalEligibility(telegramId: $t) {
  eligible code minimum payoutName pending } }"""
WITHDRAW = dict(telegram_id=PLAYER_ID, method="BML", account_number="7730000123456", pppoker_id="12345")


# --- language --------------------------------------------------------------------------

def test_a_new_player_reads_english_until_they_choose(player):
    assert player.language == Language.EN
    chosen = services.user_language_set(telegram_id=PLAYER_ID, language=Language.DV)
    assert chosen.language == Language.DV and chosen.version == player.version + 1
    assert Player.objects.get(telegram_id=PLAYER_ID).language == Language.DV


def test_the_language_can_come_with_the_first_contact(methods):
    created = services.user_upsert(telegram_id=2**41, first_name="Aisha", language=Language.DV)
    assert created.language == Language.DV
    kept = services.user_upsert(telegram_id=2**41, first_name="Aisha")
    assert kept.language == Language.DV


def test_an_unknown_language_or_player_is_refused(player):
    with pytest.raises(LedgerError) as refused:
        services.user_language_set(telegram_id=PLAYER_ID, language="fr")
    assert refused.value.code == "INVALID" and refused.value.field == "language"
    with pytest.raises(LedgerError) as refused:
        services.user_language_set(telegram_id=PLAYER_ID + 1, language=Language.DV)
    assert refused.value.code == "NOT_FOUND"


def test_set_language_over_the_api(api, player):
    assert api(USER_LANGUAGE, {"t": PLAYER_ID})["user"]["language"] == "EN"
    payload = api(SET_LANGUAGE, {"i": {"telegramId": PLAYER_ID, "language": "DV"}})["setLanguage"]
    assert payload == {"telegramId": PLAYER_ID, "language": "DV"}
    assert api(USER_LANGUAGE, {"t": PLAYER_ID})["user"]["language"] == "DV"
    unknown = api(SET_LANGUAGE, {"i": {"telegramId": PLAYER_ID + 5, "language": "EN"}})["setLanguage"]
    assert [m["code"] for m in unknown["messages"]] == ["NOT_FOUND"]


def test_upsert_user_takes_the_language_over_the_api(api, methods):
    data = api("""mutation($i: UserInput!) { upsertUser(input: $i) { ... on User { language } } }""",
               {"i": {"telegramId": 2**42, "language": "DV"}})
    assert data["upsertUser"]["language"] == "DV"


# --- withdrawal eligibility ------------------------------------------------------------

def test_without_an_approved_deposit_a_player_may_not_withdraw_and_is_told_why(player, settings):
    settings.WITHDRAWAL_MIN_MVR = Decimal("250")
    told = selectors.withdrawal_eligibility(telegram_id=PLAYER_ID)
    assert (told.eligible, told.code, told.minimum, told.payout_name, told.pending) == (
        False, "ACCOUNT_NAME_MISMATCH", Decimal("250"), "", False)
    with pytest.raises(LedgerError) as refused:  # the service refuses for the very same reason
        services.withdrawal_create(amount="500", **WITHDRAW)
    assert refused.value.code == told.code


def test_after_an_approved_deposit_eligible_until_one_is_pending(player, admin):
    approved_deposit(PLAYER_ID, admin, account_name="Ali Ahmed")
    told = selectors.withdrawal_eligibility(telegram_id=PLAYER_ID)
    assert (told.eligible, told.code, told.payout_name, told.pending) == (True, None, "Ali Ahmed", False)
    services.withdrawal_create(amount="300", **WITHDRAW)
    told = selectors.withdrawal_eligibility(telegram_id=PLAYER_ID)
    assert (told.eligible, told.code, told.pending) == (False, "DUPLICATE_PENDING", True)
    with pytest.raises(LedgerError) as refused:
        services.withdrawal_create(amount="300", **WITHDRAW)
    assert refused.value.code == told.code
    Withdrawal.objects.update(status=RequestStatus.REJECTED)
    assert selectors.withdrawal_eligibility(telegram_id=PLAYER_ID).eligible


def test_eligibility_over_the_api(api, player, admin, settings):
    settings.ADMIN_USER_IDS = [ADMIN_ID]
    assert api(ELIGIBILITY, {"t": PLAYER_ID})["withdrawalEligibility"] == {
        "eligible": False, "code": "ACCOUNT_NAME_MISMATCH", "minimum": "200", "payoutName": "", "pending": False}
    approved_deposit(PLAYER_ID, admin, account_name="Ali Ahmed")
    assert api(ELIGIBILITY, {"t": PLAYER_ID})["withdrawalEligibility"]["eligible"] is True
    assert api(ELIGIBILITY, {"t": PLAYER_ID + 9})["withdrawalEligibility"] is None
