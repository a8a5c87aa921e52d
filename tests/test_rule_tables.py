"""The spin tiers and the prize table as versioned data the admins change: in force at once, nothing
decided before moves, every change on the audit trail."""
import math
import random

import pytest

from ledger import selectors, services
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.models import ConfigChange, Deposit, PrizeTable, Spin, SpinAccount, SpinTierTable
from ledger.rules import PRIZES, SPIN_TIERS, fair_draw, winnable_prizes
from tests.conftest import ADMIN_ID, PLAYER_ID, approved_deposit, deposit_for
from tests.test_api import OUTCOME, codes

NEW_TIERS = [("100", 2), ("500", 10), ("1000", 30)]
NEW_PRIZES = [("Try Again!", 0, 50), ("5 Chips", 5, 30), ("50 Chips", 50, 20)]


def test_version_1_is_the_codes_table_until_someone_changes_it(db):
    assert selectors.spin_tiers_in_force().version == 1
    assert [(int(t), s) for t, s in selectors.spin_tiers_in_force().tiers] == list(SPIN_TIERS)
    assert selectors.prize_table_in_force().prizes == PRIZES


def test_a_tier_change_between_two_approvals(player, admin):
    first = approved_deposit(PLAYER_ID, admin, amount="500")
    assert (first.spins_granted, first.spin_tier_version) == (2, 1)
    table = services.spin_tiers_set(tiers=NEW_TIERS, actor=admin)
    assert table.version == 2
    second = approved_deposit(PLAYER_ID, admin, amount="500")
    assert (second.spins_granted, second.spin_tier_version) == (10, 2)
    assert Deposit.objects.get(pk=first.pk).spins_granted == 2  # nothing decided before moves
    assert SpinAccount.objects.get(player__telegram_id=PLAYER_ID).available_spins == 12
    change = ConfigChange.objects.get(what="spin tiers")
    assert (change.before, change.changed_by) == ("version 1", admin.label)
    assert change.after == "version 2 (100.00: 2, 500.00: 10, 1000.00: 30)"
    assert ledger_discrepancies() == []


def test_a_prize_table_change_is_published_at_once_and_older_spins_keep_their_version(player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=20, reason="t", actor=admin)
    old = services.spins_process(telegram_id=PLAYER_ID, count=10).spins
    services.prize_table_set(prizes=NEW_PRIZES, actor=admin)
    assert [(o.label, o.weight, round(o.probability, 2)) for o in selectors.prize_table()] == [
        ("Try Again!", 50, 0.5), ("5 Chips", 30, 0.3), ("50 Chips", 20, 0.2)]
    new = services.spins_process(telegram_id=PLAYER_ID, count=10).spins
    assert {s.prize_table_version for s in old} == {1} and {s.prize_table_version for s in new} == {2}
    assert {s.prize for s in new} <= {"Try Again!", "5 Chips", "50 Chips"}
    account = SpinAccount.objects.get(player__telegram_id=PLAYER_ID)
    for spin in Spin.objects.filter(pk__in=[s.pk for s in old + new]):
        table = selectors.prize_table_of_version(spin.prize_table_version).prizes
        assert fair_draw(winnable_prizes(table), account.server_seed, spin.client_seed, spin.nonce).label == spin.prize
    assert ledger_discrepancies() == []


def test_over_100k_draws_the_new_table_keeps_its_weights(db, admin):
    services.prize_table_set(prizes=NEW_PRIZES, actor=admin)
    prizes = winnable_prizes(selectors.prize_table_in_force().prizes)
    rng, draws = random.Random(3), 100_000
    counts = dict.fromkeys((p.label for p in prizes), 0)
    for _ in range(draws):
        counts[fair_draw(prizes, "%064x" % rng.getrandbits(256), "c", 0).label] += 1
    for label, _, weight in NEW_PRIZES:
        p = weight / 100
        assert abs(counts[label] - draws * p) <= 5 * math.sqrt(draws * p * (1 - p)), label


@pytest.mark.parametrize("tiers, field", [
    ([], "tiers"), ([("500", 2), ("400", 3)], "minAmount"), ([("100", 5), ("200", 5)], "spins"),
    ([("-1", 1)], "minAmount"), ([("100", 0)], "spins"), ([("1e3", 1)], "minAmount")])
def test_tier_tables_refused(db, admin, tiers, field):
    with pytest.raises(LedgerError) as refusal:
        services.spin_tiers_set(tiers=tiers, actor=admin)
    assert (refusal.value.code, refusal.value.field) == ("INVALID", field)
    assert not SpinTierTable.objects.filter(version__gt=1).exists()


@pytest.mark.parametrize("prizes, field", [
    ([], "prizes"), ([("A", 0, 1), ("a", 5, 1)], "label"), ([("A", 0, 0)], "weight"), ([("A", 0, -3)], "weight"),
    ([("", 0, 1)], "label"), ([("A", -1, 1)], "chips"), ([("x" * 33, 0, 1)], "label")])
def test_prize_tables_refused(db, admin, prizes, field):
    with pytest.raises(LedgerError) as refusal:
        services.prize_table_set(prizes=prizes, actor=admin)
    assert (refusal.value.code, refusal.value.field) == ("INVALID", field)
    assert not PrizeTable.objects.filter(version__gt=1).exists()


SET_TIERS = """mutation($t: [SpinTierInput!]!, $a: BigInt) { setSpinTiers(tiers: $t, actorTelegramId: $a) {
  ... on SpinTierTable { version createdBy tiers { minAmount spins } } %s } }""" % OUTCOME
SET_PRIZES = """mutation($p: [PrizeInput!]!, $a: BigInt) { setPrizeTable(prizes: $p, actorTelegramId: $a) {
  ... on PrizeTable { version prizes { label chips weight probability } } %s } }""" % OUTCOME


def test_the_tables_over_graphql(api, player, admin):
    tiers = [{"minAmount": t, "spins": s} for t, s in NEW_TIERS]
    assert codes(api(SET_TIERS, {"t": tiers, "a": PLAYER_ID})["setSpinTiers"]) == ["FORBIDDEN"]
    made = api(SET_TIERS, {"t": tiers, "a": ADMIN_ID})["setSpinTiers"]
    assert made["version"] == 2 and made["tiers"][1] == {"minAmount": "500.00", "spins": 10}
    assert api("{ spinTiers { version } }")["spinTiers"]["version"] == 2
    bad = api(SET_TIERS, {"t": [{"minAmount": "5", "spins": 2}, {"minAmount": "4", "spins": 3}], "a": ADMIN_ID})
    assert codes(bad["setSpinTiers"]) == ["INVALID"]

    prizes = [{"label": label, "chips": chips, "weight": weight} for label, chips, weight in NEW_PRIZES]
    table = api(SET_PRIZES, {"p": prizes, "a": ADMIN_ID})["setPrizeTable"]
    assert table["version"] == 2 and table["prizes"][2] == {"label": "50 Chips", "chips": 50, "weight": 20,
                                                            "probability": 0.2}
    history = api("{ prizeTables { version prizes { label } } }")["prizeTables"]
    assert [t["version"] for t in history] == [2, 1]
    assert api("{ prizeTable { label weight } }")["prizeTable"][1] == {"label": "5 Chips", "weight": 30}
    deposit = deposit_for(PLAYER_ID, amount="500")
    services.deposit_approve(deposit_id=deposit.pk, actor=admin)
    got = api("{ deposit(id: %d) { spinTierVersion spinsGranted } }" % deposit.pk)["deposit"]
    assert got == {"spinTierVersion": 2, "spinsGranted": 10}
