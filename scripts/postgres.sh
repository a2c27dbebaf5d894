#!/usr/bin/env bash
# Start a throw-away PostgreSQL on loopback for the test suite (start|stop|url).
set -euo pipefail
PORT="${BEREDSKAP_PG_PORT:-55432}"
DATA="${BEREDSKAP_PG_DATA:-/tmp/beredskap-pg-$PORT}"
BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n1)")"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      if [ ! -f "$DATA/PG_VERSION" ]; then
        mkdir -p "$DATA"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA"
        as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
      fi
      as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c log_lock_waits=on" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/beredskap"
    ;;
  stop) as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true ;;
  url) echo "postgres://postgres@127.0.0.1:$PORT/beredskap" ;;
esac
