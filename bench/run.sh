#!/usr/bin/env bash
# The benchmark in one go (as root): wrk, the bench deps, a throwaway PostgreSQL on its own
# port, bench/run.py, then PostgreSQL stopped and removed. Extra arguments go to run.py
# (python -m bench.run --help). Everything listens on and targets 127.0.0.1 only.
#   bash bench/run.sh                      # the default run, ~11 min
#   bash bench/run.sh --quick              # a smoke run, ~1.5 min
#   bash bench/run.sh --internals          # graphql_api's internals modules each on and off
#   bash bench/run.sh --compare main --rows lookup,list
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    apt-get install -y -qq wrk >/dev/null 2>&1 || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi

test -x .venv/bin/python || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-bench.txt

# Its own cluster, never the dev one on 55432: the first port from BENCH_PG_PORT (55440) on that
# is free and binds (a port of this range can be taken for a moment as the local end of a client
# connection, e.g. of an earlier wrk run).
source .ci/postgres.sh
first_port=${BENCH_PG_PORT:-55440}
started=""
for port in $(seq "$first_port" $((first_port + 9))); do
    [ "$port" = 55432 ] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue  # something listens there
    export PG_PORT=$port
    pg_start || true
    # pg_start reports success even when pg_ctl could not bind the port: ask the server itself.
    if runuser -u postgres -- "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$port"; then started=1; break; fi
    echo "PostgreSQL did not start on port $port; trying the next one" >&2
    pg_stop  # removes the cluster that did not start
    unset PGDATA_DIR
done
if [ -z "$started" ]; then
    echo "could not start PostgreSQL on ports $first_port-$((first_port + 9))" >&2
    exit 1
fi
trap pg_stop EXIT
# Ours alone: run.py may pin its processes to the servers' CPUs (--cpus split).
export BENCH_PG_OWNED=1

# Bounded: SIGINT lets run.py stop gunicorn and drop its database; killed 30 s later if not.
timeout -s INT -k 30 1800 .venv/bin/python -m bench.run "$@"
