"""Soak: bounded mixed load plus faults against a live backend on 127.0.0.1, then a consistency check.

    .venv/bin/python -m bench.soak [--seconds 90] [--threads 16] [--players 50]

Run from the repository root (needs `tests.live`). DATABASE_URL should point at a throwaway PostgreSQL
(bench/soak.sh provides one). Faults: every ~7 s one gunicorn worker is SIGKILLed, every ~11 s the
backend's PostgreSQL connections are terminated. Afterwards check_ledger runs and the client's records are
compared with the database. Exits 1 on any FAIL.
"""
import argparse
import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import httpx

from tests.live import LiveBackend

TOKEN = "soak-token-" + "x" * 24
ADMIN = 7_000_000_001
PLAYER_BASE = 9_100_000_000

Q_UPSERT = """mutation($tid: BigInt!, $p: String) { upsertUser(input: {telegramId: $tid, username: "soak",
  pppokerId: $p}) { ... on User { telegramId } ... on OperationInfo { messages { code } } } }"""
Q_GRANT = """mutation($tid: BigInt!, $n: Int!, $a: BigInt) { grantSpins(telegramId: $tid, spins: $n,
  reason: "soak seed", actorTelegramId: $a) { ... on SpinAccount { availableSpins }
  ... on OperationInfo { messages { code } } } }"""
Q_CREATE_DEP = """mutation($input: DepositInput!) { createDeposit(input: $input) {
  ... on Deposit { id status } ... on OperationInfo { messages { code } } } }"""
Q_APPROVE_DEP = """mutation($id: ID!, $a: BigInt) { approveDeposit(id: $id, actorTelegramId: $a) {
  ... on Deposit { id status } ... on OperationInfo { messages { code } } } }"""
Q_REJECT_DEP = """mutation($id: ID!, $a: BigInt) { rejectDeposit(id: $id, reason: "soak", actorTelegramId: $a) {
  ... on Deposit { id status } ... on OperationInfo { messages { code } } } }"""
Q_CREATE_WD = """mutation($input: WithdrawalInput!) { createWithdrawal(input: $input) {
  ... on Withdrawal { id status } ... on OperationInfo { messages { code } } } }"""
Q_APPROVE_WD = """mutation($id: ID!, $a: BigInt) { approveWithdrawal(id: $id, actorTelegramId: $a) {
  ... on Withdrawal { id status } ... on OperationInfo { messages { code } } } }"""
Q_SPIN = """mutation($tid: BigInt!, $n: Int, $k: String) { processSpin(telegramId: $tid, count: $n, idempotencyKey: $k) {
  ... on SpinBatch { spins { id } spinsLeft } ... on OperationInfo { messages { code } } } }"""

DB_DUMP = """
import json
from django.db.models import Count
from ledger.models import Deposit, Withdrawal, SpinAccount, Spin, IdempotencyRecord
print("SOAKJSON" + json.dumps({
  "deposits": list(Deposit.objects.values_list("id", "player__telegram_id", "status")),
  "withdrawals": list(Withdrawal.objects.values_list("id", "player__telegram_id", "status")),
  "accounts": list(SpinAccount.objects.values_list("player__telegram_id", "available_spins", "total_spins_used")),
  "spins": list(Spin.objects.values("player__telegram_id").annotate(n=Count("id")).values_list("player__telegram_id", "n")),
  "idem": list(IdempotencyRecord.objects.values_list("operation", "key", "result")),
}))
"""


def pp(tid: int) -> str:
    return str(100_000 + tid % 100_000)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ops = collections.Counter()          # attempts of logical operations per kind
        self.ok = collections.Counter()
        self.refused = collections.Counter()      # (kind, code)
        self.transport = collections.Counter()    # exception class / http status
        self.retries = collections.Counter()
        self.latencies = []
        # client-side records
        self.dep_keys = {}        # key -> (tid, id or None if unresolved)
        self.dep_key_ids = collections.defaultdict(set)
        self.wd_keys = {}
        self.wd_key_ids = collections.defaultdict(set)
        self.spin_keys = {}       # key -> (tid, spent or None if unresolved)
        self.approved_dep = set()
        self.rejected_dep = set()
        self.approved_wd = set()
        self.uncertain_decisions = 0
        self.killed = 0
        self.dropped_rounds = 0
        self.dropped_conns = 0


class Soak:
    def __init__(self, backend: LiveBackend, stats: Stats, stop_at: float, give_up_at: float):
        self.b, self.s, self.stop_at, self.give_up_at = backend, stats, stop_at, give_up_at

    def call(self, client: httpx.Client, kind: str, query: str, variables: dict, *, retry: bool):
        """Returns (payload dict, None) or (None, code) on refusal, or (None, 'UNRESOLVED')."""
        attempt = 0
        while True:
            attempt += 1
            if attempt > 1:
                with self.s.lock:
                    self.s.retries[kind] += 1
            t0 = time.monotonic()
            failure = None
            try:
                r = client.post(self.b.graphql_url, json={"query": query, "variables": variables})
                elapsed = time.monotonic() - t0
                if r.status_code >= 500:
                    failure = f"http {r.status_code}"
                else:
                    body = r.json()
                    if body.get("errors") or not body.get("data"):
                        codes = [e.get("extensions", {}).get("code") or e.get("message", "").split(";")[0][:60]
                                 for e in body.get("errors") or []]
                        failure = "graphql error: " + ",".join(map(str, codes))
            except (httpx.TransportError, ValueError) as exc:
                elapsed = time.monotonic() - t0
                failure = type(exc).__name__
            if failure is None:
                with self.s.lock:
                    self.s.latencies.append(elapsed)
                payload = next(iter(body["data"].values()))
                if "messages" in payload:
                    code = payload["messages"][0]["code"] if payload["messages"] else "?"
                    with self.s.lock:
                        self.s.refused[(kind, code)] += 1
                    return None, code, attempt
                with self.s.lock:
                    self.s.ok[kind] += 1
                return payload, None, attempt
            with self.s.lock:
                self.s.transport[failure] += 1
            if not retry or time.monotonic() > self.give_up_at:
                return None, "UNRESOLVED", attempt
            time.sleep(0.05 + random.random() * 0.2)

    def count(self, kind):
        with self.s.lock:
            self.s.ops[kind] += 1

    def deposit_flow(self, c, tid):
        key = f"dep-{uuid.uuid4().hex}"
        inp = {"telegramId": tid, "amount": str(random.randint(100, 900)), "method": "BML",
               "accountName": f"Soak Player {tid}", "proof": f"slip-{key}", "pppokerId": pp(tid),
               "idempotencyKey": key}
        self.count("createDeposit")
        payload, code, _ = self.call(c, "createDeposit", Q_CREATE_DEP, {"input": inp}, retry=True)
        with self.s.lock:
            if code == "UNRESOLVED":
                self.s.dep_keys[key] = (tid, None)
            elif payload:
                self.s.dep_keys[key] = (tid, int(payload["id"]))
                self.s.dep_key_ids[key].add(int(payload["id"]))
        if not payload:
            return
        # Retry the same key once more: must give back the same deposit.
        if random.random() < 0.2:
            self.count("createDeposit replay")
            again, _, _ = self.call(c, "createDeposit replay", Q_CREATE_DEP, {"input": inp}, retry=True)
            if again:
                with self.s.lock:
                    self.s.dep_key_ids[key].add(int(again["id"]))
        dep_id = payload["id"]
        approve = random.random() < 0.75
        kind, q = ("approveDeposit", Q_APPROVE_DEP) if approve else ("rejectDeposit", Q_REJECT_DEP)
        self.count(kind)
        res, code, attempts = self.call(c, kind, q, {"id": dep_id, "a": ADMIN}, retry=True)
        with self.s.lock:
            if res:
                (self.s.approved_dep if approve else self.s.rejected_dep).add(int(res["id"]))
            elif code == "ALREADY_DECIDED" and attempts > 1:
                self.s.uncertain_decisions += 1

    def withdrawal_flow(self, c, tid):
        key = f"wd-{uuid.uuid4().hex}"
        inp = {"telegramId": tid, "amount": str(random.randint(200, 600)), "method": "BML",
               "accountNumber": f"7700{tid % 10**6}", "pppokerId": pp(tid), "idempotencyKey": key}
        self.count("createWithdrawal")
        payload, code, _ = self.call(c, "createWithdrawal", Q_CREATE_WD, {"input": inp}, retry=True)
        with self.s.lock:
            if code == "UNRESOLVED":
                self.s.wd_keys[key] = (tid, None)
            elif payload:
                self.s.wd_keys[key] = (tid, int(payload["id"]))
                self.s.wd_key_ids[key].add(int(payload["id"]))
        if not payload:
            return
        self.count("approveWithdrawal")
        res, code, attempts = self.call(c, "approveWithdrawal", Q_APPROVE_WD, {"id": payload["id"], "a": ADMIN},
                                        retry=True)
        with self.s.lock:
            if res:
                self.s.approved_wd.add(int(res["id"]))
            elif code == "ALREADY_DECIDED" and attempts > 1:
                self.s.uncertain_decisions += 1

    def spin(self, c, tid):
        key = f"spin-{uuid.uuid4().hex}"
        n = random.randint(1, 5)
        self.count("processSpin")
        vars_ = {"tid": tid, "n": n, "k": key}
        payload, code, _ = self.call(c, "processSpin", Q_SPIN, vars_, retry=True)
        if payload and random.random() < 0.2:  # a deliberate replay of the same key
            self.count("processSpin replay")
            again, _, _ = self.call(c, "processSpin replay", Q_SPIN, vars_, retry=True)
            if again and len(again["spins"]) != len(payload["spins"]):
                with self.s.lock:
                    self.s.transport["replay returned a different batch"] += 1
        with self.s.lock:
            if code == "UNRESOLVED":
                self.s.spin_keys[key] = (tid, None)
            elif payload:
                self.s.spin_keys[key] = (tid, len(payload["spins"]))

    def worker(self, players):
        with httpx.Client(timeout=5, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            while time.monotonic() < self.stop_at:
                tid = random.choice(players)
                r = random.random()
                if r < 0.40:
                    self.deposit_flow(c, tid)
                elif r < 0.55:
                    self.withdrawal_flow(c, tid)
                else:
                    self.spin(c, tid)


def workers_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def faults(backend: LiveBackend, stats: Stats, stop_at: float):
    import psycopg
    next_kill, next_drop = time.monotonic() + 7, time.monotonic() + 11
    dbname = backend.database_url.rsplit("/", 1)[1]
    while time.monotonic() < stop_at:
        time.sleep(0.2)
        now = time.monotonic()
        if now >= next_kill:
            next_kill = now + 7
            pids = workers_of(backend.process.pid)
            if pids:
                try:
                    os.kill(random.choice(pids), signal.SIGKILL)
                    stats.killed += 1
                except ProcessLookupError:
                    pass
        if now >= next_drop:
            next_drop = now + 11
            try:
                with psycopg.connect(backend.database_url, autocommit=True, connect_timeout=5) as conn:
                    rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)).fetchall()
                stats.dropped_rounds += 1
                stats.dropped_conns += sum(1 for (ok,) in rows if ok)
            except Exception as exc:  # noqa: BLE001 - report, keep going
                print(f"  (connection drop failed: {exc})", flush=True)


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--players", type=int, default=50)
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point at PostgreSQL (use bench/soak.sh)", file=sys.stderr)
        return 2
    stats = Stats()
    players = [PLAYER_BASE + i for i in range(args.players)]
    backend = LiveBackend(api_token=TOKEN, admin_ids=[ADMIN], workers=3)
    backend.start()
    results = []
    try:
        print(f"backend {backend.url}, database {backend.database_url.rsplit('/', 1)[1]}", flush=True)
        seeded = {}
        with httpx.Client(timeout=5, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            def gql(q, v):
                r = c.post(backend.graphql_url, json={"query": q, "variables": v})
                r.raise_for_status()
                return next(iter(r.json()["data"].values()))
            for tid in players:
                got = gql(Q_UPSERT, {"tid": tid, "p": pp(tid)})
                assert "telegramId" in got, got
                n = random.randint(20, 60)
                got = gql(Q_GRANT, {"tid": tid, "n": n, "a": ADMIN})
                assert "availableSpins" in got, got
                seeded[tid] = n
        print(f"seeded {len(players)} players with {sum(seeded.values())} spins; load for {args.seconds:.0f} s "
              f"with {args.threads} threads", flush=True)

        start = time.monotonic()
        stop_at = start + args.seconds
        soak = Soak(backend, stats, stop_at, give_up_at=stop_at + 20)
        threads = [threading.Thread(target=soak.worker, args=(players,), daemon=True) for _ in range(args.threads)]
        fault_thread = threading.Thread(target=faults, args=(backend, stats, stop_at), daemon=True)
        for t in threads + [fault_thread]:
            t.start()
        for t in threads + [fault_thread]:
            t.join(timeout=max(1, stop_at + 40 - time.monotonic()))
        stuck = sum(t.is_alive() for t in threads)
        elapsed = time.monotonic() - start
        backend.wait_until_up(timeout=30)
        time.sleep(1)

        # --- checks ---------------------------------------------------------------------
        ledger_out = backend.manage("check_ledger")
        results.append(("check_ledger says Ledger OK", "Ledger OK" in ledger_out, ledger_out.strip()[-200:]))
        out = backend.manage("shell", "-c", DB_DUMP)
        db = json.loads(out.split("SOAKJSON", 1)[1].strip().splitlines()[0])
        idem = {(op, key): res for op, key, res in db["idem"]}

        def creates_check(label, op, keys, key_ids, rows):
            problems = []
            for key, ids in key_ids.items():
                if len(ids) != 1:
                    problems.append(f"key {key} returned ids {sorted(ids)}")
            expected = collections.Counter()
            unresolved = unresolved_done = 0
            for key, (tid, rid) in keys.items():
                if rid is not None:
                    expected[tid] += 1
                else:
                    unresolved += 1
                    rec = idem.get((op, key))
                    if rec and rec.get("id"):
                        unresolved_done += 1
                        expected[tid] += 1
            actual = collections.Counter(tid for _, tid, _ in rows)
            for tid in set(expected) | set(actual):
                if expected[tid] != actual[tid]:
                    problems.append(f"player {tid}: client {expected[tid]} creates, database {actual[tid]} rows")
            all_ids = [rid for _, (tid, rid) in keys.items() if rid is not None]
            if len(all_ids) != len(set(all_ids)):
                problems.append("two keys returned the same row")
            detail = (f"{sum(actual.values())} rows, {sum(1 for v in keys.values() if v[1] is not None)} successful "
                      f"keys, {unresolved} unresolved ({unresolved_done} found done server-side)")
            results.append((f"{label}: one row per idempotency key", not problems, "; ".join(problems[:5]) or detail))

        creates_check("deposits", "deposit_create", stats.dep_keys, stats.dep_key_ids, db["deposits"])
        creates_check("withdrawals", "withdrawal_create", stats.wd_keys, stats.wd_key_ids, db["withdrawals"])

        dep_status = {i: s for i, _, s in db["deposits"]}
        wd_status = {i: s for i, _, s in db["withdrawals"]}
        bad = [i for i in stats.approved_dep if dep_status.get(i) != "APPROVED"]
        results.append(("approved deposits are APPROVED", not bad,
                         f"{len(stats.approved_dep)} seen" if not bad else f"not approved: {sorted(bad)[:10]}"))
        bad = [i for i in stats.rejected_dep if dep_status.get(i) != "REJECTED"]
        results.append(("rejected deposits are REJECTED", not bad,
                         f"{len(stats.rejected_dep)} seen" if not bad else f"not rejected: {sorted(bad)[:10]}"))
        bad = [i for i in stats.approved_wd if wd_status.get(i) != "APPROVED"]
        results.append(("approved withdrawals are APPROVED", not bad,
                         f"{len(stats.approved_wd)} seen" if not bad else f"not approved: {sorted(bad)[:10]}"))

        spent = collections.Counter()
        unresolved = unresolved_done = 0
        for key, (tid, n) in stats.spin_keys.items():
            if n is not None:
                spent[tid] += n
            else:
                unresolved += 1
                rec = idem.get(("spins_process", key))
                if rec and rec.get("spin_ids"):
                    unresolved_done += 1
                    spent[tid] += len(rec["spin_ids"])
        used = {tid: u for tid, _, u in db["accounts"]}
        rows = dict(db["spins"])
        problems = [f"player {tid}: client {spent[tid]}, total_spins_used {used.get(tid, 0)}, spin rows {rows.get(tid, 0)}"
                    for tid in players if not (spent[tid] == used.get(tid, 0) == rows.get(tid, 0))]
        results.append(("spins spent per player = client's sum", not problems,
                        "; ".join(problems[:5]) or f"{sum(spent.values())} spins over {len(stats.spin_keys)} keys, "
                                                   f"{unresolved} unresolved ({unresolved_done} found done)"))
        negative = [(tid, a) for tid, a, _ in db["accounts"] if a < 0]
        results.append(("available spins never negative", not negative, str(negative[:5]) if negative else
                        f"min {min(a for _, a, _ in db['accounts'])}"))
        results.append(("client threads finished", stuck == 0, f"{stuck} stuck"))

        # --- figures --------------------------------------------------------------------
        print(f"\nran {elapsed:.1f} s; requests completed {len(stats.latencies)} "
              f"({len(stats.latencies) / elapsed:.0f}/s)")
        print(f"{'operation':<22}{'ops':>8}{'ok':>8}{'retries':>9}")
        for kind in sorted(stats.ops):
            print(f"{kind:<22}{stats.ops[kind]:>8}{stats.ok[kind]:>8}{stats.retries[kind]:>9}")
        print("refusals by code:")
        for (kind, code), n in sorted(stats.refused.items()):
            print(f"  {kind:<20}{code:<24}{n:>6}")
        print("transport / server errors (each followed by a retry unless the run had ended):")
        for what, n in stats.transport.most_common():
            print(f"  {what:<60}{n:>6}")
        print(f"retries total {sum(stats.retries.values())}; approvals answered ALREADY_DECIDED after a lost "
              f"response: {stats.uncertain_decisions}")
        print(f"workers killed {stats.killed}; connection drops {stats.dropped_rounds} rounds, "
              f"{stats.dropped_conns} connections terminated")
        print(f"latency p50 {pct(stats.latencies, 50) * 1000:.1f} ms, p99 {pct(stats.latencies, 99) * 1000:.1f} ms, "
              f"max {max(stats.latencies, default=0) * 1000:.1f} ms")
    except Exception:
        try:
            print("gunicorn log tail:\n" + backend.log()[-3000:], file=sys.stderr)
        except Exception:  # noqa: BLE001
            pass
        raise
    finally:
        backend.close()

    print("\nchecks:")
    for name, ok, detail in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    failed = [r for r in results if not r[1]]
    print("SOAK " + ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
