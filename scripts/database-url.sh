#!/usr/bin/env bash
# Prints the database URL to use: DATABASE_URL when set (after checking the packages),
# otherwise the project-local cluster, started if needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${DATABASE_URL:-}" ]; then
  "$root/scripts/setup.sh"
  echo "$DATABASE_URL"
else
  "$root/scripts/db.sh" | tail -n 1 | cut -d= -f2-
fi
