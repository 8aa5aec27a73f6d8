#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests, from Debian's packages: `source scripts/ci/postgres.sh start` installs the
# server if missing, starts a cluster on 127.0.0.1:55432 in a temporary folder, creates the database and exports
# DATABASE_URL_TEST; `scripts/ci/postgres.sh stop` stops it. Runs the server as the postgres user (it refuses root).
set -euo pipefail
PORT=${PG_TEST_PORT:-55432}
STATE=/tmp/studybot-pg-test-$PORT

pg_start() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_stop
  rm -rf "$STATE" && mkdir -p "$STATE" && chown postgres "$STATE"
  su postgres -c "$bin/initdb -D $STATE/data -A trust -U postgres --no-sync >/dev/null"
  su postgres -c "$bin/pg_ctl -D $STATE/data -o '-p $PORT -k $STATE -c listen_addresses=127.0.0.1 -c fsync=off' -l $STATE/log -w start >/dev/null"
  su postgres -c "$bin/createdb -h 127.0.0.1 -p $PORT -U postgres studybot_test"
  echo "$bin" > "$STATE/bin"
  export DATABASE_URL_TEST="postgres://postgres@127.0.0.1:$PORT/studybot_test"
  echo "PostgreSQL test server on 127.0.0.1:$PORT (DATABASE_URL_TEST exported)"
}

pg_stop() {
  [ -f "$STATE/bin" ] || return 0
  su postgres -c "$(cat "$STATE/bin")/pg_ctl -D $STATE/data -m fast -w stop >/dev/null 2>&1" || true
}

case "${1:-}" in
  start) pg_start ;;
  stop) pg_stop ;;
  *) echo "usage: source scripts/ci/postgres.sh start | scripts/ci/postgres.sh stop" >&2; exit 2 ;;
esac
