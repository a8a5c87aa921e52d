"""Where the time goes, in-process: Django's WSGI handler with the bench settings on PostgreSQL.

    .venv/bin/python -m bench.profile          # DATABASE_URL: a PostgreSQL cluster (run.sh's or any)
    bash bench/run.sh --profile                # the same, after the benchmark, on its database

Without HTTP, wrk or gunicorn in the way, it measures per request (median of
rounds, after a warm-up):
  1. the lookup and the list through the plain view, DRF, /graphql/ (the product)
     and each scratch schema of bench/variants.py (the product's types with another
     extension list), with the SQL queries each request makes;
  2. a pyinstrument profile of the product's GraphQL lookup and list, saved as text
     in bench/profiles/, and a breakdown of it by stage;
  3. the garbage collector during GraphQL requests, with and without gc.freeze()
     (what config/gunicorn.py's post_fork does).
It prints a report and writes it to bench/profiles/profile-report.md.
"""
import gc
import io
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "profiles"
sys.path.insert(0, str(ROOT))

from bench import queries  # noqa: E402
from bench import seed as layout  # noqa: E402

ROUNDS = int(os.environ.get("PROFILE_ROUNDS", "5"))
PER_ROUND = {"lookup": int(os.environ.get("PROFILE_LOOKUPS", "200")), "list": int(os.environ.get("PROFILE_LISTS", "40"))}


def prepare_environment():
    """Bench settings; a fresh seeded database unless run.py hands over its own (BENCH_SEEDED=1)."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_VARIANTS": "1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ADMIN_USER_ID": str(layout.ADMIN_TELEGRAM_ID),
    })
    os.environ.setdefault("SECRET_KEY", "profile-" + secrets.token_urlsafe(32))
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="ledger-profile-"))
    os.environ["API_TOKEN"] = os.environ.get("BENCH_TOKEN") or os.environ.get("API_TOKEN") or secrets.token_urlsafe(24)
    if os.environ.get("BENCH_SEEDED") == "1":
        return None
    from bench.harness import Database
    database = Database(os.environ.get("DATABASE_URL", ""), name="ledger_profile")
    database.create()
    os.environ["DATABASE_URL"] = database.url
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "bench.seed"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return database


class WsgiClient:
    """Calls the Django WSGI application as gunicorn does, minus the socket."""

    def __init__(self, token: str):
        from django.core.wsgi import get_wsgi_application
        self.app = get_wsgi_application()
        self.token = token

    def __call__(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        path, _, query = path.partition("?")
        body = body or b""
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "HTTP_AUTHORIZATION": f"Bearer {self.token}",
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        status = []
        chunks = self.app(environ, lambda s, headers, exc_info=None: status.append(int(s.split()[0])))
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return status[0], content


def request(impl: str, op: str, telegram_id: int) -> tuple[str, str, bytes | None]:
    """The benchmark's request; impl 'gqlvar:<name>' is a scratch schema of bench/variants.py."""
    if impl.startswith("gqlvar:"):
        method, _, body = queries.request_for("gql", op, telegram_id=telegram_id)
        return method, f"/bench/gqlvar/{impl.split(':', 1)[1]}/", body
    return queries.request_for(impl, op, telegram_id=telegram_id)


def check(impl: str, op: str, status: int, content: bytes) -> None:
    text = content.decode()
    ok = status == 200 and '"errors"' not in text and "OperationInfo" not in text
    ok = ok and (text.count('"proof"') == queries.LIST_SIZE if op == "list" else '"spin' in text)
    if not ok:
        raise AssertionError(f"{impl} {op}: HTTP {status}: {text[:300]}")


def lookup_ids(n: int, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    lo, count = layout.LOOKUP_BASE, layout.LOOKUP_COUNT
    return [lo + rng.randrange(count) for _ in range(n)]


class QueryCounter:
    """Counts SQL statements (connection.execute_wrapper; Django resets queries_log per request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def time_many(client: WsgiClient, impls: list[str], ops: tuple[str, ...], rounds: int = ROUNDS) -> dict:
    """{impl: {op: [mean us per request, per round], "cpu": {op: [...]}, "sql": {op: n}}}.

    One process; a warm-up that checks every answer, gc.freeze() as gunicorn's post_fork does,
    then `rounds` rounds in which every implementation serves each op in turn, so drift falls
    on all alike.
    """
    from django.db import connection

    ids = {op: lookup_ids(PER_ROUND[op] * (rounds + 1), seed=3) for op in ops}
    results: dict = {impl: {"sql": {}, "cpu": {op: [] for op in ops}, **{op: [] for op in ops}} for impl in impls}
    for impl in impls:
        for op in ops:
            for telegram_id in ids[op][:PER_ROUND[op]]:
                check(impl, op, *client(*request(impl, op, telegram_id)))
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                client(*request(impl, op, ids[op][0]))
            results[impl]["sql"][op] = counter.count
    gc.collect()
    gc.freeze()
    for round_index in range(rounds):
        for impl in impls:
            for op in ops:
                n = PER_ROUND[op]
                calls = [request(impl, op, telegram_id)
                         for telegram_id in ids[op][n * (round_index + 1):n * (round_index + 2)]]
                started, cpu = time.perf_counter(), time.process_time()
                for call in calls:
                    client(*call)
                results[impl][op].append((time.perf_counter() - started) / n * 1e6)
                results[impl]["cpu"][op].append((time.process_time() - cpu) / n * 1e6)
    return results


def time_one(client: WsgiClient, impl: str, ops: tuple[str, ...]) -> dict:
    return time_many(client, [impl], ops)[impl]


def per_request_us(impls: list[str], ops: tuple[str, ...]) -> dict:
    """{(impl, op): (median wall us, median CPU us of this process, SQL statements)} per request,
    one process per implementation. CPU time leaves out PostgreSQL's share and waits, so it is
    the steadier measure of what the Python side costs.

    A process of its own for each: the product's per-request garbage (see the GC section)
    would otherwise be collected while the next implementation is being timed.
    """
    rows = {}
    for impl in impls:
        done = subprocess.run([sys.executable, "-m", "bench.profile", "--time-one", impl], cwd=ROOT, check=True,
                              capture_output=True, text=True, env={**os.environ, "BENCH_SEEDED": "1"}, timeout=600)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        for op in ops:
            rows[impl, op] = (statistics.median(result[op]), statistics.median(result["cpu"][op]),
                              result["sql"][op])
        print(f"  {impl:50} " + "   ".join(f"{op} {rows[impl, op][0]:6.0f} us wall {rows[impl, op][1]:6.0f} us CPU "
                                         f"({rows[impl, op][2]} SQL)" for op in ops), flush=True)
    return rows


# --- pyinstrument breakdown ----------------------------------------------------------------------

# Each sample's time goes to the category of the innermost frame that has one (built-ins and
# pyinstrument's [self] frames take their caller's), so the categories add up to 100%.
CATEGORIES = [
    ("SQL round trips (psycopg)", ("psycopg/", "psycopg_binary/")),
    ("Django ORM (SQL building, model instances)", ("django/db/",)),
    ("ledger selectors", ("ledger/",)),
    ("GraphQL validation (graphql-core rules)", ("graphql/validation/", "graphql/utilities/type_info.py",
                                                 "graphql/language/visitor.py")),
    ("limiters: rule classes built per request", ("strawberry/extensions/query_depth_limiter.py",
                                                   "strawberry/extensions/max_aliases.py")),
    ("ValidationCache key: hashing the document AST", ("graphql/language/ast.py", "<string>")),
    ("GraphQL parse", ("graphql/language/parser.py", "graphql/language/lexer.py")),
    ("optimizer (optimize() + per-field resolve wrapper)", ("strawberry_django/optimizer.py",)),
    ("GraphQL execution per field (graphql-core executor)", ("graphql/execution/", "graphql/type/",
                                                             "graphql/pyutils/")),
    ("strawberry + strawberry-django per-field resolvers, Info, arguments",
     ("strawberry/schema/", "strawberry/types/", "strawberry/execution/", "strawberry_django/fields/",
      "strawberry_django/resolvers.py", "strawberry/utils/", "strawberry/relay/")),
    ("strawberry schema-extension hooks", ("strawberry/extensions/", "graphql_api/extensions.py")),
    ("product types/resolvers (graphql_api)", ("graphql_api/",)),
    ("JSON encoding", ("json/",)),
    ("strawberry HTTP view (request parsing, context, response)", ("strawberry/http/", "strawberry/django/")),
    ("Django request handling (middleware, URL, view, response)", ("django/", "whitenoise/", "config/",
                                                                    "wsgiref/", "bench/profile.py")),
]


def _category(frame) -> str | None:
    path = frame.file_path or ""
    if frame.function == "[self]" or path.startswith("<built-in>") or not path:
        return None
    if path == "<string>" and frame.function != "__hash__":  # dataclass __init__ and the like
        return None
    for name, pieces in CATEGORIES:
        if any(piece in path for piece in pieces):
            return name
    return None


def _walk(frame, inherited: str, totals: dict) -> None:
    category = _category(frame) or inherited
    own = frame.time - sum(child.time for child in frame.children)
    totals[category] = totals.get(category, 0.0) + max(own, 0.0)
    for child in frame.children:
        _walk(child, category, totals)


def profile_gql(client: WsgiClient, op: str, n: int, impl: str = "gql") -> tuple[dict, float, str]:
    from pyinstrument import Profiler

    calls = [request(impl, op, telegram_id) for telegram_id in lookup_ids(n, seed=7)]
    for call in calls[: max(10, n // 10)]:
        client(*call)
    gc.collect()
    gc.freeze()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for call in calls:
        client(*call)
    profiler.stop()
    gc.unfreeze()
    session = profiler.last_session
    totals: dict[str, float] = {}
    _walk(session.root_frame(), "other", totals)
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    return totals, session.duration, text


# --- garbage collector -------------------------------------------------------------------------------

def gc_pauses(client: WsgiClient, impl: str, op: str, n: int, freeze: bool) -> dict:
    """Collections and their pauses (gc.callbacks) while serving n requests."""
    pauses, started = [], {}

    def callback(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            pauses.append((info["generation"], time.perf_counter() - started.pop("t")))

    calls = [request(impl, op, telegram_id) for telegram_id in lookup_ids(n, seed=11)]
    for call in calls[:50]:
        client(*call)
    gc.collect()
    if freeze:
        gc.freeze()
    gc.callbacks.append(callback)
    try:
        began = time.perf_counter()
        for call in calls:
            client(*call)
        elapsed = time.perf_counter() - began
    finally:
        gc.callbacks.remove(callback)
        if freeze:
            gc.unfreeze()
    full = [p for g, p in pauses if g == 2]
    return {"elapsed_ms": elapsed * 1e3, "collections": len(pauses), "gen2": len(full),
            "pause_ms": sum(p for _, p in pauses) * 1e3, "max_ms": max((p for _, p in pauses), default=0) * 1e3}


def label(impl: str) -> str:
    return f"scratch schema `{impl.split(':', 1)[1]}`" if impl.startswith("gqlvar:") else {
        "plain": "plain Django view", "drf": "DRF", "gql": "/graphql/ (product)"}[impl]


def main() -> None:
    database = prepare_environment()
    try:
        run_profile()
    finally:
        if database is not None and os.environ.get("PROFILE_KEEP_DB") != "1":
            from django.db import connections
            connections.close_all()
            database.drop()


def run_profile() -> None:
    import django
    django.setup()
    from bench import variants

    if sys.argv[1:2] == ["--time-one"]:
        print(json.dumps(time_one(WsgiClient(os.environ["API_TOKEN"]), sys.argv[2], ("lookup", "list"))))
        return
    if sys.argv[1:2] == ["--time-many"]:
        print(json.dumps(time_many(WsgiClient(os.environ["API_TOKEN"]), sys.argv[2].split(","), ("lookup", "list"),
                                   rounds=ROUNDS + 2)))
        return

    OUT.mkdir(exist_ok=True)
    client = WsgiClient(os.environ["API_TOKEN"])
    ops = ("lookup", "list")
    report = ["# In-process profile (bench/profile.py)", "",
              f"Django's WSGI handler with the bench settings on PostgreSQL, no HTTP; per request: median of "
              f"{ROUNDS} interleaved rounds of {PER_ROUND['lookup']} lookups / {PER_ROUND['list']} lists, "
              "after a warm-up and gc.freeze() (as gunicorn's post_fork), each implementation in a process of its own.", ""]

    print("per-request time ...", flush=True)
    impls = ["plain", "drf", "gql"] + [f"gqlvar:{name}" for name in variants.VARIANTS]
    rows = per_request_us(impls, ops)
    report += ["## Per request, in-process, each implementation in a process of its own", "",
               "`original` is the product's extension list before the limiter fix: its cache misses leave garbage "
               "that would be collected while the next implementation is timed, hence one process each. Between "
               "processes the noise is about +-10%; the interleaved table below is the finer one.", "",
               "Wall: the request's time; CPU: this process's CPU time (PostgreSQL's work and waits left out). "
               "The deltas compare CPU time with /graphql/ as the product serves it.", "",
               "| implementation | lookup wall us | lookup CPU us | list wall us | list CPU us | SQL (lookup/list) | "
               "lookup CPU vs /graphql/ | list CPU vs /graphql/ |",
               "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for impl in impls:
        cells = []
        for op in ops:
            mine, base = rows[impl, op][1], rows["gql", op][1]
            cells.append(f"{mine - base:+.0f} us ({(mine / base - 1) * 100:+.0f}%)")
        report.append(f"| {label(impl)} | {rows[impl, 'lookup'][0]:.0f} | {rows[impl, 'lookup'][1]:.0f} | "
                      f"{rows[impl, 'list'][0]:.0f} | {rows[impl, 'list'][1]:.0f} | "
                      f"{rows[impl, 'lookup'][2]}/{rows[impl, 'list'][2]} | {cells[0]} | {cells[1]} |")
    report.append("")
    print("\n".join(report[-len(impls) - 1:]), flush=True)

    # The fine comparison: the implementations without the per-request limiter garbage, interleaved
    # in one process (same heap, same hash seed), CPU time. Differences of a few percent show here.
    fine = ["plain", "drf", "gql"] + [f"gqlvar:{name}" for name in variants.VARIANTS
                                      if name.startswith("stable_limits") or name == "no_limiters"]
    print("fine comparison (one process, interleaved) ...", flush=True)
    done = subprocess.run([sys.executable, "-m", "bench.profile", "--time-many", ",".join(fine)], cwd=ROOT,
                          check=True, capture_output=True, text=True, env={**os.environ, "BENCH_SEEDED": "1"},
                          timeout=900)
    many = json.loads(done.stdout.strip().splitlines()[-1])
    base = {op: statistics.median(many["gql"]["cpu"][op]) for op in ops}
    report += ["## The product and the scratch schemas, interleaved in one process", "",
               f"CPU us per request, median of {ROUNDS + 2} interleaved rounds (one process: same heap and hash "
               "seed for all, so a few percent is signal here); the spread is the rounds' min-max. The scratch "
               "schemas have the product's types and resolvers but graphql-core's own executor, strawberry-django's "
               "optimizer as shipped and the extension list named (bench/variants.py): the product as it was "
               "before the leaf short path, the kept optimizer plans and RequestRules, with one extension toggled.",
               "",
               "| implementation | lookup CPU us | spread | list CPU us | spread | lookup vs /graphql/ | "
               "list vs /graphql/ |", "|---|---:|---:|---:|---:|---:|---:|"]
    for impl in fine:
        cells = []
        for op in ops:
            values = many[impl]["cpu"][op]
            median = statistics.median(values)
            cells += [f"{median:.0f}", f"{min(values):.0f}-{max(values):.0f}"]
        deltas = [f"{statistics.median(many[impl]['cpu'][op]) - base[op]:+.0f} us "
                  f"({(statistics.median(many[impl]['cpu'][op]) / base[op] - 1) * 100:+.1f}%)" for op in ops]
        report.append(f"| {label(impl)} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | {deltas[0]} | "
                      f"{deltas[1]} |")
    report.append("")

    print("pyinstrument ...", flush=True)
    for impl, op, n in (("gql", "lookup", 1500), ("gql", "list", 300),
                        ("gqlvar:original", "lookup", 1500), ("gqlvar:original", "list", 300)):
        totals, duration, text = profile_gql(client, op, n, impl)
        name = "gql" if impl == "gql" else impl.split(":", 1)[1]
        (OUT / f"{name}_{op}.txt").write_text(text)
        per = duration / n * 1e6
        report += [f"## pyinstrument: {label(impl)} {op} ({n} requests; {per:.0f} us each while profiled)", "",
                   "| where (self time by package; adds up to 100%) | us/request | share |", "|---|---:|---:|"]
        for category, seconds in sorted(totals.items(), key=lambda item: -item[1]):
            if seconds / duration >= 0.005:
                report.append(f"| {category} | {seconds / n * 1e6:.0f} | {seconds / duration * 100:.0f}% |")
        report += ["", f"Call tree: bench/profiles/{name}_{op}.txt", ""]

    print("garbage collector ...", flush=True)
    report += ["## Garbage collector while serving (gc.callbacks)", "",
               "| implementation | op | gc.freeze() | requests | collections | of which full | pause ms total | "
               "pause ms per request | max pause ms |", "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for impl in ("gqlvar:original", "gql", "plain"):
        for op, n in (("lookup", 2000), ("list", 400)):
            for freeze in (False, True):
                stats = gc_pauses(client, impl, op, n, freeze)
                report.append(f"| {label(impl)} | {op} | {'yes' if freeze else 'no'} | {n} | {stats['collections']} | "
                              f"{stats['gen2']} | {stats['pause_ms']:.1f} | {stats['pause_ms'] / n:.3f} | "
                              f"{stats['max_ms']:.2f} |")
    report.append("")
    text = "\n".join(report)
    (OUT / "profile-report.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
