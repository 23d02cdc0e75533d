#!/usr/bin/env bash
# Starts the project-local PostgreSQL 15 + PostGIS cluster (in .local/pg, git-ignored) and makes
# sure the application database exists. Idempotent and fast when the cluster already runs.
# The last line of stdout is DATABASE_URL=...; everything else goes to stderr.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"

bin=/usr/lib/postgresql/15/bin
port=${MONSTAGE_PG_PORT:-54329}
db=${MONSTAGE_PG_DB:-monstage}
dir="$root/.local/pg"
data="$dir/data"
url="postgres://postgres@127.0.0.1:$port/$db"
as_pg() { runuser -u postgres -- "$@"; }

if [ "$(id -u)" -ne 0 ]; then
  as_pg() { "$@"; }
fi

# Every parent of the cluster folder must be traversable by the postgres user.
p="$root"
while [ "$p" != "/" ]; do
  [ "$(id -u)" -eq 0 ] && chmod o+x "$p"
  p=$(dirname "$p")
done

mkdir -p "$dir"
if [ ! -f "$data/PG_VERSION" ]; then
  echo "db: creating cluster in $data" >&2
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
shared_buffers = 512MB
work_mem = 16MB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
CONF
fi

if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  echo "db: starting cluster on 127.0.0.1:$port" >&2
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 start >&2
fi

if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" postgres | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" >&2
fi

echo "DATABASE_URL=$url"
