"""Fair draws over GraphQL: what a player sees of their seeds, and never the secret before its rotation."""
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.models import Player, Spin, SpinAccount
from ledger.rules import fair_draw, seed_hash, winnable_prizes
from tests.conftest import PLAYER_ID
from tests.test_api import OUTCOME, codes

FAIRNESS = "serverSeedHash clientSeed nonce previousServerSeed previousServerSeedHash"
SET_CLIENT_SEED = """mutation($seed: String!) { setClientSeed(telegramId: %d, clientSeed: $seed) {
  ... on Fairness { %s } %s } }""" % (PLAYER_ID, FAIRNESS, OUTCOME)
ROTATE = """mutation { rotateServerSeed(telegramId: %d) { ... on Fairness { %s } %s } }""" % (
    PLAYER_ID, FAIRNESS, OUTCOME)
SPIN = """mutation { processSpin(telegramId: %d, count: 5) { ... on SpinBatch {
  spins { prize nonce serverSeedHash clientSeed } } %s } }""" % (PLAYER_ID, OUTCOME)
USER_FAIRNESS = "{ user(telegramId: %d) { telegramId fairness { %s } } }" % (PLAYER_ID, FAIRNESS)


def secret() -> str:
    return SpinAccount.objects.get(player__telegram_id=PLAYER_ID).server_seed


def test_a_players_draws_from_first_spin_to_recomputing_them(api, player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=10, reason="test", actor=admin)
    seed = secret()
    fairness = api(USER_FAIRNESS)["user"]["fairness"]
    assert fairness["serverSeedHash"] == seed_hash(seed) and fairness["nonce"] == 0
    assert fairness["previousServerSeed"] is None
    chosen = api(SET_CLIENT_SEED, {"seed": "lucky-7"})["setClientSeed"]
    assert (chosen["clientSeed"], chosen["serverSeedHash"]) == ("lucky-7", fairness["serverSeedHash"])

    spins = api(SPIN)["processSpin"]["spins"]
    assert [s["nonce"] for s in spins] == [0, 1, 2, 3, 4]
    assert {(s["serverSeedHash"], s["clientSeed"]) for s in spins} == {(fairness["serverSeedHash"], "lucky-7")}
    assert api(USER_FAIRNESS)["user"]["fairness"]["nonce"] == 5

    rotated = api(ROTATE)["rotateServerSeed"]
    assert (rotated["previousServerSeed"], rotated["previousServerSeedHash"]) == (seed, fairness["serverSeedHash"])
    assert rotated["nonce"] == 0 and rotated["serverSeedHash"] == seed_hash(secret()) != fairness["serverSeedHash"]
    assert [fair_draw(winnable_prizes(), seed, "lucky-7", s["nonce"]).label for s in spins] == [
        s["prize"] for s in spins]
    assert api(USER_FAIRNESS)["user"]["fairness"] == rotated


def test_the_secret_seed_is_in_no_answer_until_it_is_rotated_out(api, player, admin):
    services.spins_grant(telegram_id=PLAYER_ID, spins=10, reason="test", actor=admin)
    seed = secret()
    answers = [api(USER_FAIRNESS), api(SPIN), api(SET_CLIENT_SEED, {"seed": "abc"}),
               api("{ spinHistory(telegramId: %d) { nonce serverSeedHash clientSeed } }" % PLAYER_ID),
               api("{ spinAccount(telegramId: %d) { availableSpins user { fairness { %s } } } }" % (
                   PLAYER_ID, FAIRNESS))]
    assert seed not in json.dumps(answers)
    assert seed in json.dumps(api(ROTATE))


def test_refusals(api, player):
    assert codes(api(SET_CLIENT_SEED, {"seed": "two words"})["setClientSeed"]) == ["INVALID"]
    assert codes(api(SET_CLIENT_SEED.replace(str(PLAYER_ID), "424242"), {"seed": "x"})["setClientSeed"]) == [
        "NOT_FOUND"]
    assert codes(api(ROTATE.replace(str(PLAYER_ID), "424242"))["rotateServerSeed"]) == ["NOT_FOUND"]


def test_a_spin_from_before_fair_draws_reads_nonce_minus_one(api, player):
    Spin.objects.create(player=Player.objects.get(telegram_id=PLAYER_ID), prize="Try Again!", chips=0, status="AUTO")
    (spin,) = api("{ spinHistory(telegramId: %d) { nonce serverSeedHash clientSeed } }" % PLAYER_ID)["spinHistory"]
    assert spin == {"nonce": -1, "serverSeedHash": "", "clientSeed": ""}


def test_fairness_costs_fixed_queries_for_one_user_and_for_a_list(api, add_players, admin):
    add_players(20)
    ids = sorted(Player.objects.values_list("telegram_id", flat=True))
    for telegram_id in ids[:3]:
        services.fairness_server_seed_rotate(telegram_id=telegram_id)
    with CaptureQueriesContext(connection) as one:
        api("{ user(telegramId: %d) { fairness { %s } } }" % (ids[0], FAIRNESS))
    with CaptureQueriesContext(connection) as many:
        users = api("{ users(first: 20) { telegramId fairness { %s } } }" % FAIRNESS)["users"]
    assert len(users) == 20 and sum(1 for u in users if u["fairness"]["previousServerSeed"]) == 3
    assert (len(one), len(many)) == (2, 2)
