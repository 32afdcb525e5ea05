#!/usr/bin/env bash
# Runs the dashboard in Development: SQLite under src/FleetDashboard.Web/data, demo data seeded on start.
set -euo pipefail
cd "$(dirname "$0")"

# --cluster: three nodes behind nginx over PostgreSQL and Redis instead (docs/scale-out.md).
if [ "${1:-}" = "--cluster" ]; then
    shift
    exec deploy/local/cluster.sh "$@"
fi

url="${FLEET_URL:-http://127.0.0.1:5000}"
password=$(sed -n 's/.*"DemoPassword": *"\([^"]*\)".*/\1/p' appsettings.Development.json)

echo "FleetDashboard on $url"
echo "Demo accounts, password ${password}:"
for who in admin developer operator observer support; do
    echo "  ${who}@acme.test"
done

export ASPNETCORE_ENVIRONMENT=Development
# Further arguments go to the dashboard: --allow-remote-dev lets Development listen beyond this machine.
exec dotnet run --project src/FleetDashboard.Web --launch-profile http --urls "$url" -- "$@"
