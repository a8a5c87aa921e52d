"""The benchmark, in one go: GraphQL against a plain Django view and DRF.

    bash bench/run.sh            # installs wrk and the bench deps, starts PostgreSQL, runs this
    .venv/bin/python -m bench.run [--profile] [--experiments]   # with DATABASE_URL of a PostgreSQL cluster

Steps: create a fresh database on the cluster of DATABASE_URL, migrate, seed
(bench/seed.py), start gunicorn exactly as production does (config/gunicorn.py:
sync workers, preload, gc.freeze in post_fork) with DJANGO_SETTINGS_MODULE=bench.settings,
2 workers and ACCESS_LOG=0 on 127.0.0.1, verify every operation of every
implementation once (and that they answer the same data), then for each
operation x implementation a warm-up and a timed wrk run (2 threads, -c8; the
reads also at -c64), check the ledger after all the writes, print the table and
write bench/RESULTS.md. Every wrk run is bounded (-d) and the whole run takes
about 5 minutes. Everything targets 127.0.0.1 only.

Environment knobs: BENCH_DURATION (s, default 8), BENCH_WARMUP (s, default 2),
BENCH_PORT (default: a free port), BENCH_KEEP_DB=1 (do not drop the database).
"""
import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA = BENCH / "lua"
RESULTS = BENCH / "RESULTS.md"
FINDINGS_HEADING = "## Profile and findings"

sys.path.insert(0, str(ROOT))
from bench import queries  # noqa: E402
from bench import seed as seed_layout  # noqa: E402

DURATION = int(os.environ.get("BENCH_DURATION", "8"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
THREADS = 2
WORKERS = 2
IMPLS = ("plain", "drf", "gql")
IMPL_LABEL = {"plain": "plain Django view", "drf": "DRF", "gql": "GraphQL (ours)"}
OPS = ("lookup", "list", "deposit", "spin")
OP_LABEL = {
    "lookup": "user(telegramId) + spinAccount",
    "list": f"pendingDeposits(first: {queries.LIST_SIZE}) + user",
    "deposit": "createDeposit + approveDeposit",
    "spin": f"processSpin(count: {queries.SPIN_COUNT})",
}
# (op, connections) rows, in the order they run: the reads first (-c64 too, where the p99 <= 50 ms
# goal applies), then the writes, whose inserts would otherwise wake autovacuum under the reads.
RUNS = [("lookup", 8), ("list", 8), ("lookup", 64), ("list", 64), ("deposit", 8), ("spin", 8)]
WRITES = ("deposit", "spin")
WRITE_PREWARM = 4  # s of writes before the first write row (see main)
TABLE_ORDER = [("lookup", 8), ("list", 8), ("deposit", 8), ("spin", 8), ("lookup", 64), ("list", 64)]
# Players of op 3 per thread: a warm-up and a timed run of each implementation use their own.
DEPOSIT_STRIDE = {"warmup": 1_500, "timed": 4_000}  # seed.DEPOSIT_COUNT covers 7 warm-ups and 3 timed runs
CALIBRATION = 4  # s: a plain lookup run before and after all rows, to see if the machine was steady
DRIFT_LIMIT = 0.10
GOALS = {"lookup": 0.8, "list": 0.7}  # GraphQL req/s as a fraction of the plain view's (issue 6)
DRF_REPORTED = {"lookup": 0.76, "list": 0.66}  # DRF / plain, as measured by others
P99_GOAL_MS = 50.0
NOT_MEASURED = "not measured yet"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- database -------------------------------------------------------------------------------

class Database:
    """A fresh database on the PostgreSQL cluster of DATABASE_URL, dropped at the end."""

    def __init__(self, base_url: str, name: str = "ledger_bench"):
        if not base_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("DATABASE_URL must point at PostgreSQL (bash bench/run.sh starts one)")
        self.cluster = base_url.rsplit("/", 1)[0]
        self.url = f"{self.cluster}/{name}"
        self.name = name

    def _admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(f"{self.cluster}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def vacuum(self) -> None:
        import psycopg
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")

    def autovacuum_off(self) -> None:
        """No autovacuum on the bench tables: it starts as a table grows from few rows and would land
        on whichever implementation writes first; run.py vacuums between the rows instead."""
        import psycopg
        with psycopg.connect(self.url, autocommit=True) as conn:
            tables = [row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
            for table in tables:
                conn.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')

    def server_version(self) -> str:
        import psycopg
        with psycopg.connect(self.url) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]


# --- the server ----------------------------------------------------------------------------

class Server:
    """gunicorn as production runs it (config/gunicorn.py), on 127.0.0.1, with the bench settings."""

    def __init__(self, env: dict, *, config: str = "config/gunicorn.py", workers: int = WORKERS,
                 port: int | None = None, log_dir: Path):
        self.env = env
        self.config = config
        self.workers = workers
        self.port = port or int(os.environ.get("BENCH_PORT") or free_port())
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", self.config,
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"),
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and its live workers."""
        if not self.process:
            return 0.0
        total = 0.0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry) == self.process.pid or int(fields[1]) == self.process.pid:  # fields[1]: ppid
                total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return total

    def call(self, method: str, path: str, body: bytes | None = None, *, token: str) -> tuple[int, object]:
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw or b"null")
            except ValueError:
                return error.code, raw.decode(errors="replace")[:500]


# --- verification: each operation of each implementation answers right, and the same ---------

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
DECIMAL = re.compile(r"^-?\d+\.\d+$")


def canon(value, key: str = ""):
    """Normalize one payload so the three implementations compare equal when they say the same:
    camelCase keys, ids as strings, decimals as Decimal, datetimes as UTC instants to the ms."""
    if isinstance(value, dict):
        return {queries.camel(k): canon(v, queries.camel(k)) for k, v in value.items() if k != "__typename"}
    if isinstance(value, list):
        return [canon(v) for v in value]
    if key == "id" and value is not None:
        return str(value)
    if isinstance(value, str) and DATETIME.match(value):
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.timezone.utc)
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000).isoformat()
    if isinstance(value, str) and DECIMAL.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


class VerificationError(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise VerificationError(message)


def payload(impl: str, status: int, body, field_name: str):
    """The operation's data: the GraphQL field (no errors, no OperationInfo), or the REST body."""
    expect(200 <= status < 300, f"{impl}: HTTP {status}: {str(body)[:400]}")
    if impl == "gql":
        expect(isinstance(body, dict) and not body.get("errors"), f"gql: errors: {str(body)[:400]}")
        data = body["data"][field_name]
        expect(not (isinstance(data, dict) and data.get("__typename") == "OperationInfo"),
               f"gql: OperationInfo: {data}")
        return canon(data)
    return canon(body)


def verify(server: Server, token: str, layout: dict) -> list[str]:
    """One call of every operation of every implementation, checked; returns what was checked."""
    admin = layout["admin"]
    checked = []

    def run(impl, op, field_name, **kw):
        status, body = server.call(*queries.request_for(impl, op, **kw), token=token)
        return payload(impl, status, body, field_name)

    # op 1: the same user, the same answer, from all three; isAdmin follows ADMIN_USER_ID.
    lookup_id = layout["lookup"][0] + 7
    users = {impl: run(impl, "lookup", "user", telegram_id=lookup_id) for impl in IMPLS}
    for impl, user in users.items():
        expect(user["telegramId"] == lookup_id, f"{impl}: lookup returned {user}")
        expect(user["spinAccount"]["availableSpins"] == seed_layout.LOOKUP_SPINS and user["isAdmin"] is False,
               f"{impl}: lookup returned {user}")
        expect(user == users["gql"], f"{impl} and gql disagree on the user:\n{user}\n{users['gql']}")
        expect(run(impl, "lookup", "user", telegram_id=admin)["isAdmin"] is True, f"{impl}: admin not isAdmin")
    checked.append(f"lookup: user {lookup_id} identical in all three ({len(users['gql'])} fields), isAdmin right")

    # op 2: the same 50 oldest pending deposits, in the same order, field for field.
    rows = {impl: run(impl, "list", "pendingDeposits") for impl in IMPLS}
    for impl, page in rows.items():
        expect(len(page) == queries.LIST_SIZE, f"{impl}: {len(page)} rows")
        expect(all(row["status"] == "PENDING" and row["user"]["telegramId"] for row in page), f"{impl}: bad rows")
        expect(page == rows["gql"], f"{impl} and gql disagree on the pending list")
    checked.append(f"list: the same {queries.LIST_SIZE} pending deposits (oldest first) in all three")

    # op 3: create then approve, for a player kept for verification; same fields and outcome.
    lo, count = layout["deposit"]
    shapes = {}
    for index, impl in enumerate(IMPLS):
        player = lo + count - 1 - index
        created = run(impl, "create", "createDeposit", telegram_id=player)
        expect(created["status"] == "PENDING" and created["user"]["telegramId"] == player, f"{impl}: {created}")
        expect(created["amount"] == Decimal(queries.DEPOSIT_AMOUNT), f"{impl}: {created}")
        approved = run(impl, "approve", "approveDeposit", id=created["id"], actor=admin)
        expect(approved["id"] == created["id"] and approved["status"] == "APPROVED", f"{impl}: {approved}")
        expect(approved["spinsGranted"] == 25 and approved["amountBase"] == Decimal(queries.DEPOSIT_AMOUNT)
               and str(admin) in approved["decidedBy"], f"{impl}: {approved}")
        again = run(impl, "lookup", "user", telegram_id=player)
        expect(again["spinAccount"]["availableSpins"] == 25, f"{impl}: spins not granted: {again}")
        shapes[impl] = (tuple(sorted(created)), tuple(sorted(approved)))
        if impl == "gql":  # a second approval is refused: the GraphQL error path is an error
            status, body = server.call(*queries.request_for(impl, "approve", id=created["id"], actor=admin),
                                       token=token)
            expect("OperationInfo" in json.dumps(body) and "ALREADY_DECIDED" in json.dumps(body),
                   f"gql: a second approval was not refused: {body}")
    expect(len(set(shapes.values())) == 1, f"create/approve payloads differ in fields: {shapes}")
    checked.append("deposit: create -> PENDING, approve -> APPROVED with 25 spins granted, in all three; "
                   "a second approval answers OperationInfo ALREADY_DECIDED")

    # op 4: 10 spins drawn, balance down by 10, same fields.
    lo, count = layout["spin"]
    shapes = {}
    for index, impl in enumerate(IMPLS):
        player = lo + count - 1 - index
        batch = run(impl, "spin", "processSpin", telegram_id=player)
        expect(len(batch["spins"]) == queries.SPIN_COUNT, f"{impl}: {batch}")
        expect(batch["spinsLeft"] == seed_layout.SPINS_EACH - queries.SPIN_COUNT, f"{impl}: {batch}")
        expect(batch["chipsWon"] == sum(spin["chips"] for spin in batch["spins"]), f"{impl}: {batch}")
        shapes[impl] = (tuple(sorted(batch)), tuple(sorted(batch["spins"][0])))
    expect(len(set(shapes.values())) == 1, f"spin payloads differ in fields: {shapes}")
    checked.append(f"spin: {queries.SPIN_COUNT} spins, spinsLeft and chipsWon right, in all three")

    # Authentication is enforced by every implementation.
    for impl in IMPLS:
        status, _ = server.call(*queries.request_for(impl, "lookup", telegram_id=lookup_id), token="wrong")
        expect(status in (401, 403), f"{impl}: a wrong token got HTTP {status}")
    checked.append("a wrong bearer token is refused (401/403) by all three")
    return checked


# --- wrk ----------------------------------------------------------------------------------------

@dataclass
class Result:
    op: str
    impl: str
    connections: int
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    bad_bodies: int = 0
    exhausted: int = 0
    server_cpu_ms: float = 0.0  # gunicorn's CPU time per request: steadier than req/s on a shared box
    raw: str = field(default="", repr=False)

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors + self.bad_bodies


UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNIT[unit]


def parse_wrk(output: str, result: Result) -> Result:
    """Parse wrk --latency output (and the BENCH line of bench/lua/common.lua's done())."""
    result.raw = output
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.rps = float(match.group(1))
    for percentile, attribute in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s+{percentile}%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M):
            setattr(result, attribute, _ms(match.group(1)))
    if match := re.search(r"(\d+) requests in", output):
        result.requests = int(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result.non_2xx = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result.socket_errors = sum(int(n) for n in match.groups())
    if match := re.search(r"^BENCH (.*)$", output, re.M):
        values = dict(item.split("=") for item in match.group(1).split())
        result.bad_bodies = int(values["bad"])
        result.exhausted = int(values["exhausted"])
        # wrk prints rounded units; the script's microseconds are exact.
        result.p50_ms = float(values["p50_us"]) / 1000
        result.p99_ms = float(values["p99_us"]) / 1000
    return result


class Wrk:
    def __init__(self, server: Server, token: str, layout: dict):
        self.server = server
        self.token = token
        self.layout = layout
        self.deposit_next = layout["deposit"][0]  # players of op 3 not used yet

    def args(self, op: str, impl: str, phase: str) -> tuple[str, list[str]]:
        common = [f"impl={impl}", f"token={self.token}"]
        if op == "lookup":
            lo, n = self.layout["lookup"]
            return "lookup.lua", common + [f"query={json.dumps(queries.LOOKUP)}", f"lo={lo}", f"n={n}"]
        if op == "list":
            return "list.lua", common + [f"query={json.dumps(queries.LIST)}", f"first={queries.LIST_SIZE}"]
        if op == "spin":
            # Each implementation spins its own third of the players (the last few are kept for the
            # verification): the first update of a freshly seeded row costs more than later ones, and
            # that must not fall on whichever implementation runs first.
            lo, count = self.layout["spin"]
            n = (count - len(IMPLS)) // len(IMPLS)
            lo += IMPLS.index(impl) * n
            return "spin.lua", common + [f"query={json.dumps(queries.SPIN)}", f"lo={lo}", f"n={n}",
                                         f"count={queries.SPIN_COUNT}"]
        if op == "deposit":
            stride = DEPOSIT_STRIDE[phase]
            lo = self.deposit_next
            self.deposit_next += stride * THREADS
            end = self.layout["deposit"][0] + self.layout["deposit"][1] - len(IMPLS)
            if self.deposit_next > end:
                raise RuntimeError("not enough seeded players for op 3; raise seed.DEPOSIT_COUNT")
            return "deposit_pair.lua", common + [
                f"create={json.dumps(queries.CREATE)}", f"approve={json.dumps(queries.APPROVE)}",
                f"lo={lo}", f"stride={stride}", f"admin={self.layout['admin']}",
                f"amount={queries.DEPOSIT_AMOUNT}", f"method={queries.DEPOSIT_METHOD}"]
        raise ValueError(op)

    def run(self, op: str, impl: str, connections: int, seconds: int, phase: str = "timed",
            extra: tuple[str, ...] = ()) -> Result:
        script, args = self.args(op, impl, phase)
        command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
                   "-s", script, self.server.url, "--", *args, *extra]
        cpu_before = self.server.cpu_seconds()
        output = subprocess.run(command, cwd=LUA, capture_output=True, text=True, timeout=seconds + 60)
        cpu = self.server.cpu_seconds() - cpu_before
        if output.returncode != 0:
            raise RuntimeError(f"wrk failed: {output.stderr}\n{output.stdout}")
        result = parse_wrk(output.stdout, Result(op, impl, connections))
        result.server_cpu_ms = cpu / result.requests * 1000 if result.requests else 0.0
        return result


# --- hooks for rows other engineers will fill ---------------------------------------------------

def _pytest_lines(test: str, keep, extra_env: dict | None = None) -> list[str]:
    """Run one of the project's measuring tests and keep the lines it prints about itself."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-s", "-p", "no:cacheprovider", "--ds=tests.settings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **(extra_env or {})})
    if result.returncode != 0:
        return [f"{test} failed (exit {result.returncode})"]
    lines = [line.strip() for line in result.stdout.splitlines() if keep(line)]
    return lines + [f"(the test took {time.monotonic() - started:.1f} s, building its data included)"]


def measure_sheets_sync(context: dict) -> str:
    """Row "Sheets sync of 10,000 rows against the fake": the mirror's own volume test,
    which drives real gspread against the Sheets API fake on 127.0.0.1."""
    lines = _pytest_lines("tests/test_sync_volume.py", lambda line: "rows per sheet" in line or "total" in line,
                          {"DATABASE_URL": context["env"].get("DATABASE_URL", "")})
    return "; ".join(lines) or NOT_MEASURED


def measure_bot_latency(context: dict) -> str:
    """Row "bot: Telegram update -> reply latency": the bot's end-to-end latency test
    (real PTB against the Bot API fake, real backend under gunicorn, loopback)."""
    lines = _pytest_lines("tests/test_bot_e2e.py::test_update_to_reply_latency_on_loopback",
                          lambda line: "latency" in line,
                          {"DATABASE_URL": context["env"].get("DATABASE_URL", "")})
    return "; ".join(lines) or NOT_MEASURED


# --- report ---------------------------------------------------------------------------------------

def machine_info(database: Database) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    versions = {name: importlib.metadata.version(name) for name in (
        "Django", "strawberry-graphql", "strawberry-graphql-django", "graphql-core", "djangorestframework",
        "gunicorn", "psycopg")}
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(), "python": platform.python_version(),
        "postgresql": database.server_version(), "wrk": wrk_version.split(" Copyright")[0], **versions,
    }


def find(results: list[Result], op: str, impl: str, connections: int) -> Result | None:
    return next((r for r in results if (r.op, r.impl, r.connections) == (op, impl, connections)), None)


def table(results: list[Result]) -> list[str]:
    lines = ["| operation | implementation | conns | req/s | p50 ms | p99 ms | errors | server CPU ms/req | "
             "ours/plain | ours/DRF |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for op, connections in TABLE_ORDER:
        for impl in IMPLS:
            result = find(results, op, impl, connections)
            if result is None:
                continue
            ratios = ["", ""]
            if impl == "gql":
                for index, peer in enumerate(("plain", "drf")):
                    other = find(results, op, peer, connections)
                    if other and other.rps:
                        ratios[index] = f"{result.rps / other.rps:.2f}x"
            errors = str(result.errors) if not result.errors else (
                f"**{result.errors}** (non-2xx {result.non_2xx}, socket {result.socket_errors}, "
                f"bad body {result.bad_bodies})")
            label = OP_LABEL[op] + (" (pairs/s = req/s / 2)" if op == "deposit" else "")
            lines.append(f"| {label} | {IMPL_LABEL[impl]} | {connections} | {result.rps:,.0f} | "
                         f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {errors} | {result.server_cpu_ms:.2f} | "
                         f"{ratios[0]} | {ratios[1]} |")
    return lines


def goals(results: list[Result]) -> list[str]:
    lines = []
    for op, minimum in GOALS.items():
        ours, plain, drf = (find(results, op, impl, 8) for impl in ("gql", "plain", "drf"))
        if ours and plain and plain.rps:
            ratio = ours.rps / plain.rps
            drf_ratio = f"{drf.rps / plain.rps:.2f}x" if drf and plain.rps else "-"
            lines.append(f"- {op} at -c8: GraphQL {ratio:.2f}x plain (goal >= {minimum}x): "
                         f"{'MET' if ratio >= minimum else 'NOT MET'}; DRF here {drf_ratio} "
                         f"(reported by others: {DRF_REPORTED[op]}x)")
    for op in GOALS:
        for impl in IMPLS:
            result = find(results, op, impl, 64)
            if result:
                lines.append(f"- {op} at -c64, {IMPL_LABEL[impl]}: p99 {result.p99_ms:.1f} ms "
                             f"(goal <= {P99_GOAL_MS:.0f} ms for ours): "
                             f"{'MET' if result.p99_ms <= P99_GOAL_MS else 'NOT MET'}")
    total = sum(r.errors for r in results)
    lines.append(f"- errors over all timed runs: {total} ({'MET' if total == 0 else 'NOT MET'}: goal zero)")
    return lines


def write_results(info: dict, results: list[Result], checked: list[str], hooks: dict, ledger_check: str,
                  seconds: float, layout: dict) -> str:
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    findings = previous[previous.index(FINDINGS_HEADING):] if FINDINGS_HEADING in previous else ""
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = [
        "# Benchmark: GraphQL vs a plain Django view vs DRF",
        "",
        f"Written by `bash bench/run.sh` (bench/run.py) on {now}; the whole run took {seconds / 60:.1f} min.",
        "Everything above the \"Profile and findings\" heading is rewritten by each run; that section is kept.",
        "",
        "## Machine",
        "",
        f"- {info['nproc']} cores: {info['cpu']}; {info['memory']} memory; Linux {info['kernel']}",
        f"- load average (1 min) before the run: {info['loadavg']}; steadiness: {info['calibration']}",
        f"- Python {info['python']}, PostgreSQL {info['postgresql']} (throwaway cluster of .ci/postgres.sh: "
        "fsync and synchronous_commit off), Django {Django}, strawberry-graphql {strawberry-graphql}, "
        "strawberry-graphql-django {strawberry-graphql-django}, graphql-core {graphql-core}, "
        "djangorestframework {djangorestframework}, gunicorn {gunicorn}, psycopg {psycopg}, {wrk}".format(**info),
        "",
        "## How",
        "",
        f"- One gunicorn with the production config (config/gunicorn.py: {WORKERS} sync workers, preload, "
        "gc.freeze in post_fork), `DJANGO_SETTINGS_MODULE=bench.settings` (the product settings plus DRF and "
        "the bench app; DEBUG off; ACCESS_LOG=0) on 127.0.0.1, serving all three implementations: "
        "`/graphql/` exactly as the product (Bearer API_TOKEN; approvals with actorTelegramId of an admin of "
        "ADMIN_USER_ID), `/bench/plain/...` (function views, hand-written dicts, JsonResponse) and "
        "`/bench/drf/...` (ModelSerializers, generics/APIView, a bearer-token authentication class). All call "
        "the same ledger selectors and services and return the same fields.",
        f"- wrk {THREADS} threads, {WARMUP} s warm-up then {DURATION} s timed per row; bench/lua/*.lua build the "
        "requests and count any 2xx body that is wrong (GraphQL `errors` or `OperationInfo`, a short list, a "
        "missing id) as an error, next to wrk's non-2xx and socket errors. \"server CPU ms/req\" is the CPU time "
        "gunicorn's processes used during the timed run divided by its requests (from /proc): on 2 shared cores "
        "(wrk and PostgreSQL run beside gunicorn) it is the steadier measure of what each implementation costs.",
        f"- Data: {layout['players']:,} players (seeded by bulk inserts with matching journal entries); lookups "
        f"pick a random one of {layout['lookup'][1]:,}; {layout['pending'][1]} pending deposits; op 3 creates a "
        "deposit for a fresh player then approves it as the admin (each wrk thread queues the ids it created); "
        f"op 4 spends {queries.SPIN_COUNT} spins of a random one of {(layout['spin'][1] - len(IMPLS)) // len(IMPLS):,} "
        "players, a third of the spin players for each implementation.",
        "- PostgreSQL: autovacuum off on the bench tables (it starts as a table grows from a few rows, and "
        "would land on whichever implementation writes first); `VACUUM ANALYZE` after the seed, before each "
        "implementation's write rows and before the closing calibration. Reads run before writes, and each write "
        "op is run once (4 s, not timed) before its rows: the first writes into an almost empty table ran at half "
        "speed whatever served them, until an ANALYZE replanned PostgreSQL's cached plans.",
        "- Checked once before timing:",
        *[f"  - {line}" for line in checked],
        f"- After all the writes: `manage.py check_ledger`: {ledger_check}",
        "",
        "## Results",
        "",
        *table(results),
        "",
        "Other rows:",
        "",
        f"- Sheets sync of 10,000 rows against the fake: {hooks['sheets']}",
        f"- bot: Telegram update -> reply latency: {hooks['bot']}",
        "",
        "## Goals (issue 6)",
        "",
        *goals(results),
        "",
    ]
    RESULTS.write_text("\n".join(text) + ("\n" + findings if findings else ""))
    return "\n".join(text)


# --- main -------------------------------------------------------------------------------------------

def bench_env(database: Database, token: str, tmp: Path, **extra: str) -> dict:
    """The environment of every bench process: production settings (DEBUG off) plus the bench app."""
    return {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(32),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_TOKEN": token,
        "ADMIN_USER_ID": str(seed_layout.ADMIN_TELEGRAM_ID),
        "VAR_DIR": str(tmp),
        "ACCESS_LOG": "0",
        "BENCH_VARIANTS": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def migrate_and_seed(database: Database, env: dict) -> dict:
    """A fresh database, migrated and seeded; returns the seed's layout."""
    database.create()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=300)
    seeded = subprocess.run([sys.executable, "-m", "bench.seed"], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True, timeout=600)
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="store_true", help="then run bench/profile.py on the same database")
    parser.add_argument("--experiments", action="store_true",
                        help="then run bench/experiments.py (scratch schemas, gc.freeze) on the same database")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (bash bench/run.sh installs it)")
    started = time.monotonic()
    database = Database(os.environ.get("DATABASE_URL", ""))
    tmp = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    token = secrets.token_urlsafe(24)
    env = bench_env(database, token, tmp)
    server = None
    try:
        log(f"database {database.name} on {database.cluster.split('@')[-1]}")
        layout = migrate_and_seed(database, env)
        database.autovacuum_off()
        log(f"seeded {layout['players']:,} players in {layout['seconds']} s")
        info = machine_info(database)
        info["loadavg"] = Path("/proc/loadavg").read_text().split()[0]

        server = Server(env, log_dir=tmp).start()
        log(f"gunicorn up on {server.url} ({WORKERS} sync workers, config/gunicorn.py)")
        checked = verify(server, token, layout)
        for line in checked:
            log(f"verified {line}")

        bench = Wrk(server, token, layout)
        bench.run("lookup", "plain", 8, WARMUP, phase="warmup")  # the workers' first requests
        calibration = [bench.run("lookup", "plain", 8, CALIBRATION).rps]
        log(f"calibration (plain lookup, -c8, {CALIBRATION} s): {calibration[0]:.0f} req/s")
        results = []
        for op, connections in RUNS:
            if op in WRITES:
                # The first write run on a table that is still almost empty is slow whatever serves it
                # (PostgreSQL's cached plans, e.g. of the foreign-key checks, were made for a few rows;
                # the next ANALYZE replans them): grow the tables once, then analyze.
                bench.run(op, "gql", connections, WRITE_PREWARM, phase="warmup")
            for impl in IMPLS:
                if op in WRITES:  # each implementation starts from a freshly vacuumed and analyzed database
                    database.vacuum()
                bench.run(op, impl, connections, WARMUP, phase="warmup")
                result = bench.run(op, impl, connections, DURATION)
                results.append(result)
                log(f"{op:8} {impl:5} c{connections:<3} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                    f"p99 {result.p99_ms:6.1f} ms  errors {result.errors}  server CPU {result.server_cpu_ms:.2f} ms/req"
                    + (f"  (players exhausted {result.exhausted})" if result.exhausted else ""))
        database.vacuum()  # what the writes left for autovacuum, done now rather than under the calibration
        calibration.append(bench.run("lookup", "plain", 8, CALIBRATION).rps)
        drift = calibration[1] / calibration[0] - 1
        log(f"calibration again at the end: {calibration[1]:.0f} req/s ({drift * 100:+.0f}%)")
        info["calibration"] = (f"plain lookup at -c8 before the rows {calibration[0]:,.0f} req/s, after them "
                               f"{calibration[1]:,.0f} req/s ({drift * 100:+.0f}%)"
                               + ("" if abs(drift) <= DRIFT_LIMIT else
                                  f": MORE THAN {DRIFT_LIMIT:.0%}, something else used the CPU; run again"))
        (tmp / "wrk-output.txt").write_text("\n\n".join(f"== {r.op} {r.impl} c{r.connections}\n{r.raw}"
                                                       for r in results))
        server.stop()

        check = subprocess.run([sys.executable, "manage.py", "check_ledger"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=300)
        ledger_check = ("OK: every total equals the sum of the journal" if check.returncode == 0
                        else f"FAILED: {(check.stderr or check.stdout).strip()[:300]}")
        log(f"check_ledger: {ledger_check}")
        context = {"graphql_url": f"{server.url}/graphql/", "token": token, "env": env}
        hooks = {"sheets": measure_sheets_sync(context), "bot": measure_bot_latency(context)}
        report = write_results(info, results, checked, hooks, ledger_check, time.monotonic() - started, layout)
        print()
        print(report)
        log(f"wrote {RESULTS.relative_to(ROOT)}; raw wrk output in {tmp / 'wrk-output.txt'}")

        for flag, module in ((options.profile, "bench.profile"), (options.experiments, "bench.experiments")):
            if flag:
                subprocess.run([sys.executable, "-m", module], cwd=ROOT, check=True, timeout=1800,
                               env={**env, "BENCH_TOKEN": token, "BENCH_SEEDED": "1"})
        failed = sum(r.errors for r in results) or check.returncode
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            try:
                database.drop()
            except Exception as error:  # the cluster may already be gone
                log(f"could not drop {database.name}: {error}")


if __name__ == "__main__":
    sys.exit(main())
