#!/usr/bin/env bash
# The CRM server's test command, for a fresh Debian 12 machine (as root) or a developer's one:
# installs and starts PostgreSQL when missing, restores and builds everything, runs every test
# (unit, grains on a test cluster, the real server on SQLite and on PostgreSQL, a two-silo cluster,
# real plugin loading, real SignalR clients).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== PostgreSQL"
CRM_TEST_POSTGRES="$(bash scripts/postgres.sh | tail -n 1)"
export CRM_TEST_POSTGRES

echo "== Build (Release)"
dotnet build Crm.sln -c Release -nologo -clp:ErrorsOnly

echo "== Tests"
log="$(mktemp)"
set +e
dotnet test Crm.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line with the totals of every test assembly.
passed=$( (grep -Eo '^ +Passed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo '^ +Failed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
