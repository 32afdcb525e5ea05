#!/usr/bin/env bash
# A Redis for the cluster tests and the local cluster: Debian's redis-server on 127.0.0.1:${FLEET_REDIS_PORT:-56379},
# no persistence (a backplane, a feed and leases: nothing in it outlives the nodes), daemonized.
# `start` is idempotent and installs the package when missing; `stop` stops it. Prints nothing but errors.
set -euo pipefail
port="${FLEET_REDIS_PORT:-56379}"
dir="${FLEET_REDIS_DIR:-/var/tmp/fleet-redis-$port}"

running() { redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; }

case "${1:-}" in
start)
    if ! command -v redis-server >/dev/null; then
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y redis-server; } >/dev/null \
            || { echo "Could not install redis-server." >&2; exit 1; }
    fi
    running && exit 0
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --save "" --appendonly no \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 1 100); do running && exit 0; sleep 0.1; done
    echo "Redis did not answer on 127.0.0.1:$port (see $dir/redis.log)." >&2
    exit 1
    ;;
stop)
    running || exit 0
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
