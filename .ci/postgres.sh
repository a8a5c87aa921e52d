#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in /tmp on 127.0.0.1, from Debian's packages.
#   source .ci/postgres.sh; pg_start   -> exports DATABASE_URL
#   pg_stop
pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_start() {
    if [ -z "$(pg_bin)" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    local bin; bin=$(pg_bin)
    PG_PORT=${PG_PORT:-55432}
    PGDATA_DIR=$(mktemp -d /tmp/ledger-pg.XXXXXX)
    chown postgres:postgres "$PGDATA_DIR"
    runuser -u postgres -- "$bin/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
    # Durability settings off: the cluster lives for one test run.
    runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w start \
        -o "-h 127.0.0.1 -p $PG_PORT -k $PGDATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
    export PGDATA_DIR PG_PORT
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ledger"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
    [ -n "${PGDATA_DIR:-}" ] || return 0
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR"
}
