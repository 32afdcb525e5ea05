#!/usr/bin/env bash
# A private nginx (Debian's package, installed when missing) in front of local dashboard nodes, apart from the
# system's nginx service: its pid, logs and temp files live in a folder beside CONF (CONF.d/).
#   nginx.sh conf LISTEN NODE...   prints deploy/nginx/fleet-cluster.conf filled: nginx.sh conf 127.0.0.1:5000 127.0.0.1:5001
#   nginx.sh start CONF            starts nginx with that file (reloads it when already running)
#   nginx.sh stop CONF             stops it
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
template="$here/../nginx/fleet-cluster.conf"

usage() {
    echo "Usage: $0 conf LISTEN NODE... | start CONF | stop CONF" >&2
    exit 2
}

install_nginx() {
    command -v nginx >/dev/null 2>&1 && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y nginx; } >/dev/null \
        || { echo "Could not install nginx." >&2; exit 1; }
    # The package starts the system's nginx where a service manager runs; this script never uses it.
}

conf() {
    [ $# -ge 2 ] || usage
    local listen="$1" nodes="" node
    shift
    for node in "$@"; do nodes+="    server ${node};"$'\n'; done
    while IFS= read -r line; do
        case "$line" in
            @FLEET_NODES@) printf '%s' "$nodes" ;;
            *) printf '%s\n' "${line//@FLEET_LISTEN@/$listen}" ;;
        esac
    done <"$template"
}

start() {
    local site prefix
    site="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
    prefix="$site.d"
    install_nginx
    mkdir -p "$prefix/logs" "$prefix/temp"
    local user=""
    if [ "$(id -u)" -eq 0 ]; then
        # Workers must not run as root; they write request bodies and large answers to temp/.
        user="user www-data;"
        chown www-data "$prefix/temp"
    fi
    cat >"$prefix/nginx.conf" <<CONF
$user
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log $prefix/logs/access.log;
    client_body_temp_path $prefix/temp/body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;
    include $site;
}
CONF
    if running "$prefix"; then
        nginx -p "$prefix" -c "$prefix/nginx.conf" -s reload
    else
        # nginx binds its ports before it returns, so the address answers from here on.
        nginx -p "$prefix" -c "$prefix/nginx.conf"
    fi
}

running() {
    [ -s "$1/nginx.pid" ] && kill -0 "$(cat "$1/nginx.pid")" 2>/dev/null
}

stop() {
    local prefix="$1.d" pid
    running "$prefix" || return 0
    pid="$(cat "$prefix/nginx.pid")"
    nginx -p "$prefix" -c "$prefix/nginx.conf" -s quit
    # Quit lets open WebSockets finish; wait for the master to go, then insist.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
}

case "${1:-}" in
    conf) shift; conf "$@" ;;
    start) [ $# -eq 2 ] || usage; start "$2" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    *) usage ;;
esac
