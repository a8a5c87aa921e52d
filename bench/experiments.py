"""Candidate product changes, measured over HTTP before anyone applies them.

    .venv/bin/python -m bench.experiments      # DATABASE_URL: a PostgreSQL cluster; about 5 minutes
    bash bench/run.sh --experiments            # the same, after the benchmark, on its database

The same gunicorn as the benchmark (production config, 2 sync workers, 127.0.0.1),
now with BENCH_VARIANTS=1 so bench/variants.py's scratch schemas (the product's
types and resolvers with another extension list) are served beside /graphql/:
  1. the GraphQL lookup and list through /graphql/ (which builds the limiters' rules
     once since the lead applied that fix), through the scratch schema with the
     original extension list (`original`: limiters built per request) and through
     the one that also drops the optimizer (`stable_limits_no_optimizer`), with the
     plain view as the yardstick;
  2. the same with bench/gunicorn_nofreeze.py: production config minus gc.freeze().
Writes bench/profiles/experiments.md. Every wrk run is bounded; targets 127.0.0.1 only.
"""
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    DURATION, WARMUP, Database, Server, Wrk, bench_env, log, migrate_and_seed,
)

OUT = ROOT / "bench" / "profiles" / "experiments.md"
ENDPOINTS = {
    "plain view": ("plain", ()),
    "/graphql/ (product)": ("gql", ()),
    "scratch `original` (limiters per request)": ("gql", ("path=/bench/gqlvar/original/",)),
    "scratch `stable_limits_no_optimizer`": ("gql", ("path=/bench/gqlvar/stable_limits_no_optimizer/",)),
}
SERVERS = {
    "config/gunicorn.py (gc.freeze in post_fork)": "config/gunicorn.py",
    "bench/gunicorn_nofreeze.py (no gc.freeze)": "bench/gunicorn_nofreeze.py",
}


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ledger-experiments-"))
    token = os.environ.get("BENCH_TOKEN") or secrets.token_urlsafe(24)
    created = None
    if os.environ.get("BENCH_SEEDED") == "1":
        url = os.environ["DATABASE_URL"]  # run.py's database, seeded
        database = Database(url, name=url.rsplit("/", 1)[1])
        env = {**bench_env(database, token, tmp), "BENCH_VARIANTS": "1"}
        from bench import seed
        layout = dict(seed.LAYOUT)
    else:
        created = database = Database(os.environ.get("DATABASE_URL", ""), name="ledger_experiments")
        env = {**bench_env(database, token, tmp), "BENCH_VARIANTS": "1"}
        layout = migrate_and_seed(database, env)
    lines = ["# Experiments over HTTP (bench/experiments.py)", "",
             f"gunicorn, 2 sync workers, 127.0.0.1; wrk 2 threads, {WARMUP} s warm-up + {DURATION} s per row; "
             "BENCH_VARIANTS=1 (scratch schemas of bench/variants.py served beside /graphql/).", "",
             "| server | endpoint | op | conns | req/s | p50 ms | p99 ms | errors | server CPU ms/req | vs plain |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    try:
        for server_label, config in SERVERS.items():
            server = Server(env, config=config, log_dir=tmp).start()
            try:
                bench = Wrk(server, token, layout)
                for connections in (8, 64):
                    for op in ("lookup", "list"):
                        plain_rps = None
                        for label, (impl, extra) in ENDPOINTS.items():
                            if config != "config/gunicorn.py" and label.startswith("scratch `stable_limits_no"):
                                continue
                            bench.run(op, impl, connections, WARMUP, extra=extra)
                            result = bench.run(op, impl, connections, DURATION, extra=extra)
                            plain_rps = result.rps if impl == "plain" else plain_rps
                            ratio = f"{result.rps / plain_rps:.2f}x" if plain_rps and impl != "plain" else ""
                            lines.append(f"| {server_label} | {label} | {op} | {connections} | {result.rps:,.0f} | "
                                         f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | "
                                         f"{result.server_cpu_ms:.2f} | {ratio} |")
                            log(lines[-1])
            finally:
                server.stop()
    finally:
        if created is not None and os.environ.get("BENCH_KEEP_DB") != "1":
            created.drop()
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + f"\n\nWritten {time.strftime('%Y-%m-%d %H:%M')}.\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
