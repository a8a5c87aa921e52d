"""The benchmark: GraphQL against a plain Django view and DRF, in interleaved rounds.

    bash bench/run.sh                     # the default run (~11 min), a block in bench/RESULTS.md
    bash bench/run.sh --quick             # a smoke run (~1.5 min), nothing written
    bash bench/run.sh --rows lookup,list:8 --rounds 7
    bash bench/run.sh --internals         # graphql_api's execution.py, fields.py, optimizer.py each off
    bash bench/run.sh --compare main      # this tree against another ref, in the same rounds

(run.sh installs wrk and the bench deps and starts a throwaway PostgreSQL; `python -m bench.run`
needs DATABASE_URL of a PostgreSQL cluster.)

The protocol (bench/RESULTS.md, "Method"): a fresh database, migrated and seeded, vacuumed with
whole-table statistics, autovacuum off; gunicorn as production runs it (config/gunicorn.py) with
the bench settings; every target verified once; then R rounds. In each round every row runs once
per slot (plain, DRF, GraphQL, and the plain view again as the A/A twin), the slots' order rotated
from round to round, each slot a warm-up then a timed wrk run, all slots of a round with the same
random seed. Ratios are taken within a round (GraphQL / plain of the same round) and reported as
median and range over the rounds. With --cpus split (the default on 2+ cores) the servers and the
database run on the first half of the CPUs, wrk and this driver on the rest.
"""
import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.harness import (  # noqa: E402
    DEPOSIT_CREATES_PER_THREAD_SECOND, DURATION, RESERVED_PLAYERS, THREADS, WARMUP, WORKERS, Database,
    PostgresProcesses, Server, Wrk, bench_env, log, migrate_and_seed, pin_tree,
)
from bench.internals import MODULES as INTERNAL_MODULES  # noqa: E402
from bench.report import Ratio, Slot  # noqa: E402
from bench.verify import internals_switched_off, verify  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
RESULTS_HEADER = "# Benchmark: GraphQL vs a plain Django view vs DRF"
ROUNDS = 5
OPS = ("lookup", "list", "deposit", "spin")
WRITES = ("deposit", "spin")
# Rows in the order they run within a round.
DEFAULT_ROWS = [("lookup", 8), ("list", 8), ("deposit", 8), ("spin", 8), ("lookup", 64), ("list", 64)]
INTERNALS_ROWS = DEFAULT_ROWS[:4]
QUICK = {"rows": [("lookup", 8), ("list", 8)], "rounds": 3, "duration": 1, "warmup": 1}
NOT_MEASURED = "not measured"
# A slot during which other processes used more than this share of the machine is run again.
BUSY = 0.10


# --- what a run measures --------------------------------------------------------------------

def parse_rows(text: str) -> list[tuple[str, int]]:
    """"lookup,list:64" -> the lookup rows of the default set and list at -c64."""
    rows = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        op, _, connections = item.partition(":")
        if op not in OPS:
            raise SystemExit(f"--rows: unknown operation {op!r}; known: {', '.join(OPS)}")
        if connections:
            rows.append((op, int(connections)))
        else:
            rows += [row for row in DEFAULT_ROWS if row[0] == op]
    return list(dict.fromkeys(rows))


class Plan:
    """The slots of a round and the ratios taken between them, for one mode."""

    def __init__(self, mode: str, ref: str | None = None):
        self.mode = mode
        plain = Slot("plain", "plain", "plain Django view")
        gql = Slot("gql", "gql", "GraphQL (ours)")
        twin = Slot("plain-aa", "plain", "plain Django view again (A/A)")
        aa = Ratio("plain-aa", "plain", "A/A: plain / plain", "aa")
        ours = Ratio("gql", "plain", "ours / plain")
        if mode == "default":
            drf = Slot("drf", "drf", "DRF")
            self.slots = [plain, drf, gql, twin]
            self.ratios = [ours, Ratio("drf", "plain", "DRF / plain"), Ratio("gql", "drf", "ours / DRF"), aa]
        elif mode == "internals":
            self.variants = {name: [name] for name in INTERNAL_MODULES} | {"all": list(INTERNAL_MODULES)}
            variant_slots = [Slot(f"gql-{name}", f"gql-{name}",
                                  f"GraphQL, {'all three' if name == 'all' else name + '.py'} off")
                             for name in self.variants]
            self.slots = [plain, gql, *variant_slots, twin]
            self.ratios = [ours, *(Ratio(s.key, "plain", f"{s.label} / plain") for s in variant_slots),
                           *(Ratio("gql", s.key, f"{s.key.removeprefix('gql-')}.py gain (on / off)"
                                   if s.key != "gql-all" else "all three gain (on / off)", "gain")
                             for s in variant_slots), aa]
        elif mode == "compare":
            self.ref = ref
            gql_ref = Slot("gql@ref", "gql@ref", f"GraphQL at {ref}")
            plain_ref = Slot("plain@ref", "plain@ref", f"plain view at {ref}")
            self.slots = [plain, gql, plain_ref, gql_ref, twin]
            self.ratios = [ours, Ratio("gql@ref", "plain@ref", f"at {ref}: ours / plain"),
                           Ratio("gql", "gql@ref", f"GraphQL: this tree / {ref}", "compare"),
                           Ratio("plain", "plain@ref", f"plain view: this tree / {ref}", "compare"), aa]
        else:
            raise ValueError(mode)

    def order(self, round_index: int) -> list[Slot]:
        """The slots rotated by the round: each slot takes each place in turn, so that whatever
        the place costs (tables grown by the writes before it, a warmer cache) is not one slot's."""
        shift = round_index // 2 % len(self.slots)
        rotated = self.slots[shift:] + self.slots[:shift]
        # Rotation alone keeps the cyclic order, so the A/A twin would always follow GraphQL; every
        # other round runs backwards, so that each slot follows and precedes each neighbour alike.
        return rotated[::-1] if round_index % 2 else rotated


def deposit_players(rows: list, rounds: int, slots_on_database: int, seconds: int) -> int:
    """Fresh op-3 players a database needs for its warm-ups and timed runs, the write pre-warm
    and a quarter of the slots run again (a busy slot is run again only while players last)."""
    runs = sum(1 for op, _ in rows if op == "deposit") * (rounds * slots_on_database * 1.25 + 1)
    return max(1_000, int(runs * seconds * DEPOSIT_CREATES_PER_THREAD_SECOND * THREADS)) + RESERVED_PLAYERS


def cpu_split(layout: str) -> tuple[set[int] | None, set[int] | None]:
    cpus = sorted(os.sched_getaffinity(0))
    if layout == "none" or len(cpus) < 2:
        return None, None
    half = len(cpus) // 2
    return set(cpus[:half]), set(cpus[half:])


class RetryBudget:
    """Busy slots are run again, but at most a quarter of all slots, so that a busy machine makes
    the run at most 1.25 times as long, and only while fresh op-3 players last for the rest."""

    def __init__(self, options, rows: list, plan: Plan, slot_players: int):
        self.left = len(rows) * len(plan.slots) * options.rounds // 4
        self.deposit_slots_to_come = sum(1 for op, _ in rows if op == "deposit") * len(plan.slots) * options.rounds
        self.slot_players = slot_players
        self.warned = False

    def allow(self, op: str, wrk: Wrk) -> bool:
        if op == "deposit" and wrk.deposit_players_left() < self.slot_players * self.deposit_slots_to_come:
            return False
        if self.left <= 0:
            if not self.warned:
                log("no more runs again: a quarter of the slots were busy; the block will say so")
                self.warned = True
            return False
        self.left -= 1
        return True

    def done(self, op: str) -> None:
        if op == "deposit":
            self.deposit_slots_to_come -= 1


# --- another ref of the project (--compare) -----------------------------------------------

def export_ref(ref: str, into: Path) -> str:
    """The tree of `ref` in `into` (git archive: no worktree, no branch, nothing left in the repo),
    with this tree's bench/ in place of its own, so that both are loaded and verified alike."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    shutil.rmtree(into / "bench", ignore_errors=True)
    shutil.copytree(ROOT / "bench", into / "bench", ignore=shutil.ignore_patterns("__pycache__", "profiles"))
    return commit


# --- hooks for rows other engineers fill ------------------------------------------------------

def _pytest_lines(test: str, keep, extra_env: dict | None = None) -> list[str]:
    """Run one of the project's measuring tests and keep the lines it prints about itself."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-s", "-p", "no:cacheprovider", "--ds=tests.settings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **(extra_env or {})})
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        return [f"{test} failed (exit {result.returncode}): {' / '.join(tail)[:300]}"]
    lines = [line.strip() for line in result.stdout.splitlines() if keep(line)]
    return lines + [f"(the test took {time.monotonic() - started:.1f} s, building its data included)"]


def measure_sheets_sync(database_url: str) -> str:
    """Row "Sheets sync of 10,000 rows against the fake": the mirror's own volume test,
    which drives real gspread against the Sheets API fake on 127.0.0.1."""
    lines = _pytest_lines("tests/test_sync_volume.py", lambda line: "rows per sheet" in line or "total" in line,
                          {"DATABASE_URL": database_url})
    return "; ".join(lines) or NOT_MEASURED


def measure_bot_latency(database_url: str) -> str:
    """Row "bot: Telegram update -> reply latency": the bot's end-to-end latency test
    (real PTB against the Bot API fake, real backend under gunicorn, loopback)."""
    lines = _pytest_lines("tests/test_bot_e2e.py::test_update_to_reply_latency_on_loopback",
                          lambda line: "latency" in line, {"DATABASE_URL": database_url})
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
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(), "python": platform.python_version(),
        "postgresql": database.server_version(), "wrk": wrk_version.split(" Copyright")[0],
        "commit": head.stdout.strip() + (" (with uncommitted changes)" if dirty else ""),
        "loadavg": Path("/proc/loadavg").read_text().split()[0], **versions,
    }


def render(options, plan: Plan, rows: list, info: dict, measurements: report.Measurements, notes: dict,
           previous: dict | None, seconds: float) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    data = report.run_data(measurements, rows, plan.ratios, plan.mode)
    data["when"] = now
    title = {"default": "default run", "internals": "internals on and off (issue 11, item 9)",
             "compare": f"this tree against {getattr(plan, 'ref', '')}"}[plan.mode]
    lines = [
        f"### {now}: {title}",
        "",
        f"`bash bench/run.sh{''.join(' ' + arg for arg in sys.argv[1:])}` at commit {info['commit']}; "
        f"{options.rounds} rounds × {len(plan.slots)} slots × {len(rows)} rows, {options.warmup} s warm-up + "
        f"{options.duration} s timed per slot; the run took {seconds / 60:.1f} min.",
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']}, Linux {info['kernel']}; load average "
        f"(1 min) before the run {info['loadavg']}; CPUs: {notes['cpus']}. Python {info['python']}, PostgreSQL "
        f"{info['postgresql']}, Django {info['Django']}, strawberry-graphql {info['strawberry-graphql']}, "
        f"strawberry-graphql-django {info['strawberry-graphql-django']}, graphql-core {info['graphql-core']}, "
        f"djangorestframework {info['djangorestframework']}, gunicorn {info['gunicorn']}, psycopg {info['psycopg']}, "
        f"{info['wrk']}.",
        "",
        "Each slot per round (req/s and gunicorn's CPU per request over the rounds):",
        "",
        *report.slot_table(measurements, rows, plan.slots),
        "",
        "Ratios, taken within each round, then the median and range over the rounds (CPU/req ratio: the "
        "denominator's CPU per request over the numerator's, so below 1 means costlier in both columns):",
        "",
        *report.ratio_table(measurements, rows, plan.ratios),
        "",
        "Noise:",
        "",
        *report.aa_summary(measurements, rows, plan.ratios),
        *report.noise_lines(measurements),
        *report.agreement_lines(data, previous),
        "",
    ]
    if plan.mode == "default":
        lines += ["Goals (issue 6):", "", *report.goal_lines(measurements, plan.ratios), ""]
    if plan.mode == "internals":
        lines += ["Each module's gain (GraphQL with everything on / with that module off; issue 11 keeps a "
                  f"module that gains more than {report.GAIN_TO_KEEP:.0%} on some row):", "",
                  *report.gain_lines(measurements, rows, plan.ratios), "",
                  "What each variant's server switched off (bench/internals.py):", "",
                  *(f"- {line}" for line in notes.get("internals", [])), ""]
    lines += ["Checks:", "", *(f"- {line}" for line in notes["checked"]),
              f"- after all the writes, `manage.py check_ledger`: {notes['ledger']}"]
    if "sheets" in notes:
        lines += ["", "Other rows (one run each: counts of API calls, and a latency of the bot's own test):", "",
                  f"- Sheets sync of 10,000 rows against the fake: {notes['sheets']}",
                  f"- bot: Telegram update -> reply latency: {notes['bot']}"]
    lines += ["", "<details><summary>ratios per round (req/s)</summary>", "",
              *report.per_round_lines(measurements, rows, plan.ratios), "", "</details>", "",
              f"<!-- bench-run {json.dumps(data)} -->", ""]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--internals", action="store_true",
                      help="GraphQL with graphql_api/execution.py, fields.py, optimizer.py each switched off, "
                           "and all three, beside the product (issue 11, item 9)")
    mode.add_argument("--compare", metavar="GITREF", help="also serve GITREF (its own database) in the same rounds")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: rows {', '.join(map(report.row_name, QUICK['rows']))}, {QUICK['rounds']} "
                             f"rounds of {QUICK['warmup']}+{QUICK['duration']} s, no other rows, nothing written")
    parser.add_argument("--rows", type=parse_rows,
                        help="e.g. lookup,list:64 (operation[:connections], comma-separated)")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--duration", type=int, help=f"timed seconds per slot (BENCH_DURATION, {DURATION})")
    parser.add_argument("--warmup", type=int, help=f"warm-up seconds per slot (BENCH_WARMUP, {WARMUP})")
    parser.add_argument("--cpus", choices=("split", "none"), default=os.environ.get("BENCH_CPUS", "split"),
                        help="split: servers and database on the first half of the CPUs, wrk on the rest")
    parser.add_argument("--busy-retries", type=int, help=f"times a slot is run again when processes not ours used "
                                                         f"more than {BUSY * 100:.0f}%% of the CPU during it (1; --quick 0)")
    parser.add_argument("--no-other-rows", action="store_true", help="skip the Sheets and bot rows")
    parser.add_argument("--out", type=Path, help="where the run's block goes (default bench/RESULTS.md; "
                                                 "--quick writes nothing unless given)")
    parser.add_argument("--profile", action="store_true", help="then run bench/profile.py on the same database")
    parser.add_argument("--experiments", action="store_true",
                        help="then run bench/experiments.py (scratch schemas, gc.freeze) on the same database")
    options = parser.parse_args(argv)
    quick = QUICK if options.quick else {}
    options.rounds = options.rounds or quick.get("rounds", ROUNDS)
    options.duration = options.duration or quick.get("duration", DURATION)
    options.warmup = options.warmup if options.warmup is not None else quick.get("warmup", WARMUP)
    if options.busy_retries is None:
        options.busy_retries = 0 if options.quick else 1
    options.rows = options.rows or quick.get("rows") or (INTERNALS_ROWS if options.internals else DEFAULT_ROWS)
    options.out = options.out or (None if options.quick else RESULTS)
    options.other_rows = not (options.quick or options.no_other_rows or options.internals or options.compare)
    if options.rounds < 1 or options.duration < 1:
        raise SystemExit("--rounds and --duration must be at least 1")
    return options


class Session:
    """The databases, servers and targets of one run; a target is one implementation on one server
    (key -> server, impl, database, seed layout)."""

    def __init__(self, options, plan: Plan, tmp: Path):
        self.options, self.plan, self.tmp = options, plan, tmp
        self.token = secrets.token_urlsafe(24)
        self.server_cpus, self.client_cpus = cpu_split(options.cpus)
        self.slot_seconds = options.warmup + options.duration
        self.databases: list[Database] = []
        self.servers: list[Server] = []
        self.targets: dict[str, tuple[Server, str, Database, dict]] = {}
        self.switched_off: dict[Server, list[str]] = {}
        self.notes: dict = {"cpus": "not pinned" if not self.server_cpus else
                            f"servers and database on {sorted(self.server_cpus)}, wrk and the driver on "
                            f"{sorted(self.client_cpus)}"}

    def _database(self, name: str, root: Path, slots: int) -> tuple[Database, dict, dict]:
        database = Database(os.environ.get("DATABASE_URL", ""), name=name)
        self.databases.append(database)
        env = bench_env(database, self.token, self.tmp, root=root)
        log(f"database {database.name} on {database.cluster.split('@')[-1]}")
        layout = migrate_and_seed(database, env, root=root, deposit_count=deposit_players(
            self.options.rows, self.options.rounds, slots, self.slot_seconds))
        log(f"seeded {layout['players']:,} players in {layout['seconds']} s")
        return database, env, layout

    def _server(self, env: dict, name: str, root: Path = ROOT) -> Server:
        server = Server(env, log_dir=self.tmp, root=root, cpus=self.server_cpus, name=name)
        self.servers.append(server)
        return server

    def prepare(self) -> None:
        """Fresh databases, one server per tree or variant, verified targets."""
        plan = self.plan
        ref_slots = sum(1 for slot in plan.slots if slot.target.endswith("@ref"))
        self.database, self.env, layout = self._database("ledger_bench", ROOT, len(plan.slots) - ref_slots)
        main = self._server(self.env, "main")
        for impl in ("plain", "drf", "gql"):
            self.targets[impl] = (main, impl, self.database, layout)
        if plan.mode == "internals":
            for name, modules in plan.variants.items():
                server = self._server({**self.env, "BENCH_INTERNALS_OFF": ",".join(modules)}, f"off-{name}")
                self.switched_off[server] = modules
                self.targets[f"gql-{name}"] = (server, "gql", self.database, layout)
        if plan.mode == "compare":
            ref_root = self.tmp / "ref"
            ref_root.mkdir()
            commit = export_ref(plan.ref, ref_root)
            log(f"--compare {plan.ref}: {commit[:12]} exported to {ref_root}")
            ref_database, ref_env, ref_layout = self._database("ledger_bench_ref", ref_root, ref_slots)
            ref_server = self._server(ref_env, "ref", ref_root)
            for impl in ("plain", "gql"):
                self.targets[f"{impl}@ref"] = (ref_server, impl, ref_database, ref_layout)

        for database in self.databases:
            database.autovacuum_off()
            database.vacuum()
        self.postgres = PostgresProcesses(self.database)
        if self.server_cpus and self.postgres.pid and os.environ.get("BENCH_PG_OWNED") == "1":
            self.notes["cpus"] += f" ({pin_tree(self.postgres.pid, self.server_cpus)} PostgreSQL processes pinned)"
        self.info = machine_info(self.database)
        for server in self.servers:  # started side by side, then waited for
            server.spawn()
        for server in self.servers:
            server.wait_ready()
        log(f"{len(self.servers)} gunicorn server(s) up ({WORKERS} sync workers each, config/gunicorn.py); "
            f"CPUs: {self.notes['cpus']}")
        self._verify()

    def _verify(self) -> None:
        self.notes["checked"] = []
        for database in self.databases:
            group = [(key, server, impl) for key, (server, impl, db, _) in self.targets.items()
                     if db is database and any(slot.target == key for slot in self.plan.slots)]
            group.sort(key=lambda target: not target[0].startswith("plain"))  # the plain view is the reference
            self.notes["checked"] += verify(group, self.token, self.targets[group[0][0]][3])
        self.notes["internals"] = [f"{server.name}: {line}" for server, modules in self.switched_off.items()
                                   for line in internals_switched_off(server, modules)]
        for line in self.notes["checked"] + self.notes["internals"]:
            log(f"verified {line}")

    def run_rounds(self) -> report.Measurements:
        options, plan = self.options, self.plan
        counters = {db.name: [layout["deposit"][0]] for _, _, db, layout in self.targets.values()}
        wrks = {key: Wrk(server, self.token, layout, cpus=self.client_cpus, deposit_counter=counters[db.name],
                         others=(*[other for other in self.servers if other is not server], self.postgres))
                for key, (server, _, db, layout) in self.targets.items()}
        # The spin players are shared out among the slots, and one share more for the pre-warm.
        shares = {slot.key: (index, len(plan.slots) + 1) for index, slot in enumerate(plan.slots)}
        prewarm_share = (len(plan.slots), len(plan.slots) + 1)
        for database in self.databases:
            # The first writes into an almost empty table run at half speed whatever serves them
            # (PostgreSQL's cached plans were made for a few rows, until an ANALYZE): once, untimed.
            key = next(key for key, target in self.targets.items() if target[2] is database)
            for op in dict.fromkeys(op for op, _ in options.rows if op in WRITES):
                wrks[key].run(op, self.targets[key][1], 8, self.slot_seconds, share=prewarm_share)
            database.vacuum()
        retries = RetryBudget(options, options.rows, plan,
                              self.slot_seconds * DEPOSIT_CREATES_PER_THREAD_SECOND * THREADS)
        measurements = report.Measurements()
        for round_index in range(options.rounds):
            measurements.new_round()
            for row_index, (op, connections) in enumerate(options.rows):
                seed = 1_000 * round_index + row_index  # the same players for every slot of the round
                for slot in plan.order(round_index):
                    _, impl, database, _ = self.targets[slot.target]
                    wrk = wrks[slot.target]
                    for attempt in range(1 + options.busy_retries):
                        if op in WRITES:  # every write slot starts from a vacuumed, analyzed database
                            database.vacuum()
                        if options.warmup:
                            wrk.run(op, impl, connections, options.warmup, share=shares[slot.key], seed=seed + 500)
                        result = wrk.run(op, impl, connections, options.duration, share=shares[slot.key], seed=seed)
                        if result.foreign_cpu is None or result.foreign_cpu <= BUSY:
                            break
                        if not (attempt < options.busy_retries and retries.allow(op, wrk)):
                            break
                        log(f"{slot.key} {op} c{connections}: others used {result.foreign_cpu:.0%} of the CPU; again")
                    retries.done(op)
                    measurements.add((op, connections), slot, result)
                    foreign = "?" if result.foreign_cpu is None else f"{result.foreign_cpu:.0%}"
                    log(f"round {round_index + 1}/{options.rounds} {op:7} c{connections:<3} {slot.key:14} "
                        f"{result.rps:7.0f} req/s  CPU {result.server_cpu_ms:5.2f} ms/req  p99 "
                        f"{result.p99_ms:6.1f} ms  errors {result.errors}  others' CPU {foreign}"
                        + (f"  (players exhausted {result.exhausted})" if result.exhausted else ""))
        (self.tmp / "wrk-output.txt").write_text("\n\n".join(
            f"== round {index + 1} {row} {key}\n{result.raw}"
            for index, results in enumerate(measurements.by_round) for (row, key), result in results.items()))
        return measurements

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def drop(self) -> None:
        shutil.rmtree(self.tmp / "ref", ignore_errors=True)  # the other ref's tree; the logs stay
        if os.environ.get("BENCH_KEEP_DB") == "1":
            return
        for database in self.databases:
            try:
                database.drop()
            except Exception as error:  # the cluster may already be gone
                log(f"could not drop {database.name}: {error}")


def main(argv=None) -> int:
    options = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (bash bench/run.sh installs it)")
    plan = Plan("internals" if options.internals else "compare" if options.compare else "default", options.compare)
    started = time.monotonic()
    session = Session(options, plan, Path(tempfile.mkdtemp(prefix="ledger-bench-")))
    if session.client_cpus:
        os.sched_setaffinity(0, session.client_cpus)  # this driver beside wrk, off the servers' CPUs
    estimate = options.rounds * len(options.rows) * len(plan.slots) * (session.slot_seconds + 0.4)
    log(f"{plan.mode}: {len(options.rows)} rows × {len(plan.slots)} slots × {options.rounds} rounds of "
        f"{options.warmup}+{options.duration} s: about {estimate / 60:.0f} min of wrk")
    try:
        session.prepare()
        measurements = session.run_rounds()
        session.stop()
        notes = session.notes
        check = subprocess.run([sys.executable, "manage.py", "check_ledger"], cwd=ROOT, env=session.env,
                               capture_output=True, text=True, timeout=300)
        notes["ledger"] = ("OK: every total equals the sum of the journal" if check.returncode == 0
                           else f"FAILED: {(check.stderr or check.stdout).strip()[:300]}")
        log(f"check_ledger: {notes['ledger']}")
        if options.other_rows:
            notes["sheets"] = measure_sheets_sync(session.database.url)
            notes["bot"] = measure_bot_latency(session.database.url)
        previous_text = options.out.read_text() if options.out and options.out.exists() else ""
        block = render(options, plan, options.rows, session.info, measurements, notes,
                       report.previous_run(previous_text, plan.mode), time.monotonic() - started)
        print()
        print(block)
        if options.out:
            options.out.write_text(report.insert_run(previous_text, block, RESULTS_HEADER))
            log(f"wrote the run's block into {options.out}")
        log(f"raw wrk output in {session.tmp / 'wrk-output.txt'}")
        for flag, module in ((options.profile, "bench.profile"), (options.experiments, "bench.experiments")):
            if flag:
                subprocess.run([sys.executable, "-m", module], cwd=ROOT, check=True, timeout=1800,
                               env={**session.env, "BENCH_TOKEN": session.token, "BENCH_SEEDED": "1"})
        failed = sum(result.errors for result in measurements.all_results()) or check.returncode
        return 1 if failed else 0
    finally:
        session.stop()
        session.drop()


if __name__ == "__main__":
    sys.exit(main())
