"""A Mini App spin round trip over loopback HTTP (issue 19): what the page does for one spin.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.miniapp_roundtrip

A real gunicorn (tests/live.py: its own database, 2 sync workers) on 127.0.0.1; one keep-alive
connection, as a web view holds one. A round is the page (GET /miniapp/), its state (prizeTable,
spinAccount, fairness) and processSpin(count: 1), each with `Authorization: tma <initData>` signed
with a throwaway bot token. Prints the p50 and p90 of the round and of the spin call alone.
"""
import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live import LiveBackend  # noqa: E402
from tests.miniapp import signed_init_data  # noqa: E402

ROUNDS = int(os.environ.get("MINIAPP_ROUNDS", "200"))
BOT_TOKEN = "424242:bench-miniapp-token"
API_TOKEN = "bench-miniapp-api-token"
ADMIN, PLAYER = 7_100_000_001, 5_200_000_001
STATE = """query($id: BigInt!) { prizeTable { label chips probability } spinAccount(telegramId: $id) {
  availableSpins } user(telegramId: $id) { fairness { serverSeedHash clientSeed nonce } } }"""
SPIN = """mutation($id: BigInt!) { processSpin(telegramId: $id, count: 1) { ... on SpinBatch {
  spins { prize chips nonce } chipsWon spinsLeft } ... on OperationInfo { messages { code } } } }"""


def post(connection, authorization: str, query: str, variables: dict) -> dict:
    connection.request("POST", "/graphql/", json.dumps({"query": query, "variables": variables}),
                       {"Content-Type": "application/json", "Authorization": authorization})
    response = connection.getresponse()
    body = json.loads(response.read())
    assert response.status == 200 and "errors" not in body, body
    return body["data"]


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(share * len(values)))]


def main() -> None:
    with LiveBackend(api_token=API_TOKEN, admin_ids=[ADMIN], extra_env={"BOT_TOKEN": BOT_TOKEN}) as backend:
        connection = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=10)
        bot = f"Bearer {API_TOKEN}"
        post(connection, bot, "mutation($i: UserInput!) { upsertUser(input: $i) { __typename } }",
             {"i": {"telegramId": PLAYER, "username": "bench"}})
        post(connection, bot, "mutation($id: BigInt!, $a: BigInt) { grantSpins(telegramId: $id, spins: %d, "
             "reason: \"bench\", actorTelegramId: $a) { __typename } }" % (ROUNDS + 20), {"id": PLAYER, "a": ADMIN})
        page = f"tma {signed_init_data(PLAYER, bot_token=BOT_TOKEN)}"
        rounds, spins = [], []
        for index in range(ROUNDS + 10):  # the first 10 warm the workers up
            began = time.perf_counter()
            connection.request("GET", "/miniapp/")
            response = connection.getresponse()
            assert response.status == 200 and b"wheel.js" in response.read()
            post(connection, page, STATE, {"id": PLAYER})
            spun = time.perf_counter()
            batch = post(connection, page, SPIN, {"id": PLAYER})["processSpin"]
            done = time.perf_counter()
            assert len(batch["spins"]) == 1, batch
            if index >= 10:
                rounds.append((done - began) * 1000)
                spins.append((done - spun) * 1000)
        connection.close()
    print(f"{ROUNDS} rounds on loopback: round trip p50 {statistics.median(rounds):.1f} ms, "
          f"p90 {percentile(rounds, 0.9):.1f} ms; processSpin alone p50 {statistics.median(spins):.1f} ms, "
          f"p90 {percentile(spins, 0.9):.1f} ms")


if __name__ == "__main__":
    main()
