#!/usr/bin/env bash
# ./run.sh --cluster: the scale-out set on this machine (docs/scale-out.md). PostgreSQL and Redis (deploy/local/),
# three dashboard nodes on 127.0.0.1:5001-5003 (Development; the first node seeds the demo, once), nginx on
# 127.0.0.1:5000 in front, and a simulated fleet that connects through nginx and so spreads over the nodes.
# Ctrl-C stops all of it. Logs and the nginx config are in ${FLEET_CLUSTER_DIR:-/var/tmp/fleet-cluster}.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir="${FLEET_CLUSTER_DIR:-/var/tmp/fleet-cluster}"
front="127.0.0.1:5000"
ports=(5001 5002 5003)
devices="${FLEET_CLUSTER_DEVICES:-60}"
pg_port="${FLEET_PG_PORT:-55432}"
redis_port="${FLEET_REDIS_PORT:-56379}"
password=$(sed -n 's/.*"DemoPassword": *"\([^"]*\)".*/\1/p' appsettings.Development.json)
key=$(sed -n 's/.*"DemoProvisioningKey": *"\([^"]*\)".*/\1/p' appsettings.Development.json)
mkdir -p "$dir/data"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PostgreSQL and Redis: stopped again on exit only if this script started them (tests may share them).
started_here=()
for server in postgres:"$pg_port" redis:"$redis_port"; do
    name="${server%%:*}"
    script="deploy/local/$name.sh"
    if [ ! -x "$script" ]; then
        echo "$script is missing: the cluster needs it (issue 13)." >&2
        exit 1
    fi
    listening "${server##*:}" || started_here+=("$script")
    "$script" start
done

pids=()
stop_all() {
    trap - INT TERM EXIT
    echo "Stopping the cluster..."
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    deploy/local/nginx.sh stop "$dir/fleet-cluster.conf" || true
    for pid in "${pids[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    for script in "${started_here[@]}"; do "$script" stop >/dev/null 2>&1 || true; done
}
trap stop_all INT TERM EXIT

echo "Building the dashboard and the simulator..."
dotnet build src/FleetDashboard.Web --nologo -v q >/dev/null
dotnet build src/FleetDashboard.Simulator --nologo -v q >/dev/null

# Every node: the same store, Redis, data folder (the key ring, whichever way the nodes share it) and public address.
export ASPNETCORE_ENVIRONMENT=Development
export Fleet__Store=Postgres
# 30 store connections a node (Npgsql's default is 100): three nodes stay well inside the server's max_connections
# (300 here), which a reconnect storm of devices after a restart would otherwise fill (docs/scale-out.md, B8).
export ConnectionStrings__Fleet="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=fleet_cluster;Maximum Pool Size=30"
export Fleet__Redis="127.0.0.1:$redis_port"
export Fleet__RedisPrefix=fleet-cluster
export Fleet__DataDirectory="$dir/data"
export Fleet__PublicBaseAddress="http://$front/"
# The simulated fleet below stands in for the demo's own live devices, which would all sit on the first node.
export Fleet__DemoFleet__Enabled=false
# Every device registers through nginx, so from one address.
export Fleet__Registration__PerAddress__Burst=10000 Fleet__Registration__PerAddress__PerSecond=10000

start_node() {
    local number="$1" port="$2" seed="$3"
    # setsid: each node is a process group of its own (dotnet run and the app), stopped as one.
    Fleet__SeedDemo="$seed" setsid dotnet run --no-build --project src/FleetDashboard.Web --no-launch-profile \
        --urls "http://127.0.0.1:$port" >"$dir/node$number.log" 2>&1 &
    pids+=($!)
}

wait_ready() {
    local port="$1" number="$2"
    for _ in $(seq 240); do
        curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "Node $number (127.0.0.1:$port) is not ready after 2 minutes; see $dir/node$number.log" >&2
    exit 1
}

# The first node alone first: it migrates the store and seeds the demo, once.
echo "Starting node 1 on 127.0.0.1:${ports[0]} (migrates and seeds)..."
start_node 1 "${ports[0]}" true
wait_ready "${ports[0]}" 1
for i in 1 2; do
    echo "Starting node $((i + 1)) on 127.0.0.1:${ports[$i]}..."
    start_node $((i + 1)) "${ports[$i]}" false
done
wait_ready "${ports[1]}" 2
wait_ready "${ports[2]}" 3

nodes=()
for port in "${ports[@]}"; do nodes+=("127.0.0.1:$port"); done
deploy/local/nginx.sh conf "$front" "${nodes[@]}" >"$dir/fleet-cluster.conf"
deploy/local/nginx.sh start "$dir/fleet-cluster.conf"

setsid dotnet run --no-build --project src/FleetDashboard.Simulator -- simulate --server "http://$front" \
    --provisioning-key "$key" --devices "$devices" --time-factor 10 >"$dir/simulator.log" 2>&1 &
pids+=($!)

echo
echo "FleetDashboard cluster on http://$front (nginx) -> nodes ${nodes[*]}"
echo "$devices simulated devices join kiosk-fleet through nginx. Logs: $dir"
echo "Demo accounts, password ${password}:"
for who in admin developer operator observer support; do
    echo "  ${who}@acme.test"
done
echo "Ctrl-C stops the cluster."
wait
