#!/usr/bin/env bash
# Builds the solution and runs every test project. The last line is "N passed, N failed", summed
# over the TRX file each test project writes (LogFilePrefix adds a millisecond timestamp, so none
# overwrites another); the exit code is non-zero when the build fails, a test fails, or no test ran.
set -uo pipefail
cd "$(dirname "$0")"

# Debian's Chromium, for the browser tests (never `playwright install`: no downloads here).
if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests..."
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    if ! { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium; }; then
        echo "Could not install chromium." >&2
        exit 1
    fi
fi

# Debian's nginx, for the tests of the node set behind it (deploy/local/nginx.sh runs a private one, never the service).
if ! command -v nginx >/dev/null 2>&1; then
    echo "Installing Debian's nginx for the cluster tests..."
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    if ! { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y nginx; }; then
        echo "Could not install nginx." >&2
        exit 1
    fi
fi

dotnet tool restore || exit 1

if ! dotnet build FleetDashboard.sln --nologo; then
    echo "The build failed." >&2
    exit 1
fi

# The Redis of the cluster tests (issue 13): Debian's redis-server on 127.0.0.1:${FLEET_REDIS_PORT:-56379}, installed when missing.
if ! deploy/local/redis.sh start; then
    echo "Could not start Redis for the cluster tests." >&2
    exit 1
fi

# PostgreSQL before any test (issue 13): the cluster tests of the first run need it, as does the run on PostgreSQL below.
postgres_up=1
if ! FLEET_PG_FAST=1 deploy/local/postgres.sh start; then
    echo "PostgreSQL did not start: the cluster tests and the tests on PostgreSQL cannot pass." >&2
    postgres_up=0
fi

results="TestResults/test-sh"
rm -rf "$results"
# One test project at a time: the device tests run hundreds of simulated devices and the browser tests a
# live demo fleet; side by side on two cores they would measure the machine, not the code.
# A test that hangs is named and its run stopped after 10 minutes (--blame-hang) instead of holding CI until its limit.
blame=(--blame-hang --blame-hang-timeout 10m --blame-hang-dump-type none)
dotnet test FleetDashboard.sln --no-build --nologo -m:1 "${blame[@]}" --logger "trx;LogFilePrefix=fleet" --results-directory "$results"
test_exit=$?

# The service and device tests again on PostgreSQL (Fleet:Store=Postgres, issue 13): each test its own database on the
# local server. Tests that are SQLite by nature (backup, old-row migrations, query plans) carry Store=SqliteOnly.
if [ "$postgres_up" -eq 1 ]; then
    store_tests="FullyQualifiedName~FleetDashboard.Web.Tests.Services|FullyQualifiedName~FleetDashboard.Web.Tests.Actions"
    store_tests="$store_tests|FullyQualifiedName~FleetDashboard.Web.Tests.Devices|FullyQualifiedName~FleetDashboard.Web.Tests.Api"
    store_tests="$store_tests|FullyQualifiedName~FleetDashboard.Web.Tests.Operations|FullyQualifiedName~FleetDashboard.Web.Tests.Data"
    FLEET_TEST_STORE=Postgres dotnet test tests/FleetDashboard.Web.Tests --no-build --nologo "${blame[@]}" \
        --filter "($store_tests)&Store!=SqliteOnly" --logger "trx;LogFilePrefix=postgres" --results-directory "$results"
    postgres_exit=$?
    if [ "$postgres_exit" -ne 0 ]; then test_exit=$postgres_exit; fi
else
    echo "PostgreSQL did not start: the tests on PostgreSQL did not run." >&2
    test_exit=1
fi

passed=0
failed=0
files=0
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    files=$((files + 1))
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    n=$(count passed "$counters")
    passed=$((passed + ${n:-0}))
    for kind in failed error timeout aborted; do
        n=$(count "$kind" "$counters")
        failed=$((failed + ${n:-0}))
    done
done

# The failed tests by name, also kept in a file: .ci/run prints them again after the benchmark's long output, where
# CI's tail of the log still shows them.
failures="$results/failed.txt"
: >"$failures"
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' "$trx" \
        | sed -n "s/.* testName=\"\([^\"]*\)\".*/failed: \1 ($(basename "$trx" | cut -d_ -f1))/p" >>"$failures"
done
cat "$failures"

status=0
if [ "$files" -eq 0 ] || [ "$passed" -eq 0 ]; then
    echo "No test ran." >&2
    status=1
fi
if [ "$failed" -ne 0 ] || [ "$test_exit" -ne 0 ]; then
    status=1
fi

echo "$passed passed, $failed failed"
exit "$status"
