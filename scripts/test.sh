#!/usr/bin/env bash
# The whole test suite against a real PostgreSQL + PostGIS (the local cluster of
# scripts/db.sh, or the server of DATABASE_URL when set; each test clones its own database)
# and, for the browser tests, headless Chromium + chromedriver (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh browser

DATABASE_URL=$(scripts/database-url.sh)
export DATABASE_URL
# No Kerberos negotiation (see tests/helpers: server_url).
export PGGSSENCMODE=disable

if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked --no-fail-fast "$@"
else
  cargo test --locked --no-fail-fast "$@"
fi
