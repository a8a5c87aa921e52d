"""Fair draws: the formula of domain.md, its published vectors, seeds kept secret until revealed,
nonces used once each, and a verifier that needs nothing of the backend."""
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from ledger import selectors, services
from ledger.audit import ledger_discrepancies
from ledger.errors import LedgerError
from ledger.fairness import parse_nonces
from ledger.models import RevealedSeed, Spin, SpinAccount
from ledger.rules import PRIZES, Prize, fair_draw, fair_point, seed_hash, winnable_prizes
from tests.conftest import approved_deposit

ROOT = Path(__file__).resolve().parent.parent
PLAYER = 7_100_000_001

# The published vectors: (server seed, client seed, nonce) -> prize, on the prize table of ledger/rules.py.
VECTOR_SEED, VECTOR_CLIENT = "ffffffff-vector-seed", "club"
VECTORS = [(0, 42_677, "Try Again!"), (13, 95_250, "20 Chips"), (23, 88_516, "10 Chips"), (35, 98_759, "50 Chips"),
           (67, 99_774, "100 Chips"), (10_601, 99_991, "250 Chips"), (155_269, 99_999, "500 Chips")]


def reference_draw(server_seed: str, client_seed: str, nonce: int, table: list[tuple[str, int]]) -> str:
    """domain.md's algorithm, written out step by step apart from the ledger's code."""
    h = hmac.new(server_seed.encode(), f"{client_seed}:{nonce}".encode(), hashlib.sha256).hexdigest()
    u = int(h[0:13], 16)
    total = sum(weight for _, weight in table)
    point = u * total // 2**52
    running = 0
    for label, weight in table:
        running += weight
        if running > point:
            return label
    raise AssertionError("point beyond the table")


def test_the_published_vectors():
    prizes = winnable_prizes()
    total = sum(p.weight for p in prizes)
    for nonce, point, label in VECTORS:
        assert fair_point(VECTOR_SEED, VECTOR_CLIENT, nonce, total) == point
        assert fair_draw(prizes, VECTOR_SEED, VECTOR_CLIENT, nonce).label == label
    assert seed_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2


def test_the_ledger_draws_exactly_the_domain_formula():
    rng = random.Random(20261202)
    table = [(p.label, p.weight) for p in winnable_prizes()]
    for _ in range(5_000):
        seed = "%064x" % rng.getrandbits(256)
        client = "".join(rng.choice("abcXYZ019:-_") for _ in range(rng.randint(1, 64)))
        nonce = rng.randrange(10**9)
        assert fair_draw(winnable_prizes(), seed, client, nonce).label == reference_draw(seed, client, nonce, table)


def test_a_point_lands_on_the_first_prize_whose_running_weight_exceeds_it():
    prizes = (Prize("a", 0, 1), Prize("b", 1, 2), Prize("c", 2, 1))
    rng = random.Random(7)
    for _ in range(2_000):
        seed, nonce = "%032x" % rng.getrandbits(128), rng.randrange(10**6)
        point = fair_point(seed, "c", nonce, 4)
        assert 0 <= point < 4
        assert fair_draw(prizes, seed, "c", nonce).label == "abbc"[point]


@pytest.mark.slow
def test_over_a_million_random_seeds_each_prize_keeps_its_weight():
    rng = random.Random(1)
    prizes = winnable_prizes()
    total = sum(p.weight for p in prizes)
    draws = 1_000_000
    counts = dict.fromkeys((p.label for p in prizes), 0)
    for _ in range(draws):
        counts[fair_draw(prizes, "%064x" % rng.getrandbits(256), "c", 0).label] += 1
    chi_square = 0.0
    for prize in prizes:
        p = prize.weight / total
        expected = draws * p
        assert abs(counts[prize.label] - expected) <= 5 * (draws * p * (1 - p)) ** 0.5, prize.label
        chi_square += (counts[prize.label] - expected) ** 2 / expected
    assert chi_square < 27.9  # 6 degrees of freedom, beyond the 99.99th percentile


# --- the ledger ---------------------------------------------------------------------------

@pytest.fixture
def spinner(methods, admin):
    services.user_upsert(telegram_id=PLAYER, username="spinner", pppoker_id="55555")
    services.spins_grant(telegram_id=PLAYER, spins=200, reason="test", actor=admin)
    return PLAYER


def test_each_spin_records_its_seed_hash_client_seed_and_the_next_nonce(spinner):
    account = SpinAccount.objects.get(player__telegram_id=spinner)
    first = services.spins_process(telegram_id=spinner, count=5).spins
    second = services.spins_process(telegram_id=spinner, count=3).spins
    assert [s.nonce for s in first + second] == list(range(8))
    assert {(s.server_seed_hash, s.client_seed) for s in first + second} == {
        (seed_hash(account.server_seed), account.client_seed)}
    assert SpinAccount.objects.get(pk=account.pk).nonce == 8
    for spin in first + second:  # the secret seed was fixed before: each outcome follows from it
        assert fair_draw(winnable_prizes(), account.server_seed, spin.client_seed, spin.nonce).label == spin.prize
    assert ledger_discrepancies() == []


def test_every_player_has_their_own_secret_seed(methods):
    for tid in (PLAYER, PLAYER + 1, PLAYER + 2):
        services.user_upsert(telegram_id=tid)
    seeds = list(SpinAccount.objects.values_list("server_seed", "client_seed"))
    assert len({server for server, _ in seeds}) == len({client for _, client in seeds}) == 3
    assert all(len(server) == 64 and len(client) == 16 for server, client in seeds)


def test_rotating_reveals_the_old_seed_and_restarts_at_nonce_zero(spinner):
    spins = services.spins_process(telegram_id=spinner, count=10).spins
    before = selectors.fairness(SpinAccount.objects.get(player__telegram_id=spinner))
    assert before.previous_server_seed is None and before.nonce == 10
    after = selectors.fairness(services.fairness_server_seed_rotate(telegram_id=spinner))
    assert after.previous_server_seed_hash == before.server_seed_hash == seed_hash(after.previous_server_seed)
    assert after.server_seed_hash != before.server_seed_hash and after.nonce == 0
    assert RevealedSeed.objects.get().spins_drawn == 10
    for spin in spins:
        assert fair_draw(winnable_prizes(), after.previous_server_seed, spin.client_seed, spin.nonce).label == (
            spin.prize)
    assert [s.nonce for s in services.spins_process(telegram_id=spinner, count=2).spins] == [0, 1]
    assert ledger_discrepancies() == []


def test_a_client_seed_changes_the_next_draws_only(spinner):
    old = services.spins_process(telegram_id=spinner, count=2).spins
    services.fairness_client_seed_set(telegram_id=spinner, client_seed="my-lucky-seed")
    new = services.spins_process(telegram_id=spinner, count=2).spins
    assert {s.client_seed for s in new} == {"my-lucky-seed"} != {s.client_seed for s in old}
    assert [s.nonce for s in old + new] == [0, 1, 2, 3]
    assert Spin.objects.get(pk=old[0].pk).client_seed == old[0].client_seed


@pytest.mark.parametrize("seed", ["", "with space", "x" * 65, "tab\there", "ثانا", None, 12])
def test_a_client_seed_that_cannot_be_read_back_is_refused(spinner, seed):
    with pytest.raises(LedgerError) as refusal:
        services.fairness_client_seed_set(telegram_id=spinner, client_seed=seed)
    assert (refusal.value.code, refusal.value.field) == ("INVALID", "clientSeed")


def test_check_ledger_notices_a_nonce_used_twice_or_skipped(spinner):
    spins = services.spins_process(telegram_id=spinner, count=3).spins
    Spin.objects.filter(pk=spins[1].pk).update(nonce=7)
    assert any("nonces 0..7" in line for line in ledger_discrepancies())
    Spin.objects.filter(pk=spins[1].pk).update(nonce=1)
    SpinAccount.objects.filter(player__telegram_id=spinner).update(nonce=4)
    assert any("its record says 4" in line for line in ledger_discrepancies())


def test_the_migration_gives_existing_accounts_different_seeds(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    executor = MigrationExecutor(connection)
    executor.migrate([("ledger", "0009_credits")])
    old = executor.loader.project_state([("ledger", "0009_credits")]).apps
    Player, Account = old.get_model("ledger", "Player"), old.get_model("ledger", "SpinAccount")
    for tid in (1001, 1002, 1003):
        Account.objects.create(player=Player.objects.create(telegram_id=tid))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    seeds = list(SpinAccount.objects.values_list("server_seed", "client_seed", "nonce"))
    assert len({s for s, _, _ in seeds}) == 3 and len({c for _, c, _ in seeds}) == 3
    assert {n for _, _, n in seeds} == {0} and all(len(s) == 64 for s, _, _ in seeds)


# --- the verifier, without the backend ---------------------------------------------------------

def test_parse_nonces():
    assert parse_nonces("0-3,7, 9-9") == [0, 1, 2, 3, 7, 9]
    for bad in ("3-1", "-2", "x", ""):
        with pytest.raises(ValueError):
            parse_nonces(bad)


def run_verifier(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "DATABASE"))}
    return subprocess.run([sys.executable, "-m", "ledger.fairness", "verify", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_verifier_recomputes_a_players_spins_from_the_revealed_seed(spinner, tmp_path):
    spins = services.spins_process(telegram_id=spinner, count=30).spins
    fairness = selectors.fairness(services.fairness_server_seed_rotate(telegram_id=spinner))
    done = run_verifier("--server-seed", fairness.previous_server_seed, "--client-seed", spins[0].client_seed,
                        "--nonces", "0-29", "--hash", fairness.previous_server_seed_hash)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "matches the published hash"
    assert [line.split("\t")[2] for line in lines[3:]] == [s.prize for s in spins]
    table = tmp_path / "table.json"
    table.write_text(json.dumps([{"label": p.label, "chips": p.chips, "weight": p.weight} for p in PRIZES]))
    assert run_verifier("--server-seed", fairness.previous_server_seed, "--client-seed", spins[0].client_seed,
                        "--nonces", "0-29", "--prizes", str(table)).stdout.splitlines()[2:] == lines[3:]


def test_the_verifier_says_when_a_seed_does_not_match_its_hash():
    done = run_verifier("--server-seed", "not the seed", "--client-seed", "c", "--nonces", "0",
                        "--hash", seed_hash("the seed"))
    assert done.returncode == 1 and "DOES NOT MATCH" in done.stdout


def test_the_verifier_imports_nothing_of_django():
    done = subprocess.run([sys.executable, "-c", "import sys, ledger.fairness; print('django' in sys.modules)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, env={"PATH": os.environ["PATH"]})
    assert done.stdout.strip() == "False", done.stderr


def test_an_approved_deposit_then_spins_recompute_after_rotation(spinner, admin):
    approved_deposit(spinner, admin, amount="2000")
    spins = services.spins_process(telegram_id=spinner, count=None).spins
    seed = selectors.fairness(services.fairness_server_seed_rotate(telegram_id=spinner)).previous_server_seed
    table = [(p.label, p.weight) for p in winnable_prizes()]
    assert all(reference_draw(seed, s.client_seed, s.nonce, table) == s.prize for s in spins)
