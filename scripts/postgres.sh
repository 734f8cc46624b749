#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL for the CRM server's tests,
# then makes sure the test role and database exist. Safe to run any number of times.
# Debian 12, run as root.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
CRM_DB_USER="${CRM_DB_USER:-crm}"
CRM_DB_PASSWORD="${CRM_DB_PASSWORD:-crm}"
CRM_DB_NAME="${CRM_DB_NAME:-crm_test}"

if [ "$(id -u)" -ne 0 ]; then
  echo "postgres.sh: must run as root" >&2
  exit 1
fi

# 1. Install the server when it is missing.
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql
fi

# 1b. PostGIS, for the spatial index of customers near a rep (docs/field-work.md).
if [ ! -f "/usr/share/postgresql/${PG_VERSION}/extension/postgis.control" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "postgresql-${PG_VERSION}-postgis-3" || \
    { apt-get update && apt-get install -y --no-install-recommends "postgresql-${PG_VERSION}-postgis-3"; }
fi

# 2. Make sure the cluster exists (the package normally creates it).
if [ ! -d "/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}" ]; then
  pg_createcluster "${PG_VERSION}" "${PG_CLUSTER}" --port "${PG_PORT}"
fi

# 3. Start it; "already running" is fine.
if ! pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" status >/dev/null 2>&1; then
  pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" start || \
    pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" status >/dev/null 2>&1
fi

# 4. Wait until it accepts connections.
for _ in $(seq 1 60); do
  if pg_isready -h 127.0.0.1 -p "${PG_PORT}" -q; then break; fi
  sleep 1
done
pg_isready -h 127.0.0.1 -p "${PG_PORT}"

as_postgres() { runuser -u postgres -- "$@"; }
psql_admin() { as_postgres psql -p "${PG_PORT}" -v ON_ERROR_STOP=1 -X -q -tA "$@"; }

# 5. Test role: create if missing, otherwise keep its password and rights in line.
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '${CRM_DB_USER}'")" != "1" ]; then
  psql_admin -c "CREATE ROLE \"${CRM_DB_USER}\" LOGIN CREATEDB PASSWORD '${CRM_DB_PASSWORD}'"
else
  psql_admin -c "ALTER ROLE \"${CRM_DB_USER}\" LOGIN CREATEDB PASSWORD '${CRM_DB_PASSWORD}'"
fi

# Tests drop their databases WITH (FORCE), which must be able to end an autovacuum worker briefly on one.
psql_admin -c "GRANT pg_signal_backend TO \"${CRM_DB_USER}\""

# 6. Test database owned by the role.
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '${CRM_DB_NAME}'")" != "1" ]; then
  as_postgres createdb -p "${PG_PORT}" -O "${CRM_DB_USER}" "${CRM_DB_NAME}"
fi

# 7. PostGIS needs a superuser to be created: put it in template1 (so every test database has it) and in the test database.
for db in template1 "${CRM_DB_NAME}"; do
  psql_admin -d "${db}" -c "CREATE EXTENSION IF NOT EXISTS postgis"
done

echo "Host=127.0.0.1;Port=${PG_PORT};Username=${CRM_DB_USER};Password=${CRM_DB_PASSWORD};Database=${CRM_DB_NAME}"
