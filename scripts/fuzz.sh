#!/usr/bin/env bash
# Fuzzes every operation of /api/openapi.json with Schemathesis (pinned in fuzz/requirements.txt,
# installed in .local/fuzz-venv; settings in fuzz/schemathesis.toml) against a debug server on a
# fresh database (scripts/harness.sh), three times: with a full-access token for
# FUZZ_SECONDS (240 by default), then for a quarter of that with an OAuth2 token holding
# `offers:read` only, and with no token at all, so that an undeclared 401 or 403 fails too.
# Fails on any server error, any status, header or body outside the document, any non-JSON body,
# and any panic in the server's log. Called by .ci/run; `make fuzz` runs it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/harness.sh

scripts/setup.sh
venv=.local/fuzz-venv
pinned_venv fuzz/requirements.txt "$venv"

live_server monstage_fuzz "${FUZZ_PORT:-3098}"

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
narrow_client=$("$bin" client create --account-id "$account_id" --name fuzz-narrow --scopes offers:read)
narrow=$(echo "$narrow_client" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["client_id"], c["client_secret"])')
narrow_token=$(curl -fsS "$base/oauth/token" -d grant_type=client_credentials \
  -d "client_id=${narrow% *}" -d "client_secret=${narrow#* }" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

seconds=${FUZZ_SECONDS:-240}
fuzz() {
  local report=$1 time=$2
  shift 2
  "$venv/bin/st" --config-file fuzz/schemathesis.toml run "$base/api/openapi.json" \
    --max-time "$time" --seed "${FUZZ_SEED:-20261203}" \
    --report junit --report-dir ".local/monstage_fuzz/$report" "$@"
}
fuzz full "$seconds" --header "Authorization: Bearer $token"
fuzz narrow $((seconds / 4)) --header "Authorization: Bearer $narrow_token"
fuzz anonymous $((seconds / 4))
no_panic monstage_fuzz
