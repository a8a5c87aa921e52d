"""The benchmark's moving parts: a database, gunicorn servers, wrk runs, CPU accounting.

Used by bench/run.py (the rounds), bench/experiments.py and bench/profile.py. Nothing here
decides what is measured in which order; run.py does.
"""
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "lua"

sys.path.insert(0, str(ROOT))
from bench import queries  # noqa: E402
from bench import seed as seed_layout  # noqa: E402

DURATION = int(os.environ.get("BENCH_DURATION", "3"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
THREADS = 2
WORKERS = 2
IMPLS = ("plain", "drf", "gql")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Creates per wrk thread and second that op 3 may need: about twice the fastest rate measured
# here, so a run never runs out of fresh players (it would count the refusals as errors).
DEPOSIT_CREATES_PER_THREAD_SECOND = 250
# The last players of the op-3 and op-4 ranges are kept for the verification of each target.
RESERVED_PLAYERS = 64


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(cpus: set[int] | None):
    """A preexec_fn that puts the child (and what it forks) on `cpus`."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


# --- CPU accounting from /proc ------------------------------------------------------------

def _proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU time of a process, of the children it reaped and of its live children (gunicorn's
    master and workers, or the postmaster and its backends)."""
    total = 0.0
    root = _proc_stat(root_pid)
    if root is None:
        return 0.0
    total += sum(int(value) for value in root[11:15]) / CLOCK_TICKS  # utime stime cutime cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit() and entry != str(root_pid):
            stat = _proc_stat(int(entry))
            if stat and stat[1] == str(root_pid):
                total += (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
    return total


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, steal) CPU seconds of the whole machine since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq) / CLOCK_TICKS, steal / CLOCK_TICKS


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- database -------------------------------------------------------------------------------

class Database:
    """A fresh database on the PostgreSQL cluster of DATABASE_URL, dropped at the end."""

    def __init__(self, base_url: str, name: str = "ledger_bench"):
        if not base_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("DATABASE_URL must point at PostgreSQL (bash bench/run.sh starts one)")
        self.cluster = base_url.rsplit("/", 1)[0]
        self.url = f"{self.cluster}/{name}"
        self.name = name

    def _connect(self, database: str | None = None):
        import psycopg
        return psycopg.connect(f"{self.cluster}/{database or self.name}", autocommit=True)

    def create(self) -> None:
        with self._connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self._connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def vacuum(self) -> None:
        """VACUUM ANALYZE with a statistics target whose sample (300 rows per unit) covers every
        bench table whole: ANALYZE samples at random otherwise, and two runs could plan differently."""
        with self._connect() as conn:
            conn.execute("SET default_statistics_target = 2000")
            conn.execute("VACUUM ANALYZE")

    def autovacuum_off(self) -> None:
        """No autovacuum on the bench tables: it would wake as the written tables grow and land on
        whichever slot runs then; run.py vacuums before each write slot instead."""
        with self._connect() as conn:
            tables = [row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
            for table in tables:
                conn.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false, '
                             f'toast.autovacuum_enabled = false)')

    def server_version(self) -> str:
        with self._connect() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def postmaster_pid(self) -> int | None:
        """The cluster's postmaster, if it runs on this machine and we may read its data directory."""
        try:
            with self._connect() as conn:
                data_directory = conn.execute("SHOW data_directory").fetchone()[0]
            return int((Path(data_directory) / "postmaster.pid").read_text().split("\n", 1)[0])
        except Exception:  # not a superuser, another machine, or another user's files
            return None


def pin_tree(root_pid: int, cpus: set[int]) -> int:
    """Put a running process and its children on `cpus` (what they fork later inherits it)."""
    pinned_count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if int(entry) == root_pid or (stat and stat[1] == str(root_pid)):
                try:
                    os.sched_setaffinity(int(entry), cpus)
                    pinned_count += 1
                except OSError:
                    pass
    return pinned_count


# --- the server ----------------------------------------------------------------------------

class Server:
    """gunicorn as production runs it (config/gunicorn.py), on 127.0.0.1, with the bench settings,
    serving the tree at `root` (this checkout, or another ref's for --compare)."""

    def __init__(self, env: dict, *, config: str = "config/gunicorn.py", workers: int = WORKERS,
                 port: int | None = None, log_dir: Path, root: Path = ROOT, cpus: set[int] | None = None,
                 name: str = "server"):
        self.env = env
        self.config = config
        self.workers = workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{name}-{self.port}.log"
        self.root = root
        self.cpus = cpus
        self.name = name
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        return self.spawn().wait_ready()

    def spawn(self) -> "Server":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", self.config,
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            cwd=self.root, env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"),
            start_new_session=True, preexec_fn=pinned(self.cpus))
        return self

    def wait_ready(self) -> "Server":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited: {self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not start: {self.log_path.read_text()[-3000:]}")

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
        """CPU time (user + system) used so far by gunicorn's master and its workers."""
        return tree_cpu_seconds(self.process.pid) if self.process else 0.0

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
    server_cpu_ms: float = 0.0  # gunicorn's CPU time per request
    foreign_cpu: float | None = None  # share of the machine's CPU used by processes not ours
    steal: float = 0.0  # share of the machine's CPU the hypervisor took
    raw: str = field(default="", repr=False)

    @property
    def errors(self) -> int:
        # A slot in which no response came back at all is an error too, not a row of zeros.
        return self.non_2xx + self.socket_errors + self.bad_bodies + (0 if self.requests else 1)


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
    """wrk runs against one server; `others` are the processes whose CPU is ours too (the other
    servers, the database), so that what is left of the machine's busy time is someone else's."""

    def __init__(self, server: Server, token: str, layout: dict, *, cpus: set[int] | None = None,
                 others: tuple = (), deposit_counter: list[int] | None = None):
        self.server = server
        self.token = token
        self.layout = layout
        self.cpus = cpus
        self.others = others
        # Players of op 3 not used yet: shared by the Wrk of every server on the same database.
        self.deposit_counter = deposit_counter if deposit_counter is not None else [layout["deposit"][0]]

    def deposit_players_left(self) -> int:
        return self.layout["deposit"][0] + self.layout["deposit"][1] - RESERVED_PLAYERS - self.deposit_counter[0]

    def args(self, op: str, impl: str, seconds: int, share: tuple[int, int]) -> tuple[str, list[str]]:
        common = [f"impl={impl}", f"token={self.token}"]
        if op == "lookup":
            lo, n = self.layout["lookup"]
            return "lookup.lua", common + [f"query={json.dumps(queries.LOOKUP)}", f"lo={lo}", f"n={n}"]
        if op == "list":
            return "list.lua", common + [f"query={json.dumps(queries.LIST)}", f"first={queries.LIST_SIZE}"]
        if op == "spin":
            # Each slot spins its own share of the players: the first update of a freshly seeded
            # row costs more than later ones, and that must not fall on whichever slot runs first.
            lo, count = self.layout["spin"]
            index, shares = share
            n = (count - RESERVED_PLAYERS) // shares
            return "spin.lua", common + [f"query={json.dumps(queries.SPIN)}", f"lo={lo + index * n}", f"n={n}",
                                         f"count={queries.SPIN_COUNT}"]
        if op == "deposit":
            stride = seconds * DEPOSIT_CREATES_PER_THREAD_SECOND
            if stride * THREADS > self.deposit_players_left():
                raise RuntimeError("not enough seeded players for op 3 (run.py sizes the seed; a bug)")
            lo = self.deposit_counter[0]
            self.deposit_counter[0] += stride * THREADS
            return "deposit_pair.lua", common + [
                f"create={json.dumps(queries.CREATE)}", f"approve={json.dumps(queries.APPROVE)}",
                f"lo={lo}", f"stride={stride}", f"admin={self.layout['admin']}",
                f"amount={queries.DEPOSIT_AMOUNT}", f"method={queries.DEPOSIT_METHOD}"]
        raise ValueError(op)

    def run(self, op: str, impl: str, connections: int, seconds: int, *, share: tuple[int, int] | None = None,
            seed: int | None = None, extra: tuple[str, ...] = ()) -> Result:
        share = share or (IMPLS.index(impl), len(IMPLS))
        script, args = self.args(op, impl, seconds, share)
        if seed is None:
            seed = secrets.randbelow(2**31)
        command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
                   "-s", script, self.server.url, "--", *args, f"seed={seed}", *extra]
        processes = (self.server, *self.others)
        ours_before = [process.cpu_seconds() for process in processes]
        wrk_before, self_before = children_cpu_seconds(), own_cpu_seconds()
        busy_before, steal_before = machine_busy_seconds()
        started = time.monotonic()
        output = subprocess.run(command, cwd=LUA, capture_output=True, text=True, timeout=seconds + 60,
                                preexec_fn=pinned(self.cpus))
        elapsed = time.monotonic() - started
        busy_after, steal_after = machine_busy_seconds()
        ours = [process.cpu_seconds() - before for process, before in zip(processes, ours_before, strict=True)]
        ours_total = sum(ours) + children_cpu_seconds() - wrk_before + own_cpu_seconds() - self_before
        if output.returncode != 0:
            raise RuntimeError(f"wrk failed: {output.stderr}\n{output.stdout}")
        result = parse_wrk(output.stdout, Result(op, impl, connections))
        result.server_cpu_ms = ours[0] / result.requests * 1000 if result.requests else 0.0
        capacity = elapsed * (os.cpu_count() or 1)
        # Without the database's processes (another machine, not readable) the rest is unknown.
        if all(getattr(process, "known", True) for process in self.others):
            result.foreign_cpu = max(0.0, busy_after - busy_before - ours_total) / capacity
        result.steal = (steal_after - steal_before) / capacity
        return result


class PostgresProcesses:
    """The database cluster's processes, for the CPU accounting (known: whether we can see them)."""

    def __init__(self, database: Database):
        self.pid = database.postmaster_pid()
        self.known = self.pid is not None

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.pid) if self.pid else 0.0


# --- environment, migration, seed ---------------------------------------------------------------

def bench_env(database: Database, token: str, tmp: Path, *, root: Path = ROOT, **extra: str) -> dict:
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
        # Every server process hashes strings alike, run after run.
        "PYTHONHASHSEED": "0",
        # Django's own knob: keep each worker's database connection for the whole run, so that no
        # reconnection lands in the middle of some slot.
        "CONN_MAX_AGE": "3600",
        "PYTHONPATH": str(root),
        **extra,
    }


def migrate_and_seed(database: Database, env: dict, *, root: Path = ROOT, deposit_count: int | None = None) -> dict:
    """A fresh database, migrated and seeded; returns the seed's layout."""
    database.create()
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
    if migrated.returncode != 0:
        raise RuntimeError(f"migrate failed in {root} on a fresh database: {migrated.stderr.strip()[-1500:]}")
    seed_env = {**env, **({"BENCH_DEPOSIT_COUNT": str(deposit_count)} if deposit_count else {})}
    seeded = subprocess.run([sys.executable, "-m", "bench.seed"], cwd=root, env=seed_env, check=True,
                            capture_output=True, text=True, timeout=900)
    return json.loads(seeded.stdout.strip().splitlines()[-1])
