#!/usr/bin/env bash
# A local PostgreSQL for the tests and the cluster script: Debian's package (installed when missing), run as user
# postgres, listening on 127.0.0.1 only with trust auth (a throw-away test server, never a production one).
#   deploy/local/postgres.sh start|stop
# FLEET_PG_DATA (default /var/tmp/fleet-postgres), FLEET_PG_PORT (default 55432). FLEET_PG_FAST=1 turns off fsync
# and friends: only for a test data folder, since a crash then loses the data. Prints nothing but errors.
set -euo pipefail

data="${FLEET_PG_DATA:-/var/tmp/fleet-postgres}"
port="${FLEET_PG_PORT:-55432}"

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ]; then
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } >/dev/null \
            || { echo "Could not install PostgreSQL." >&2; exit 1; }
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$dir"
}

start() {
    local bin
    bin=$(bin_dir)
    if [ ! -s "$data/PG_VERSION" ]; then
        mkdir -p "$data"
        chown postgres:postgres "$data"
        chmod 700 "$data"
        as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        return 0
    fi
    # Each test makes its own database and the device tests open many connections at once.
    local options="-c listen_addresses=127.0.0.1 -c port=$port -c max_connections=300 -c unix_socket_directories=/tmp"
    if [ "${FLEET_PG_FAST:-0}" = 1 ]; then
        options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "$options" -w -t 60 start >/dev/null \
        || { echo "PostgreSQL did not start; see $data/server.log" >&2; exit 1; }
}

stop() {
    local bin
    bin=$(bin_dir)
    if [ -s "$data/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_postgres "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
