#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in /tmp on 127.0.0.1, from Debian's packages.
#   source .ci/postgres.sh; pg_start   -> exports DATABASE_URL, or returns non-zero and says why
#   pg_stop
# pg_start only succeeds once the server answers a query: a cluster that failed to come up
# must fail CI here, with its log, not as 183 "connection refused" errors later.
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_install() {
    apt_install postgresql
}

pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_port_taken() {
    python3 -c 'import socket, sys; sys.exit(socket.socket().connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0)' "$1"
}

pg_start() {
    if [ -z "$(pg_bin)" ]; then
        pg_install || { echo "could not install PostgreSQL from Debian's packages" >&2; return 1; }
    fi
    local bin; bin=$(pg_bin)
    [ -x "$bin/initdb" ] || { echo "no initdb under /usr/lib/postgresql" >&2; return 1; }

    PG_PORT=${PG_PORT:-55432}
    if pg_port_taken "$PG_PORT"; then
        echo "port $PG_PORT is taken on 127.0.0.1; using another" >&2
        PG_PORT=$(pg_free_port)
    fi
    PGDATA_DIR=$(mktemp -d /tmp/ledger-pg.XXXXXX)
    export PGDATA_DIR PG_PORT
    chown postgres:postgres "$PGDATA_DIR"
    if ! runuser -u postgres -- "$bin/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 \
            >"$PGDATA_DIR.initdb.log" 2>&1; then
        echo "initdb failed:" >&2; cat "$PGDATA_DIR.initdb.log" >&2
        return 1
    fi
    # Durability settings off: the cluster lives for one test run.
    if ! runuser -u postgres -- "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start \
            -o "-h 127.0.0.1 -p $PG_PORT -k $PGDATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            >/dev/null; then
        echo "PostgreSQL did not start; its log:" >&2; cat "$PGDATA_DIR/server.log" >&2
        return 1
    fi
    if ! runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
            -tAc "select 1" >/dev/null; then
        echo "PostgreSQL started but does not answer on 127.0.0.1:$PG_PORT; its log:" >&2
        cat "$PGDATA_DIR/server.log" >&2
        return 1
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ledger"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
    [ -n "${PGDATA_DIR:-}" ] || return 0
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR" "$PGDATA_DIR.initdb.log"
}
