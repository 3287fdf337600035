#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 for the tests: initdb into a temp dir, its own
# port, run as the postgres user. Usage: .ci/pg.sh start <dir> <port> | .ci/pg.sh stop <dir>
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
cmd=$1; dir=$2
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "$cmd" in
  start)
    port=$3
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_pg "$PGBIN/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 >'$dir/initdb.log' 2>&1"
    as_pg "$PGBIN/pg_ctl -D '$dir/data' -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200\" -w start >/dev/null"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$PGBIN/pg_ctl -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
  *) echo "usage: $0 start <dir> <port> | stop <dir>" >&2; exit 2 ;;
esac
