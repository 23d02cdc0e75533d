#!/usr/bin/env bash
# Installs what the project needs from Debian when it is missing: PostgreSQL 15, PostGIS 3,
# libpq headers (for diesel); with `browser`, also Chromium and its WebDriver for the
# browser tests. Idempotent: does nothing when everything is present.
set -euo pipefail

missing=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
[ -f /usr/share/postgresql/15/extension/unaccent.control ] || missing+=(postgresql-contrib)
# The quickstart's shell blocks run in the tests (doc/demarrage-rapide.md).
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
command -v python3 >/dev/null || missing+=(python3)
# Schemathesis (make fuzz) installs in a virtual environment.
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# The webhook receiver samples in doc/exemples run in the tests too.
command -v node >/dev/null || missing+=(nodejs)
command -v php >/dev/null || missing+=(php-cli)
# The reverse proxy of docker-compose.yml (deploy/nginx.conf) runs in the tests.
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ "${1:-}" = browser ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi
