"""The backend's cost per broadcast delivery, with Telegram's rate limit lifted (issue 14): can 10,000
players be reached in the time Telegram's 25 messages a second allow, whatever the backend does?

    DATABASE_URL=postgres://... .venv/bin/python -m bench.broadcast_cost

In-process on PostgreSQL (its own throwaway test database), through Django's WSGI handler and the
GraphQL API exactly as the bot calls it: the recipients a page at a time (`broadcastRecipients`),
then `recordBroadcastDeliveries` once per copy, as the bot records each copy right after sending it
(and, for comparison, in batches of 100). It prints this process's CPU and the wall time per
delivery; PostgreSQL's own CPU is not in the CPU figure, it is in the wall time.
"""
import os
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

PLAYERS = int(os.environ.get("BROADCAST_PLAYERS", "2000"))
TOKEN = "bench-broadcast-token"
FIRST_PLAYER = 5_200_000_001
TELEGRAM_RATE = 25  # messages a second, Telegram's broadcast limit
RECIPIENTS = "query($id: ID!) { broadcastRecipients(id: $id, first: 100) }"
RECORD = """mutation($id: ID!, $d: [BroadcastDeliveryInput!]!) { recordBroadcastDeliveries(broadcastId: $id,
  deliveries: $d) { __typename ... on OperationInfo { messages { code message } } } }"""


def run_one(client: Client, broadcast_id: int, batch: int) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, deliveries) of delivering a whole broadcast, `batch` copies a call."""
    cpu, wall, delivered = time.process_time(), time.perf_counter(), 0
    while True:
        page = client.post("/graphql/", {"query": RECIPIENTS, "variables": {"id": broadcast_id}},
                           content_type="application/json").json()["data"]["broadcastRecipients"]
        if not page:
            break
        for start in range(0, len(page), batch):
            chunk = page[start:start + batch]
            body = client.post("/graphql/", {"query": RECORD, "variables": {"id": broadcast_id, "d": [
                {"chatId": chat, "outcome": "SENT"} for chat in chunk]}}, content_type="application/json").json()
            assert "errors" not in body and "messages" not in body["data"]["recordBroadcastDeliveries"], body
            delivered += len(chunk)
    return time.process_time() - cpu, time.perf_counter() - wall, delivered


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench.broadcast_cost measures PostgreSQL: set DATABASE_URL")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        settings.API_TOKEN = TOKEN
        settings.RATELIMIT_ENABLE = False  # the bench is the only caller; the throttle is not what is measured
        from ledger import services
        from ledger.actors import system_actor
        from ledger.models import Player
        Player.objects.bulk_create([Player(telegram_id=FIRST_PLAYER + i, username=f"b{i}") for i in range(PLAYERS)],
                                   batch_size=1000)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        print(f"broadcast deliveries on PostgreSQL, in-process, {PLAYERS:,} recipients each")
        print(f"{'copies a call':>13} {'CPU µs/copy':>12} {'wall µs/copy':>13} {'10,000 players: backend s':>26}"
              f" {'Telegram s':>11}")
        for batch in (1, 100):
            broadcast = services.broadcast_create(text=f"bench {batch}", actor=system_actor("bench"))
            cpu, wall, delivered = run_one(client, broadcast.pk, batch)
            assert delivered >= PLAYERS, delivered
            per_copy = wall / delivered
            print(f"{batch:>13} {cpu / delivered * 1e6:>12.0f} {per_copy * 1e6:>13.0f} {per_copy * 10_000:>26.1f}"
                  f" {10_000 / TELEGRAM_RATE:>11.0f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
