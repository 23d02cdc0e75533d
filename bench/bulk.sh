#!/usr/bin/env bash
# Bulk against single creates, in the same run (examples/loadgen, release server, fresh
# database): offers written a second by POST /api/internship_offers at CONCURRENCY (8) connections,
# then by POST /api/internship_offers/bulk with 500 offers a call at BULK_CONCURRENCY (2).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/fresh_server.sh
seconds=${SECONDS_EACH:-10}
offer='{"remote_id": "REMOTE", "title": "Boulangerie", "description": "Une semaine au fournil.",
  "employer_name": "Boulangerie du Canal", "street": "12 quai de Valmy", "zipcode": "75010", "city": "Paris",
  "coordinates": {"latitude": 48.8708, "longitude": 2.364}, "sector_uuid": "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6",
  "permalink": "https://partenaire.example/offres", "max_candidates": 2}'
single=$(printf '{"internship_offer": %s}' "${offer/REMOTE/single-\{n\}}")
bulk=$(mktemp)
python3 -c 'import sys; o = sys.argv[1]; print("{\"internship_offers\": [%s]}" % ",".join(o.replace("REMOTE", "bulk-{n}-%d" % i) for i in range(500)))' "$offer" > "$bulk"
loadgen=target/release/examples/loadgen
one=$("$loadgen" "$BASE/api/internship_offers" --method POST --token "$TOKEN" --concurrency "${CONCURRENCY:-8}" \
  --seconds "$seconds" --body "$single")
many=$("$loadgen" "$BASE/api/internship_offers/bulk" --method POST --token "$TOKEN" \
  --concurrency "${BULK_CONCURRENCY:-2}" --seconds "$seconds" --body-file "$bulk")
rm -f "$bulk"
python3 - "$one" "$many" <<'PY'
import json, sys
one, many = (json.loads(a) for a in sys.argv[1:3])
print("| | calls/s | offers/s | p50 ms | p99 ms | errors |")
print("|---|---|---|---|---|---|")
print("| single creates | %.0f | %.0f | %.1f | %.1f | %d |" % (one["rps"], one["rps"], one["p50_ms"], one["p99_ms"], one["errors"]))
print("| bulk, 500 a call | %.1f | %.0f | %.0f | %.0f | %d |" % (many["rps"], many["rps"] * 500, many["p50_ms"], many["p99_ms"], many["errors"]))
print("bulk / single: %.1f× the offers a second" % (many["rps"] * 500 / one["rps"]))
PY
