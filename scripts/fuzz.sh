#!/usr/bin/env bash
# Fuzzes every operation of /api/openapi.json with Schemathesis (pinned in fuzz/requirements.txt,
# installed in .local/fuzz-venv; settings in fuzz/schemathesis.toml) against a debug server on a
# fresh database, with a full-access token, for a bounded time (FUZZ_SECONDS, 240 by default).
# Fails on any server error, any status, header or body outside the document, any non-JSON body,
# and any panic in the server's log. Called by .ci/run; `make fuzz` runs it alone.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
venv=.local/fuzz-venv
if ! cmp -s fuzz/requirements.txt "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r fuzz/requirements.txt
  cp fuzz/requirements.txt "$venv/requirements.txt"
fi

cargo build --locked --quiet --bin monstage
bin="${CARGO_TARGET_DIR:-target}/debug/monstage"
base_url=$(scripts/database-url.sh)
db=monstage_fuzz
export PGGSSENCMODE=disable
psql "${base_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
export DATABASE_URL=${base_url%/*}/$db
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export TOKEN_ENCRYPTION_KEY
export LISTEN_ADDR=127.0.0.1:${FUZZ_PORT:-3098} RUST_LOG=${RUST_LOG:-warn} WEBHOOK_ALLOW_LOOPBACK=true
# The fuzzer sends thousands of calls a minute: limits it never reaches (429s are tested elsewhere).
export RATE_LIMIT_WRITE=100000000 RATE_LIMIT_READ=100000000 RATE_LIMIT_SEARCH=100000000 \
  RATE_LIMIT_TRACKING=100000000 RATE_LIMIT_UNAUTHENTICATED=100000000
SEARCH_INDEX_DIR=$(mktemp -d)
export SEARCH_INDEX_DIR

"$bin" migrate >/dev/null
"$bin" seed --demo >/dev/null
token=$("$bin" operator create --name "Fuzz" --email fuzz@monstage.localhost --full-access \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_token"])')

base="http://$LISTEN_ADDR"
mkdir -p .local/fuzz-report
"$bin" serve > .local/fuzz-report/server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$SEARCH_INDEX_DIR"' EXIT
for _ in $(seq 1 300); do curl -fsS "$base/ready" >/dev/null 2>&1 && break; sleep 0.2; done

# What the fuzzer's identifiers point to half of the time (fuzz/schemathesis.toml): a webhook
# subscription (id 1; nothing listens on port 9, so its deliveries 1..3 fail and wait), then three
# offers.
curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data '{"url": "http://127.0.0.1:9/hook", "events": ["offer.created"]}' "$base/api/webhooks"
for i in 1 2 3; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary @- "$base/api/internship_offers" <<JSON
{"internship_offer": {"remote_id": "fuzz-offer-$i", "title": "Stage $i", "description": "Découverte",
 "employer_name": "Atelier", "street": "1 rue de la Paix", "zipcode": "75002", "city": "Paris",
 "permalink": "https://example.org/$i", "sector_uuid": "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6",
 "max_candidates": 2, "coordinates": {"latitude": 48.87, "longitude": 2.33}}}
JSON
done

"$venv/bin/st" --config-file fuzz/schemathesis.toml run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --max-time "${FUZZ_SECONDS:-240}" --seed "${FUZZ_SEED:-20261203}" \
  --report junit --report-dir .local/fuzz-report "$@"
if grep -q "panicked" .local/fuzz-report/server.log; then
  echo "fuzz: the server panicked (see .local/fuzz-report/server.log)" >&2
  exit 1
fi
