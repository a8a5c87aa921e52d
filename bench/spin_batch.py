"""Server time of spending many spins in one call, in-process on PostgreSQL (issue 10: 1,000 spins
in <= 300 ms, linear in the count).

    DATABASE_URL=postgres://... .venv/bin/python -m bench.spin_batch

It makes its own throwaway test database (Django's test-database machinery), gives one player
enough spins, and times `processSpin(count: N)` through Django's WSGI handler for N = 1, 100 and
1,000: the median and the slowest of the rounds, and the time per spin, so the growth is visible.
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("SPIN_ROUNDS", "11"))
COUNTS = (1, 100, 1_000)
TOKEN = "bench-spin-token"
PLAYER = 5_100_000_001
QUERY = """mutation($t: BigInt!, $c: Int) { processSpin(telegramId: $t, count: $c) {
  ... on SpinBatch { chipsWon spinsLeft spins { id prize chips status } }
  ... on OperationInfo { messages { code message } } } }"""


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench.spin_batch measures PostgreSQL: set DATABASE_URL")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        settings.API_TOKEN = TOKEN
        from ledger import services
        from ledger.actors import system_actor
        services.user_upsert(telegram_id=PLAYER, username="bench")
        needed = sum(COUNTS) * (ROUNDS + 1)
        while needed > 0:
            services.spins_grant(telegram_id=PLAYER, spins=min(needed, services.MAX_SPINS_PER_GRANT),
                                 reason="bench", actor=system_actor("bench"))
            needed -= services.MAX_SPINS_PER_GRANT
        client = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        print(f"processSpin on PostgreSQL, in-process, {ROUNDS} rounds after a warm-up")
        print(f"{'count':>6} {'median ms':>10} {'max ms':>8} {'µs/spin':>8}")
        for count in COUNTS:
            times = []
            for round_number in range(ROUNDS + 1):
                started = time.perf_counter()
                body = client.post("/graphql/", {"query": QUERY, "variables": {"t": PLAYER, "c": count}},
                                   content_type="application/json").json()
                elapsed = time.perf_counter() - started
                batch = body["data"]["processSpin"]
                assert len(batch["spins"]) == count, body
                if round_number:  # the first is the warm-up
                    times.append(elapsed * 1000)
            median = statistics.median(times)
            print(f"{count:>6} {median:>10.1f} {max(times):>8.1f} {median * 1000 / count:>8.0f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
