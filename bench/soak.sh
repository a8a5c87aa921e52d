#!/usr/bin/env bash
# Soak: mixed load with worker kills and dropped PostgreSQL connections, then a consistency check.
#   bash bench/soak.sh [--seconds 90] [--threads 16] [--players 50]
# Run as root (the throwaway PostgreSQL of .ci/postgres.sh). Port: SOAK_PG_PORT (default 55450).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/postgres.sh
PG_PORT=${SOAK_PG_PORT:-55450}
pg_start
trap pg_stop EXIT
status=0
timeout --signal=INT --kill-after=30 "${SOAK_TIMEOUT:-900}" .venv/bin/python -m bench.soak "$@" || status=$?
exit $status
